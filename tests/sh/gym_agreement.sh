# Gymnasium as the judge (tools/gym_eval.py, the project venv's Gymnasium and MuJoCo):
# - hebes's Ant-v5 episode and Gymnasium's own Ant-v5, from the same reset state with the same
#   actions, agree at every step: the observation bit for bit, the reward to a few ulps, the
#   termination at the same step (an episode to the time limit, one ended by a hop above 1.0 m);
# - a trace under other rules, a changed state and a missing file are refused;
# - gym_eval judges a checkpoint in Gymnasium with hebes eval's table, and its resets follow hebes's.
source "$(dirname "$0")/lib.sh"
PY=.venv/bin/python
G="$PY tools/gym_eval.py"
# 1. step for step, from committed checkpoints (a static walker, the plastic hopper)
"$HEBES" eval results/v5-hebbian/v5-static/checkpoint.h5 --episodes 1 --seed 12345 --rules ant-v5 \
  --set env.eval_max_steps=300 --trace "$TMP/walk.h5" > /dev/null
check "a 300-step walk: Gymnasium agrees at every step" \
  bash -c "$G --check-trace '$TMP/walk.h5' | grep -q '^trace .*: 300 steps, hebes ended by time_limit; Gymnasium terminated never'"
"$HEBES" eval results/walk-hebbian/checkpoint.h5 --episodes 1 --seed 7 --rules ant-v5 --trace "$TMP/hop.h5" > /dev/null
check "an episode ended by a hop above 1.0 m: the same end at the same step" \
  bash -c "$G --check-trace '$TMP/hop.h5' | grep -q 'hebes ended by unhealthy_high; Gymnasium terminated at step'"
# the check can fail: a trace whose recorded state is changed disagrees from that step on
$PY - "$TMP/walk.h5" "$TMP/bent.h5" <<'PY'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    q = f["qpos"][:]; q[150, 5] += 1e-9; f["qpos"][...] = q
PY
out=$($G --check-trace "$TMP/bent.h5") && rc=0 || rc=$?
check "a state changed by 1e-9 at step 151 is found there (exit 1)" \
  bash -c "[ $rc -eq 1 ] && grep -q 'DISAGREE: first at step 151' <<< '$out'"
"$HEBES" eval results/walk-static/checkpoint.h5 --episodes 1 --seed 3 --set env.eval_max_steps=20 \
  --trace "$TMP/distance.h5" > /dev/null
expect 1 "distance.h5: recorded under other rules than Ant-v5's: env.fitness = 'distance'" $G --check-trace "$TMP/distance.h5"
expect 1 "none.h5: no such trace file" $G --check-trace "$TMP/none.h5"
# 2. judging a checkpoint in Gymnasium
$G results/v5-hebbian/v5-static/checkpoint.h5 --episodes 2 --seed 12345 --resets hebes --max-steps 20 \
  --out "$TMP/g.csv" > "$TMP/g.txt"
check "gym_eval prints hebes eval's table with the Ant-v5 return" \
  grep -Eq '^Gymnasium Ant-v5 +[0-9.]+ +[0-9.]+ .* ends: 2 0 0 0 0$' "$TMP/g.txt"
"$HEBES" eval results/v5-hebbian/v5-static/checkpoint.h5 --episodes 2 --seed 12345 --rules ant-v5 \
  --set env.eval_max_steps=20 --out "$TMP/h.csv" > /dev/null
# The Python network and C's round differently in the last bit now and then, and a walk amplifies
# that (3% apart after 200 steps); after 20 steps the returns agree to 1e-4.
check "--resets hebes: hebes eval's episode seeds and reset states, 20-step returns within 1e-4" \
  $PY - "$TMP/g.csv" "$TMP/h.csv" <<'PY'
import csv, sys
g, h = (list(csv.DictReader(open(p))) for p in sys.argv[1:3])
assert [r["episode_seed"] for r in g] == [r["episode_seed"] for r in h], "episode seeds differ"
for a, b in zip(g, h):
    assert abs(float(a["fitness"]) - float(b["fitness"])) < 1e-4 * abs(float(b["fitness"])), (a, b)
PY
# returns_agree RUN WHAT: RUN's checkpoint, 2 episodes of 20 steps from hebes's resets, in Gymnasium
# (gym_eval, which computes the extra inputs from Gymnasium's MuJoCo) and in hebes: within 1e-4
returns_agree() {
  $G "$TMP/$1/checkpoint.h5" --episodes 2 --seed 5 --resets hebes --max-steps 20 --out "$TMP/$1-gym.csv" > /dev/null
  "$HEBES" eval "$TMP/$1/checkpoint.h5" --model envs/ant.xml --episodes 2 --seed 5 --rules ant-v5 \
    --set env.eval_max_steps=20 --out "$TMP/$1-hebes.csv" > /dev/null
  check "$2 read in Gymnasium: 20-step returns within 1e-4 of hebes's" \
    $PY - "$TMP/$1-gym.csv" "$TMP/$1-hebes.csv" <<'PY'
import csv, sys
g, h = (list(csv.DictReader(open(p))) for p in sys.argv[1:3])
assert len(g) == len(h) == 2
for a, b in zip(g, h):
    assert abs(float(a["fitness"]) - float(b["fitness"])) < 1e-4 * max(1.0, abs(float(b["fitness"]))), (a, b)
PY
}
# a network that reads foot contacts
np 1 train configs/morph-paper-stp.json --set run.generations=1 --set es.population=2 --set env.max_steps=50 \
  --set run.eval_every=0 --set run.out_dir="$TMP" --set run.name=feet > /dev/null
returns_agree feet "foot contacts"
# a network that reads its heading too (env.heading_obs, after the foot contacts): the inputs hebes
# fed the network (the trace's activity_0, without observation normalisation) are, at every step,
# gym_eval's heading() of the state before it, to the bit; and the returns in Gymnasium agree
np 1 train configs/morph-paper-stp.json --set env.heading_obs=true --set net.obs_norm=false --set run.generations=1 \
  --set es.population=2 --set env.max_steps=50 --set run.eval_every=0 --set run.out_dir="$TMP" --set run.name=head \
  > /dev/null
"$HEBES" eval "$TMP/head/checkpoint.h5" --model envs/ant.xml --episodes 1 --seed 5 --rules ant-v5 \
  --set env.eval_max_steps=200 --trace "$TMP/head.h5" > /dev/null
check "heading inputs: hebes's are gym_eval's heading() of the same state, bit for bit, over 200 steps" \
  $PY - "$TMP/head.h5" <<'PY'
import sys, types
import h5py, numpy as np
sys.path.insert(0, "tools")
import gym_eval
with h5py.File(sys.argv[1]) as f:
    a0, qpos = f["activity_0"][:], f["qpos"][:]
assert a0.shape[1] == 33 and len(qpos) == 200, (a0.shape, qpos.shape)
turned = 0.0
for t in range(len(qpos) - 1):  # the input of step t + 1 reads the state after step t
    u = types.SimpleNamespace(data=types.SimpleNamespace(qpos=qpos[t]))
    want = gym_eval.heading(u).astype(np.float32)  # the network is float32: its input, rounded once
    assert np.array_equal(a0[t + 1, 31:33].astype(np.float32), want), (t, a0[t + 1, 31:33], want)
    turned = max(turned, abs(float(want[0])))
assert turned > 0.05, f"the torso never turned (|sin| at most {turned}): the check would not see a sign"
PY
returns_agree head "heading"
expect 1 "nothing.h5: no such checkpoint file" $G "$TMP/nothing.h5"
expect 2 "at least 1" $G results/v5-hebbian/v5-static/checkpoint.h5 --episodes 0
cp results/ant-quick/config.json "$TMP/cfg.json"
expect 1 "cfg.json: cannot load the policy" $G "$TMP/cfg.json"
cp results/ant-quick/checkpoint.h5 "$TMP/ck.h5"
before=$(sha256sum < "$TMP/ck.h5")
expect 1 "is the checkpoint itself" $G "$TMP/ck.h5" --episodes 1 --out "$TMP/ck.h5"
check "... and the checkpoint is kept" test "$(sha256sum < "$TMP/ck.h5")" = "$before"
# 3. the other bodies (env.body): HalfCheetah-v5, Hopper-v5, Walker2d-v5, Swimmer-v5, Humanoid-v5, step for step
# (run from $TMP: MuJoCo writes Humanoid's model warning to MUJOCO_LOG.TXT in the working folder)
R=$PWD
bodies() { (cd "$TMP" && "$R/$PY" "$R/tests/gym_bodies.py" "$@"); }
bodies --episodes 3 --steps 300 > "$TMP/bodies.txt" || true
# and with smaller actions, so that Hopper, Walker2d and Humanoid stay up longer
bodies --episodes 2 --steps 500 --scale 0.1 hopper walker2d humanoid > "$TMP/bodies-small.txt" || true
check "small actions: Hopper, Walker2d, Humanoid agree too" test "$(grep -c ' agrees: ' "$TMP/bodies-small.txt")" = 3
for g in HalfCheetah-v5 Hopper-v5 Walker2d-v5 Swimmer-v5 Humanoid-v5; do
  check "$g: observations the same bits, rewards within 1e-12, the same ends" grep -q "^[a-z_0-9]*: $g agrees" "$TMP/bodies.txt"
done
check "Hopper, Walker2d and Humanoid episodes end by termination on both sides at the same step" \
  bash -c "grep -E '^(hopper|walker2d|humanoid): .* [1-9][0-9]* terminated at the same step' '$TMP/bodies.txt' | wc -l | grep -qx 3"
# and the check can fail: a hopper whose thigh motor is 1% stronger disagrees at the first step
sed 's/gear="200.0" joint="thigh_joint"/gear="202.0" joint="thigh_joint"/' \
  "$($PY -c 'import gymnasium, os; print(os.path.dirname(gymnasium.__file__))')/envs/mujoco/assets/hopper.xml" > "$TMP/strong.xml"
check "the stronger hopper is a different model" bash -c "! cmp -s '$TMP/strong.xml' \"\$($PY -c 'import gymnasium, os; print(os.path.dirname(gymnasium.__file__))')/envs/mujoco/assets/hopper.xml\""
expect 1 "DISAGREE: hopper: episode 0, step 1: observation" bodies hopper --episodes 1 --steps 5 --hebes-model "$TMP/strong.xml"
# tools/heading.py: where an Ant goes on each body (a committed checkpoint that reads foot contacts):
# one row per eval model, the straight line never longer than the path, x/path = x / path
$PY tools/heading.py results/morph-paper/morph-paper-stp-s1/checkpoint.h5 --episodes 1 > "$TMP/heading.txt"
check "heading.py: a row per body, |xy| <= path, x/path agrees" $PY - "$TMP/heading.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith("envs/")]
assert [r[0] for r in rows] == ["envs/ant.xml", "envs/ant-damaged-right.xml", "envs/ant-damaged-left.xml"], rows
for r in rows:
    x, y, xy, path, share, facing, gait = map(float, r[1:8])
    assert abs(xy - (x * x + y * y) ** 0.5) < 0.02 and xy <= path + 0.01 and abs(share - x / path) < 0.01, r
    assert -180 <= facing <= 180 and -180 <= gait <= 180, r
PY
# its facing and gait columns: the yaw of a torso turned by a known angle about z, the circular mean
# across the +-180 degree seam
check "heading.py: yaw and circular mean worked by hand" $PY - <<'PY'
import math, sys
sys.path.insert(0, "tools")
from heading import yaw, circular_mean_deg
for deg in (0, 30, 90, 135, -60, -179):
    t = math.radians(deg)
    assert abs(math.degrees(yaw((math.cos(t / 2), 0.0, 0.0, math.sin(t / 2)))) - deg) < 1e-9, deg
# a tilt about x alone leaves the heading at 0
assert abs(yaw((math.cos(0.2), math.sin(0.2), 0.0, 0.0))) < 1e-12
assert abs(abs(circular_mean_deg([math.radians(170), math.radians(-170)])) - 180) < 1e-9
assert abs(circular_mean_deg([math.radians(350), math.radians(10)])) < 1e-9
PY
set +e
$PY tools/heading.py "$TMP/none.h5" > /dev/null 2> "$TMP/heading.err"
rc=$?
set -e
check "heading.py: a missing checkpoint, exit 1 and named" test $rc = 1 -a "$(grep -c 'none.h5: no such checkpoint file' "$TMP/heading.err")" = 1
finish
