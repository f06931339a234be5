# Beyond this machine: 8 ranks (oversubscribed) give the same bits as 1, and a stop signal in the
# middle of a generation, while 7 other ranks are rolling out, neither hangs nor changes a bit.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set es.population=16 --set net.obs_norm=true --set run.out_dir="$TMP")
ev=(--set run.eval_every=2 --set env.eval_episodes=3)
np 1 train "${cfg[@]}" "${ev[@]}" --set env.max_steps=60 --set run.generations=4 --set run.name=np1 > /dev/null
timeout 300 mpirun -np 8 --oversubscribe "$HEBES" train "${cfg[@]}" "${ev[@]}" --set env.max_steps=60 \
  --set run.generations=4 --set run.name=np8 > /dev/null
check "-np 8 finishes and equals -np 1" \
  test "$(hashes "$TMP/np1/checkpoint.h5")" = "$(hashes "$TMP/np8/checkpoint.h5")"

# The stop lands inside generation 2, as rank 0 hands out its 9th item while 7 other ranks are
# rolling out (HEBES_TEST_STOP_AT: rank 0 raises SIGUSR1 on itself there, whatever the machine's
# speed; the signal path is the same as a signal from outside).
long=("${cfg[@]}" --set env.max_steps=400 --set env.healthy_z_max=1e6)
RC=0
HEBES_TEST_STOP_AT=2:9 timeout 300 mpirun -np 8 --oversubscribe -x HEBES_TEST_STOP_AT "$HEBES" train "${long[@]}" \
  --set run.generations=1000 --set run.name=stopped > "$TMP/stopped.log" 2>&1 || RC=$?
check "stopped mid-run exits 3" test $RC = 3
check "the signal landed inside generation 2, which was abandoned" grep -q "^gen 2 abandoned on signal" "$TMP/stopped.log"
check "the checkpoint holds the 2 generations completed" test "$(generation_of "$TMP/stopped/checkpoint.h5")" = 2
gens=$(generation_of "$TMP/stopped/checkpoint.h5")
echo "stopped at generation $gens"
timeout 300 mpirun -np 8 --oversubscribe "$HEBES" train --resume "$TMP/stopped/checkpoint.h5" \
  --set run.generations=$((gens + 1)) > /dev/null
np 2 train "${long[@]}" --set run.generations=$((gens + 1)) --set run.name=straight > /dev/null
check "stopped at -np 8, resumed at -np 8, equals a straight -np 2 run" \
  test "$(hashes "$TMP/straight/checkpoint.h5")" = "$(hashes "$TMP/stopped/checkpoint.h5")"
finish
