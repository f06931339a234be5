# slurm/hebes.sbatch without a cluster: USR1 to the batch shell checkpoints (exit 3), running the
# script again resumes, and the result equals an uninterrupted run.
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
finish
