# The Python package as a user installs it (pip install ./python into a fresh folder, its shared
# core compiled against the venv's MuJoCo): hebes's C Ant as a Gymnasium environment passes
# Gymnasium's check_env, a random agent runs on it, its episodes are hebes's own (the same reset
# state and return as `hebes rollout`) and Gymnasium's (the same physics, bit for bit), a trained
# policy runs in any Gymnasium environment of its shapes, and bad input is refused by name.
source "$(dirname "$0")/lib.sh"
PY=$PWD/.venv/bin/python
.venv/bin/pip install -q --disable-pip-version-check --no-build-isolation --no-deps ./python --target "$TMP/site" \
  > "$TMP/pip.log" 2>&1 || { grep -v '^WARNING: Location' "$TMP/pip.log"; bad "pip install ./python"; finish; }
ok "pip install ./python builds the shared core"
cd "$TMP" # the installed copy, not the checkout's python/
export PYTHONPATH=$TMP/site
R=$OLDPWD
check "the installed package is imported, with its core" $PY -c "
import hebes, hebes.envs, os
assert hebes.__file__.startswith('$TMP/site'), hebes.__file__
assert os.path.exists(hebes.envs.core_path())"
check "check_env passes (Ant-v5 rules; hebes's rules with foot contacts and damage)" $PY -c "
import gymnasium as gym, hebes.envs
from gymnasium.utils.env_checker import check_env
check_env(gym.make('hebes/Ant-v0', rules='ant-v5').unwrapped, skip_render_check=True)
check_env(hebes.envs.HebesAnt(config='$R/configs/morph-paper-stp.json', model='$R/envs/ant-damaged-left.xml',
          sets=['env.damage_leg=front_left', 'env.damage_step=5']), skip_render_check=True)"
check "the other bodies: hebes/HalfCheetah-v0 ... hebes/Humanoid-v0 pass check_env with Gymnasium's shapes" $PY -c "
import gymnasium as gym, hebes.envs
from gymnasium.utils.env_checker import check_env
for g in ('HalfCheetah', 'Hopper', 'Walker2d', 'Swimmer', 'Humanoid'):
    e, ref = gym.make(f'hebes/{g}-v0'), gym.make(f'{g}-v5')
    check_env(e.unwrapped, skip_render_check=True)
    assert e.observation_space.shape == ref.observation_space.shape, (g, e.observation_space, ref.observation_space)
    assert e.action_space.shape == ref.action_space.shape, g"
check "a random agent runs 3 episodes to their ends, with the reward's terms in info" $PY -c "
import gymnasium as gym, numpy as np, hebes.envs
env = gym.make('hebes/Ant-v0', rules='ant-v5')
env.action_space.seed(0)
for ep in range(3):
    obs, info = env.reset(seed=ep)
    total, done = 0.0, False
    while not done:
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        total += r; done = term or trunc
    assert abs(total - (info['forward'] + info['healthy'] - info['control_cost'] - info['contact_cost'])) < 1e-6
    assert info['end'] in ('time_limit', 'unhealthy_low', 'unhealthy_high'), info"
# the same episode as hebes rollout (the same reset, the same physics; the Python network rounds
# differently from C's now and then, which a walk amplifies: 30 steps agree to 1e-4, 200 to 5%)
"$HEBES" rollout --ckpt "$R/results/v5-hebbian/v5-static/checkpoint.h5" --episode-seed 11 --rules ant-v5 \
  --set env.max_steps=30 > "$TMP/roll.txt"
check "a policy in HebesAnt plays hebes rollout's episode: the same steps, return within 1e-4" $PY - "$TMP/roll.txt" \
  "$R/results/v5-hebbian/v5-static/checkpoint.h5" "$R/envs/ant.xml" <<'PY'
import sys, hebes, hebes.envs
want = dict(l.split(None, 1) for l in open(sys.argv[1]) if l.split()[0] in ("fitness", "steps", "end"))
env = hebes.envs.HebesAnt(model=sys.argv[3], rules="ant-v5", sets=["env.max_steps=30"])
ret, steps, info = hebes.rollout(hebes.load(sys.argv[2]), env, 11)
assert steps == int(want["steps"]) and info["end"] == want["end"].strip(), (steps, info, want)
assert abs(ret - float(want["fitness"])) < 1e-4 * abs(ret), (ret, want)
PY
check "HebesAnt and Gymnasium's Ant-v5 from the same state: the same observations, bit for bit" $PY -c "
import gymnasium as gym, numpy as np, hebes.envs
h = hebes.envs.HebesAnt(rules='ant-v5')
g = gym.make('Ant-v5', include_cfrc_ext_in_observation=False).unwrapped
obs_h, _ = h.reset(seed=5); g.reset(seed=0); g.set_state(*h.state())
assert np.array_equal(obs_h, g._get_obs())
rng = np.random.default_rng(1)
for t in range(300):
    a = rng.uniform(-1, 1, 8)
    oh, rh, th, _, _ = h.step(a); og, rg, tg, _, _ = g.step(a)
    assert np.array_equal(oh, og) and abs(rh - rg) < 1e-12 and th == tg, t
    if th: break"
check "a trained policy in Gymnasium's own Ant-v5 (hebes.rollout)" $PY -c "
import gymnasium as gym, hebes
env = gym.make('Ant-v5', include_cfrc_ext_in_observation=False, max_episode_steps=100)
ret, steps, info = hebes.rollout(hebes.load('$R/results/v5-hebbian/v5-static/checkpoint.h5'), env, 3)
assert steps == 100 and ret > 200, (ret, steps)"
check "a checkpoint's engine: the MuJoCo its run stepped on, None where hebes kept none" $PY -c "
import hebes
assert hebes.load('$R/tests/data/checkpoint-v5-merge.h5').engine == '4.0.1'
assert hebes.load('$R/tests/data/checkpoint-v4-ant.h5').engine is None"
# each raises (Python exits 1), naming what is wrong
expect 1 "HebesAnt: --set: env.nope: unknown key" $PY -c \
  "import hebes.envs; hebes.envs.HebesAnt(sets=['env.nope=1'])"
expect 1 "HebesAnt: nothing.json: no such config file" $PY -c \
  "import hebes.envs; hebes.envs.HebesAnt(config='nothing.json')"
expect 1 "call reset() before step()" $PY -c \
  "import hebes.envs; hebes.envs.HebesAnt().step([0] * 8)"
expect 1 "an action has 8 numbers, got shape (3,)" $PY -c \
  "import hebes.envs; e = hebes.envs.HebesAnt(); e.reset(seed=1); e.step([0, 0, 0])"
expect 1 "the network reads 27 numbers and gives 8 actions" $PY -c \
  "import gymnasium as gym, hebes; hebes.rollout(hebes.load('$R/results/walk-static/checkpoint.h5'), gym.make('Ant-v5'), 1)"
finish
