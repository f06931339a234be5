# A run in TensorBoard (tools/tensorboard_run.py): followed live while it trains, every generation's
# figures are in the event files, read back with TensorBoard's own reader, equal to progress.csv's
# (float32); a resume adds the new generations once; bad input is named.
source "$(dirname "$0")/lib.sh"
PY=.venv/bin/python
np 1 train tests/configs/ant-learn.json --set run.generations=2 --set es.population=8 --set env.max_steps=40 \
  --set run.eval_every=2 --set run.out_dir="$TMP" --set run.name=r > /dev/null
# follow it live: the follower starts on a run of 2 generations and stays while a resume trains 4 more
$PY tools/tensorboard_run.py "$TMP/r" --logdir "$TMP/tb" --follow --interval 0.5 --idle 3 > "$TMP/follow.log" 2>&1 &
follower=$!
# the resume starts once the follower has written what the run holds (its imports take a moment)
for _ in $(seq 300); do grep -q 'generations written' "$TMP/follow.log" 2> /dev/null && break; sleep 0.1; done
np 2 train --resume "$TMP/r/checkpoint.h5" --set run.generations=6 > /dev/null
wait "$follower" && rc=0 || rc=$?
check "the follower writes the first 2 generations, then the new ones, and stops when the run is idle" \
  bash -c "[ $rc -eq 0 ] && grep -q '2 generations written' '$TMP/follow.log' && grep -q 'new generation' '$TMP/follow.log'"
check "TensorBoard's reader finds every generation's figures, equal to progress.csv" $PY - "$TMP/tb/r" "$TMP/r/progress.csv" <<'PY'
import csv, sys
import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
ea = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})
ea.Reload()
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == 6, len(rows)
tags = set(ea.Tags()["scalars"])
for t in ("fitness/mean", "fitness/max", "fitness/best_ever", "es/lr", "es/sigma", "net/norm_layer0",
          "net/norm_layer1", "speed/steps_per_s", "eval/mean_m0", "eval/distance_m0"):
    assert t in tags, (t, sorted(tags))
for tag, col in (("fitness/mean", "mean"), ("es/sigma", "sigma"), ("es/lr", "lr"), ("net/norm_layer1", "norm_layer1")):
    ev = ea.Scalars(tag)
    assert [e.step for e in ev] == list(range(6)), (tag, [e.step for e in ev])  # each generation once
    for e, r in zip(ev, rows):
        assert e.value == np.float32(float(r[col])), (tag, e.step, e.value, r[col])
ev = ea.Scalars("eval/mean_m0")  # evaluated at generations 0, 2 and 4
assert [e.step for e in ev] == [0, 2, 4], [e.step for e in ev]
PY
out=$($PY tools/tensorboard_run.py "$TMP/none" 2>&1) && rc=0 || rc=$?
check "a missing run folder is named (exit 1)" bash -c "[ $rc -eq 1 ] && grep -q 'none: no such run folder' <<< '$out'"
mkdir -p "$TMP/empty"
out=$($PY tools/tensorboard_run.py "$TMP/empty" 2>&1) && rc=0 || rc=$?
check "a folder without progress.csv is named (exit 1)" bash -c "[ $rc -eq 1 ] && grep -q 'empty: no progress.csv' <<< '$out'"
out=$($PY tools/tensorboard_run.py "$TMP/r" --interval 0 2>&1) && rc=0 || rc=$?
check "--interval 0: a bad command line (exit 2)" test $rc -eq 2
finish
