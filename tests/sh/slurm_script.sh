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
for _ in $(seq 600); do
  [ -f "$TMP/runs/sb/progress.csv" ] && [ "$(wc -l < "$TMP/runs/sb/progress.csv")" -ge 3 ] && break
  sleep 0.1
done
kill -USR1 $pid
set +e
wait $pid
rc=$?
set -e
check "the script exits 3 after the signal" test $rc = 3
check "it asked hebes to checkpoint" grep -q "asking hebes to checkpoint" "$TMP/first.log"
check "it says how to resume" grep -q "run this script again to resume" "$TMP/first.log"
gens=$("$HEBES" inspect "$TMP/runs/sb/checkpoint.h5" | awk '$1 == "generation" && $3 == "of" { print $2 }')
target=$((gens + 2))
bash slurm/hebes.sbatch "$TMP/sb.json" --set run.generations=$target > "$TMP/second.log" 2>&1
check "the second job resumed" grep -q -- "--auto-resume: resuming" "$TMP/second.log"
check "and finished" grep -q "run finished" "$TMP/second.log"
np 2 train "$TMP/sb.json" --set run.generations=$target --set run.name=straight > /dev/null
check "interrupted + requeued equals straight" \
  test "$(hashes "$TMP/runs/straight/checkpoint.h5")" = "$(hashes "$TMP/runs/sb/checkpoint.h5")"
finish
