"""tests/sh/python_api.sh's check: the Python policy (python/hebes) fed a trace's network inputs
reproduces the trace's weights, activities and actions to float32 rounding, and draws the same
initial weights bit for bit.

    /usr/bin/python3 tests/python_api_check.py CHECKPOINT TRACE
"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import hebes  # noqa: E402


def main():
    ckpt, trace = sys.argv[1], sys.argv[2]
    policy = hebes.load(ckpt)
    with h5py.File(trace, "r") as t:
        seed = int(t.attrs["episode_seed"])
        L = len(policy.sizes) - 1
        acts = [t[f"activity_{l}"][:] for l in range(L + 1)]
        action, qpos, qvel = t["action"][:], t["qpos"][:], t["qvel"][:]
        steps = list(t["weights_step"][:])
        snaps = [t[f"weights_{l}"][:] for l in range(L)]
    policy.reset(seed)
    worst = 0.0
    for k in range(len(action)):
        if k + 1 in steps:  # the weights the step's forward pass used
            s = steps.index(k + 1)
            for l in range(L):
                if k == 0:  # the initial weights: the same Philox stream, bit for bit
                    assert np.array_equal(policy.weights[l].astype(np.float64), snaps[l][s]), f"layer {l} at reset"
                scale = max(1.0, float(np.max(np.abs(snaps[l][s]))))
                worst = max(worst, float(np.max(np.abs(policy.weights[l] - snaps[l][s]))) / scale)
        if k > 0:  # the raw observation after step k - 1 gives step k's input
            obs = np.concatenate([qpos[k - 1][2:], qvel[k - 1]])
            if len(obs) == policy.sizes[0]:
                assert np.allclose(policy.normalize_obs(obs), acts[0][k], rtol=0, atol=2e-6), f"input at step {k + 1}"
        a = policy.step(acts[0][k])
        for l in range(1, L + 1):
            scale = max(1.0, float(np.max(np.abs(acts[l][k]))))
            worst = max(worst, float(np.max(np.abs(policy.activities[l] - acts[l][k]))) / scale)
        worst = max(worst, float(np.max(np.abs(a - action[k]))))
    assert worst < 1e-4, f"largest relative difference {worst:.3g}"
    print(f"python_api: {policy.rule}, {len(action)} steps: largest relative difference {worst:.2g}")


if __name__ == "__main__":
    main()
