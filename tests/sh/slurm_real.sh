# slurm/hebes.sbatch on a real Slurm (scripts/slurm-local.sh: Debian's slurmctld and slurmd, one
# node, loopback), as a user meets it:
# - a job preempted with `scontrol requeue` in the middle of its run checkpoints, is requeued,
#   resumes and ends with the bits of an uninterrupted run;
# - a job array trains one seed per task, each in its own run folder, each as seeds.sh would;
# - the requeue cap stops a job that keeps being stopped.
# Slurm holds a requeued job for 120 s before it may start again; the test lets it start at once
# (scontrol update StartTime=now), the one step a cluster user would not take.
source "$(dirname "$0")/lib.sh"
if ! command -v slurmctld > /dev/null || [ "$(id -u)" -ne 0 ]; then
  echo "slurm_real: needs Debian's slurmctld, slurmd and munge (scripts/install-deps.sh) and root"
  bad "a Slurm to test on"
  finish
fi
cluster=$TMP/cluster
R=$PWD # the repository
# ports of their own, so that a cluster already running here (scripts/slurm-local.sh) is not in the way
export HEBES_SLURMCTLD_PORT=$((20000 + $$ % 20000)) HEBES_SLURMD_PORT=$((40000 + $$ % 20000))
bash scripts/slurm-local.sh start "$cluster" > "$TMP/start.log" 2>&1 || { cat "$TMP/start.log"; bad "the cluster starts"; finish; }
# the script by its absolute path: a test that fails midway leaves the shell in another folder
trap 'bash "$R/scripts/slurm-local.sh" stop "$cluster" > /dev/null 2>&1; rm -rf "$TMP"' EXIT
export SLURM_CONF=$cluster/slurm.conf
ok "a one-node Slurm starts ($(sinfo -h -o '%D node, %c CPUs, %T'))"
export HEBES=$HEBES # the binary under test, for the batch script
mkdir -p "$TMP/jobs"
cd "$TMP/jobs" # submitted from a folder of the user's: CONFIG is relative to it
/usr/bin/python3 - "$R" "$TMP/jobs/runs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1] + "/tests/configs/ant-learn.json"))
c["run"].update(name="sl", out_dir=sys.argv[2])
c["env"]["models"] = c["env"]["eval_models"] = [sys.argv[1] + "/envs/ant.xml"]
json.dump(c, open("sl.json", "w"))
PY
sets=(--set run.generations=24 --set env.max_steps=150 --set run.checkpoint_every=4)
state() { squeue -h -j "$1" -o %T 2> /dev/null; }
wait_done() { # wait_done JOB SECONDS: until the job has left the queue; a requeued job starts at once
  for _ in $(seq $(($2 * 5))); do
    s=$(state "$1")
    [ -z "$s" ] && return 0
    [ "$s" = PENDING ] && scontrol update JobId="$1" StartTime=now > /dev/null 2>&1
    sleep 0.2
  done
  return 1
}
rows() { [ -f "$1" ] && echo $(($(wc -l < "$1") - 1)) || echo 0; }
job_field() { scontrol show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# 1. the reference: the same run, uninterrupted, by mpirun
np 2 train sl.json "${sets[@]}" --set run.out_dir="$TMP/ref" > /dev/null
want=$(hashes "$TMP/ref/sl/checkpoint.h5")
# 2. the job, preempted with scontrol requeue once it has 3 generations
jid=$(sbatch --parsable --nodes=1 --ntasks-per-node=2 "$R/slurm/hebes.sbatch" sl.json "${sets[@]}")
for _ in $(seq 600); do [ "$(rows runs/sl/progress.csv)" -ge 3 ] && break; sleep 0.1; done
at=$(rows runs/sl/progress.csv)
scontrol requeue "$jid"
wait_done "$jid" 300 || bad "job $jid did not finish within 300 s"
out=slurm-hebes-$jid.out
check "requeued at generation $at of 24: the job checkpointed ..." grep -q "stopped by signal at generation" "$out"
check "... was requeued by Slurm and started again (Restarts=1)" test "$(job_field "$jid" Restarts)" = 1
check "... resumed its checkpoint" grep -q "auto-resume: resuming" "$out"
check "... and finished (COMPLETED, exit 0)" test "$(job_field "$jid" JobState) $(job_field "$jid" ExitCode)" = "COMPLETED 0:0"
check "its coefficients are the uninterrupted run's bits" test "$(hashes runs/sl/checkpoint.h5)" = "$want"
check "one progress row per generation" test "$(rows runs/sl/progress.csv)" = 24

# 3. a job array: one training seed per task, run folders NAME-sK, the bits of seeds.sh's runs
arr=$(sbatch --parsable --nodes=1 --ntasks-per-node=2 --array=1-3 "$R/slurm/hebes.sbatch" sl.json --set run.generations=3 \
  --set env.max_steps=60)
for k in 1 2 3; do wait_done "${arr}_$k" 300 || bad "array task $k did not finish"; done
for k in 1 2 3; do
  np 1 train sl.json --set run.generations=3 --set env.max_steps=60 --set run.seed=$k --set run.name=sl-s$k \
    --set run.out_dir="$TMP/arr-ref" > /dev/null
  check "array task $k trained seed $k in runs/sl-s$k, the bits of the same run by mpirun" \
    test "$(hashes "runs/sl-s$k/checkpoint.h5")" = "$(hashes "$TMP/arr-ref/sl-s$k/checkpoint.h5")"
done

# 4. the requeue cap: a job stopped again and again is requeued HEBES_MAX_REQUEUES times, then left
jid=$(HEBES_MAX_REQUEUES=1 sbatch --parsable --nodes=1 --ntasks-per-node=2 "$R/slurm/hebes.sbatch" sl.json \
  --set run.name=capped --set run.generations=500 --set env.max_steps=150)
out=slurm-hebes-$jid.out
started() { # started N: the job runs its N-th start and has trained a generation in it (a signal
  # before hebes is up would end the step instead of stopping the run: not what a time limit does)
  [ "$(state "$jid")" = PENDING ] && scontrol update JobId="$jid" StartTime=now > /dev/null 2>&1
  [ "$(state "$jid")" = RUNNING ] && [ -f "$out" ] &&
    awk -v n="$1" '/^hebes.sbatch: .* in / { starts++; gens = 0 } /^gen / { gens++ }
                   END { exit !(starts >= n && gens >= 1) }' "$out"
}
for round in 1 2; do # each time the run trains, stop it as a time limit would (USR1 to the batch shell)
  for _ in $(seq 600); do started $round && break; sleep 0.1; done
  scancel --batch --signal=USR1 "$jid"
  for _ in $(seq 600); do [ "$(grep -c 'checkpointed' "$out" 2> /dev/null)" -ge $round ] && break; sleep 0.1; done
done
wait_done "$jid" 120 || bad "the capped job is still queued"
check "stopped once: checkpointed and requeued (1 of at most 1)" grep -q "requeueing job $jid (requeue 1 of at most 1)" "$out"
check "stopped again: checkpointed, not requeued (the cap)" grep -q "not requeued: already requeued 1 times (HEBES_MAX_REQUEUES=1)" "$out"
check "the job has left the queue, its run resumable" test -z "$(state "$jid")" -a -f runs/capped/checkpoint.h5
cd "$R"
finish
