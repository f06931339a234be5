# slurm/hebes.sbatch without a cluster: USR1 to the batch shell checkpoints (exit 3), running the
# script again resumes, and the result equals an uninterrupted run. Then under a stand-in Slurm
# (srun and scontrol shims): srun gets --mpi=pmix, exit 3 reaches the script and requeues the job,
# USR2 stops for good, the requeue cap holds, and the script works from any submit folder.
source "$(dirname "$0")/lib.sh"
export HEBES HEBES_NP=2
unset SLURM_JOB_ID
printf '{"run": {"name": "sb", "out_dir": "%s", "generations": 1000}, "env": {"max_steps": 60},
  "net": {"hidden": [16]}, "es": {"population": 16, "sigma": 0.05, "init_std": 0.1, "optimizer": "adam", "lr": 0.02}}' \
  "$TMP/runs" > "$TMP/sb.json"
bash slurm/hebes.sbatch "$TMP/sb.json" > "$TMP/first.log" 2>&1 &
pid=$!
wait_rows "$TMP/runs/sb/progress.csv" 2
signal_and_wait $pid USR1
check "the script exits 3 after the signal" test $RC = 3
check "it asked hebes to checkpoint" grep -q "asking hebes to checkpoint" "$TMP/first.log"
check "it says how to resume" grep -q "run this script again to resume" "$TMP/first.log"
gens=$(generation_of "$TMP/runs/sb/checkpoint.h5")
target=$((gens + 2))
bash slurm/hebes.sbatch "$TMP/sb.json" --set run.generations=$target > "$TMP/second.log" 2>&1
check "the second job resumed" grep -q -- "--auto-resume: resuming" "$TMP/second.log"
check "and finished" grep -q "run finished" "$TMP/second.log"
np 2 train "$TMP/sb.json" --set run.generations=$target --set run.name=straight > /dev/null
check "interrupted + requeued equals straight" \
  test "$(hashes "$TMP/runs/straight/checkpoint.h5")" = "$(hashes "$TMP/runs/sb/checkpoint.h5")"

# The stand-in Slurm: srun runs mpirun (recording its options), scontrol records requeues and
# answers `show job` with the script's path as Slurm would (it runs a copy from its spool).
repo=$PWD
mkdir -p "$TMP/bin" "$TMP/spool" "$TMP/elsewhere"
cp slurm/hebes.sbatch "$TMP/spool/slurm_script"
cat > "$TMP/bin/srun" <<SH
#!/usr/bin/env bash
echo "\$*" >> "$TMP/srun.args"
opts=(); while [ "\${1#--}" != "\$1" ]; do shift; done
exec mpirun -np 2 --oversubscribe "\$@"
SH
cat > "$TMP/bin/scontrol" <<SH
#!/usr/bin/env bash
case \$1 in
  show) echo "   Command=$repo/slurm/hebes.sbatch" ;;
  requeue) echo "requeue \$2" >> "$TMP/requeues" ;;
esac
SH
chmod +x "$TMP/bin/srun" "$TMP/bin/scontrol"
cp "$TMP/sb.json" "$TMP/elsewhere/sb2.json"
sed -i 's/"name": "sb"/"name": "sb2"/' "$TMP/elsewhere/sb2.json"
slurm_job() { # slurm_job SIGNAL [ENV...]: the spooled script from another folder, signalled after 2 rows
  local sig=$1; shift
  rm -rf "$TMP/requeues" "$TMP/runs/sb2" # a fresh run: rows appear only once the job runs
  (cd "$TMP/elsewhere" && env PATH="$TMP/bin:$PATH" SLURM_JOB_ID=4242 SLURM_SUBMIT_DIR="$TMP/elsewhere" "$@" \
    bash "$TMP/spool/slurm_script" sb2.json > "$TMP/job.log" 2>&1) &
  local job=$!
  wait_rows "$TMP/runs/sb2/progress.csv" 2
  sleep 0.2
  kill "-$sig" $(pgrep -f "spool/slurm_script" | head -n 1)
  RC=0
  wait $job || RC=$?
}
slurm_job USR1
check "under Slurm: srun launches with --mpi=pmix" grep -q -- "--mpi=pmix" "$TMP/srun.args"
check "under Slurm: exit 3 reaches the script" test $RC = 3
check "under Slurm: the job is requeued" grep -q "requeue 4242" "$TMP/requeues"
check "under Slurm: from another submit folder, in the repository" grep -q "in $repo:" "$TMP/job.log"
slurm_job USR2
check "USR2 (scancel --batch --signal=USR2): checkpointed, exit 3" test $RC = 3
check "USR2: stopped for good, not requeued" test ! -e "$TMP/requeues"
check "USR2: says so" grep -q "stopped for good" "$TMP/job.log"
slurm_job USR1 SLURM_RESTART_COUNT=5 HEBES_MAX_REQUEUES=5
check "the requeue cap holds" test ! -e "$TMP/requeues"
check "the cap is said" grep -q "already requeued 5 times" "$TMP/job.log"

# A typo in the cap is refused before anything runs (it would otherwise requeue forever).
rc=0
(cd "$TMP/elsewhere" && env PATH="$TMP/bin:$PATH" SLURM_JOB_ID=4242 SLURM_RESTART_COUNT=1000 HEBES_MAX_REQUEUES=fifty \
  bash "$TMP/spool/slurm_script" sb2.json > "$TMP/typo.log" 2>&1) || rc=$?
check "HEBES_MAX_REQUEUES=fifty is refused (exit 1), naming it" \
  test $rc = 1 -a "$(grep -c "HEBES_MAX_REQUEUES must be a whole number from 0 to 999999, not 'fifty'" "$TMP/typo.log")" = 1
check "and nothing was requeued" test ! -e "$TMP/requeues"
# a 20-digit cap passed the digits check before, then the shell's test failed on it and the job requeued
rc=0
(cd "$TMP/elsewhere" && env PATH="$TMP/bin:$PATH" SLURM_JOB_ID=4242 SLURM_RESTART_COUNT=1000 \
  HEBES_MAX_REQUEUES=12345678901234567890 bash "$TMP/spool/slurm_script" sb2.json > "$TMP/big.log" 2>&1) || rc=$?
check "a 20-digit HEBES_MAX_REQUEUES is refused (exit 1), naming it, and nothing requeued" \
  test $rc = 1 -a "$(grep -c "not '12345678901234567890'" "$TMP/big.log")" = 1 -a ! -e "$TMP/requeues"
check "no shell error on the way" test "$(grep -c "integer expression" "$TMP/big.log")" = 0

# A job array: task 3 trains seed 3 in its own run folder NAME-s3.
rm -rf "$TMP/runs/sb2-s3"
(cd "$TMP/elsewhere" && env PATH="$TMP/bin:$PATH" SLURM_JOB_ID=4243 SLURM_ARRAY_TASK_ID=3 \
  bash "$TMP/spool/slurm_script" sb2.json --set run.generations=2 > "$TMP/array.log" 2>&1)
check "an array task trains seed ID as NAME-sID" \
  test "$("$HEBES" inspect "$TMP/runs/sb2-s3/checkpoint.h5" | sed -n 's/^run *//p')" = "sb2-s3 (seed 3, task ant)"

# srun without the PMIx plugin starts one-rank worlds: hebes refuses them.
expect_rc=0
SLURM_PROCID=0 SLURM_STEP_NUM_TASKS=4 "$HEBES" train "$TMP/sb.json" --set run.name=single > "$TMP/single.log" 2>&1 ||
  expect_rc=$?
check "a world smaller than the srun step is refused (exit 1)" test $expect_rc = 1
check "and explained" grep -q "srun --mpi=pmix" "$TMP/single.log"
check "and nothing was written" test ! -e "$TMP/runs/single"
finish
