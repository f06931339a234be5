"""The Python policy API in a loop of your own: a trained hebes network driven by observations
from outside hebes. Here the "environment" is a hebes trace (recorded MuJoCo states), so that the
example runs anywhere h5py and NumPy do; with MuJoCo's Python bindings, or a robot, feed its
observations (qpos without x, y, then qvel: docs/environment.md) the same way.

    /usr/bin/python3 python/example.py results/walk-hebbian/checkpoint.h5
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hebes  # noqa: E402

ckpt = sys.argv[1] if len(sys.argv) > 1 else "results/walk-hebbian/checkpoint.h5"
policy = hebes.load(ckpt)
print(f"{ckpt}: rule {policy.rule}, layers {'-'.join(map(str, policy.sizes))}")

# A recorded episode stands in for an environment: hebes eval --trace writes its states.
trace = os.path.join(tempfile.mkdtemp(), "t.h5")
subprocess.run(["build/hebes", "eval", ckpt, "--episodes", "1", "--trace", trace], check=True,
               stdout=subprocess.DEVNULL)
with h5py.File(trace, "r") as t:
    seed, qpos, qvel, recorded = int(t.attrs["episode_seed"]), t["qpos"][:], t["qvel"][:], t["action"][:]
    first_input = t["activity_0"][0]  # the reset observation as the network saw it (not a recorded state)

policy.reset(seed)                # the initial weights hebes drew for this episode
policy.step(first_input)          # step 1
worst = 0.0
for k in range(1, 200):           # steps 2 .. 200
    obs = np.concatenate([qpos[k - 1][2:], qvel[k - 1]])  # what the Ant observed after step k
    a = policy.act(obs)                                      # the action, then the plasticity step
    worst = max(worst, float(np.max(np.abs(a - recorded[k]))))
print(f"200 steps: the actions differ from the ones hebes sent by at most {worst:.1g}")
print("norms of the weights after 200 steps:", [round(float(np.linalg.norm(w)), 2) for w in policy.weights])
