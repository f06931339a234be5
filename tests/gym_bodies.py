"""Step-for-step agreement of hebes's bodies with Gymnasium's own v5 environments.

For each body (HalfCheetah-v5, Hopper-v5, Walker2d-v5, Swimmer-v5, Humanoid-v5): hebes's environment (the C core
through the Python package, env.body and Gymnasium's model file, the body's v5 rules) is reset to
hebes's reset state of an episode seed; Gymnasium's environment is put in the same state
(set_state); then both take the same random actions. At every step the observations must be the
same bits, the rewards agree to 1e-12 (relative), and the episode ends at the same step with the
same kind of end (Gymnasium's terminated is hebes's unhealthy end). Prints one line per body and
exits 1 on any disagreement.

    .venv/bin/python tests/gym_bodies.py [--episodes 3] [--steps 300] [--hebes-model FILE] [BODY ...]
"""
import argparse
import os
import sys

import gymnasium as gym
import numpy as np

from hebes.envs import HebesAnt

BODIES = {  # env.body: (Gymnasium id, its model file)
    "half_cheetah": ("HalfCheetah-v5", "half_cheetah.xml"),
    "hopper": ("Hopper-v5", "hopper.xml"),
    "walker2d": ("Walker2d-v5", "walker2d_v5.xml"),
    "swimmer": ("Swimmer-v5", "swimmer.xml"),
    "humanoid": ("Humanoid-v5", "humanoid.xml"),
}


def check(body, episodes, steps, scale, hebes_model=None):
    gid, xml = BODIES[body]
    model = hebes_model or os.path.join(os.path.dirname(gym.__file__), "envs", "mujoco", "assets", xml)
    he = HebesAnt(sets=[f"env.body={body}", f"env.max_steps={steps}"], model=model, rules="ant-v5")
    ge = gym.make(gid).unwrapped
    worst, total, ends, terminated = 0.0, 0, [], 0
    for ep in range(episodes):
        oh, _ = he.reset(seed=1000 + ep)
        q, v = he.state()
        ge.reset(seed=ep)  # MuJoCo's data as a fresh episode leaves it (warm start, forces), then hebes's state
        ge.set_state(q, v)
        og = ge._get_obs()
        if not np.array_equal(oh, og):
            return f"{body}: episode {ep}: the first observations differ by {np.max(np.abs(oh - og)):.3g}"
        rng = np.random.default_rng(ep)
        for t in range(1, steps + 1):
            a = np.clip(scale * rng.standard_normal(he.action_space.shape), -1.0, 1.0)
            oh, rh, th, trh, info = he.step(a)
            og, rg, tg, _, _ = ge.step(a)
            total += 1
            if not np.array_equal(oh, og):
                k = int(np.argmax(oh != og))
                return (f"{body}: episode {ep}, step {t}: observation {k} differs: hebes {oh[k]!r}, "
                        f"Gymnasium {og[k]!r}")
            err = abs(rh - rg) / max(1.0, abs(rg))
            worst = max(worst, err)
            if err > 1e-12:
                return f"{body}: episode {ep}, step {t}: reward hebes {rh!r}, Gymnasium {rg!r}"
            if th != tg:
                return (f"{body}: episode {ep}, step {t}: hebes {'ended (' + info['end'] + ')' if th else 'runs'}, "
                        f"Gymnasium {'terminated' if tg else 'runs'}")
            if th or trh:
                ends.append(info["end"])
                terminated += th
                break
    return (f"{body}: {gid} agrees: {episodes} episodes, {total} steps, observations the same bits, rewards "
            f"within {worst:.2g} (relative), {terminated} terminated at the same step ({', '.join(ends)})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bodies", nargs="*", metavar="BODY", help=" ".join(BODIES) + " (default: all)")
    ap.add_argument("--episodes", type=int, default=3)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--scale", type=float, default=1.0, help="action std before the clip to [-1, 1]")
    ap.add_argument("--hebes-model", help="another MJCF file for hebes's side (a test that the check can fail)")
    a = ap.parse_args()
    if a.episodes < 1 or a.steps < 1:
        ap.error("--episodes and --steps must be at least 1")
    for b in a.bodies:
        if b not in BODIES:
            ap.error(f"unknown body {b!r} (bodies: {' '.join(BODIES)})")
    bad = 0
    for body in a.bodies or BODIES:
        line = check(body, a.episodes, a.steps, a.scale, a.hebes_model)
        bad += "agrees" not in line
        print(("" if "agrees" in line else "DISAGREE: ") + line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
