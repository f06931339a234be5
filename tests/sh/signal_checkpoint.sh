# SIGUSR1 (what Slurm sends before the time limit) abandons the generation in flight, writes a
# checkpoint and exits 3; resuming it gives the same bits as a run that was never stopped.
# kill -9 at any moment leaves the last checkpoint readable.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set es.population=16 --set env.max_steps=60 --set run.out_dir="$TMP")
mpirun -np 2 --oversubscribe "$HEBES" train "${cfg[@]}" --set run.generations=1000 --set run.name=stopped \
  > "$TMP/stopped.log" 2>&1 &
pid=$! # mpirun itself: it forwards SIGUSR1 to every rank
wait_rows "$TMP/stopped/progress.csv" 3
signal_and_wait $pid USR1
check "stopped run exits 3" test $RC = 3
check "it says so" grep -q "stopped by signal" "$TMP/stopped.log"
gens=$(generation_of "$TMP/stopped/checkpoint.h5")
echo "stopped at generation $gens"
check "checkpoint holds completed generations" test "$gens" -ge 3
np 2 train --resume "$TMP/stopped/checkpoint.h5" --set run.generations=$((gens + 2)) > /dev/null
np 2 train "${cfg[@]}" --set run.generations=$((gens + 2)) --set run.name=straight > /dev/null
check "stopped and resumed equals straight" \
  test "$(hashes "$TMP/straight/checkpoint.h5")" = "$(hashes "$TMP/stopped/checkpoint.h5")"

# Ctrl-C (SIGINT to the whole process group, mpirun and ranks) and SIGTERM to mpirun: the checkpoint
# holds every generation the log completed (before: it landed up to ~15 generations late). mpirun
# itself exits 1 after either signal (its own rule; docs in slurm/README.md), so only the files
# are checked.
for how in INT TERM; do
  setsid mpirun -np 2 --oversubscribe "$HEBES" train "${cfg[@]}" --set run.generations=1000 \
    --set run.name=sig$how > "$TMP/sig$how.log" 2>&1 &
  pid=$!
  wait_rows "$TMP/sig$how/progress.csv" 3
  if [ $how = INT ]; then kill -INT -- -$pid; else kill -TERM $pid; fi
  wait $pid || true
  rows=$(($(wc -l < "$TMP/sig$how/progress.csv") - 1))
  check "SIG$how: it says so" grep -q "stopped by signal" "$TMP/sig$how.log"
  check "SIG$how: the checkpoint holds all $rows generations logged" \
    test "$(generation_of "$TMP/sig$how/checkpoint.h5")" = "$rows"
done

# kill -9 the whole job at several moments, checkpointing every generation
for delay in 0.7 1.1 1.6 2.2; do
  rm -rf "$TMP/killed"
  mpirun -np 2 --oversubscribe "$HEBES" train "${cfg[@]}" --set run.generations=1000 --set run.checkpoint_every=1 \
    --set run.name=killed > /dev/null 2>&1 &
  pid=$!
  sleep $delay
  pkill -9 -P $pid || true
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  if [ -f "$TMP/killed/checkpoint.h5" ]; then
    check "checkpoint readable after kill -9 at ${delay}s" "$HEBES" inspect "$TMP/killed/checkpoint.h5" > /dev/null
  else
    ok "no checkpoint yet after ${delay}s"
  fi
done
finish
