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

# The same with Evolve & Merge before every generation: a stop that abandons a generation lands
# after that generation's merge, and the checkpoint says so (state merged_at), so the resume does
# not merge again; a stop between generations lands before it, and the resume makes it.
mcfg=("${cfg[@]}" --set 'net.hidden=[8]' --set net.merge_every=1 --set net.merge_keep=0.9 --set net.merge_min=1)
mpirun -np 2 --oversubscribe "$HEBES" train "${mcfg[@]}" --set run.generations=1000 --set run.name=mstopped \
  > "$TMP/mstopped.log" 2>&1 &
pid=$!
wait_rows "$TMP/mstopped/progress.csv" 3
signal_and_wait $pid USR1
check "merging run: stopped, exits 3" test $RC = 3
gens=$(generation_of "$TMP/mstopped/checkpoint.h5")
echo "merging run stopped at generation $gens ($(grep -c 'abandoned on signal' "$TMP/mstopped.log") generation abandoned after its merge)"
np 2 train --resume "$TMP/mstopped/checkpoint.h5" --set run.generations=$((gens + 2)) > "$TMP/mresumed.log"
np 2 train "${mcfg[@]}" --set run.generations=$((gens + 2)) --set run.name=mstraight > /dev/null
check "merging run: stopped and resumed equals straight" \
  test "$(hashes "$TMP/mstraight/checkpoint.h5")" = "$(hashes "$TMP/mstopped/checkpoint.h5")"
check "merging run: each merge made once across the stop" \
  test "$(cat "$TMP/mstopped.log" "$TMP/mresumed.log" | grep '^after generation' | sort | uniq -d | wc -l)" = 0

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

# kill -9 the whole job at several moments, checkpointing every generation: always after the first
# checkpoints exist (a run killed before any has nothing to check), at varied points of a generation
for delay in 0 0.05 0.13 0.29; do
  rm -rf "$TMP/killed"
  mpirun -np 2 --oversubscribe "$HEBES" train "${cfg[@]}" --set run.generations=1000 --set run.checkpoint_every=1 \
    --set run.name=killed > /dev/null 2>&1 &
  pid=$!
  wait_rows "$TMP/killed/progress.csv" 3
  sleep $delay
  pkill -9 -P $pid || true
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  rows=$(($(wc -l < "$TMP/killed/progress.csv") - 1))
  check "a checkpoint exists after kill -9 at ${delay}s past generation 3" test -f "$TMP/killed/checkpoint.h5"
  gen=$(generation_of "$TMP/killed/checkpoint.h5" || echo none)
  check "and reads: generation $gen, between 2 and the $rows logged" \
    bash -c "[ '$gen' != none ] && [ '$gen' -ge 2 ] && [ '$gen' -le '$rows' ]"
done
finish
