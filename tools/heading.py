#!/usr/bin/env python3
"""Where an Ant checkpoint walks on each body: x, y, straight-line and path distance, heading.

    .venv/bin/python tools/heading.py CHECKPOINT [--episodes N] [--seed S] [--model FILE ...]

`hebes eval` scores distance along +x, the task's direction. A network that keeps walking on an
unseen body but turns scores as little as one that stands; this tells them apart. Each episode
plays in Gymnasium's Ant-v5 (MuJoCo's own physics, Gymnasium's resets, the episodes of
tools/gym_eval.py) on the body's model file, with the checkpoint's observation (env.contact_obs,
env.foot_contacts, env.heading_obs), reset noise, episode length and healthy z range (its training rules, not
Ant-v5's), fresh plastic weights per episode as in training. Per body it prints the means of:

  x, y     the torso's displacement from its reset position (m)
  |xy|     the straight-line distance, sqrt(x^2 + y^2)
  path     the length of the torso's path in the plane, summed over steps
  x/path   the share of the path that went along +x
  facing   where the torso points (its yaw, averaged over the steps of an episode; the circular
           mean over episodes), degrees, 0 = +x
  gait     the direction of travel in the torso's own frame (each step's displacement turned by
           minus the torso's yaw, summed over the episode; circular mean over episodes), degrees:
           0 = the way the torso points. A turned Ant has facing = heading and gait near 0; an Ant
           whose legs push it sideways or backwards has gait far from 0 whatever its facing
  heading  each episode's direction of travel, atan2(y, x) in degrees (0 = +x, the task's)

Models default to the checkpoint's env.eval_models. Exit 1 with a message on a bad file.
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gym_eval  # noqa: E402  (make_env, and extra_inputs: the same inputs as env.foot_contacts, env.heading_obs)


def yaw(q):
    """The torso's heading in the plane from its quaternion (w, x, y, z), radians."""
    w, x, y, z = q
    return math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))


def circular_mean_deg(angles):
    """The mean direction of angles in radians, in degrees (the angle of the summed unit vectors)."""
    return math.degrees(math.atan2(sum(math.sin(t) for t in angles), sum(math.cos(t) for t in angles)))


def walk(env, policy, seed, feet, head=False):
    """One episode; returns (x, y, path, steps, facing, gait), the last two in radians."""
    u = env.unwrapped
    obs, _ = env.reset(seed=int(seed))
    if feet or head:
        obs = np.concatenate([obs, gym_eval.extra_inputs(u, feet, head)])
    policy.reset(seed)
    x0, y0 = float(u.data.qpos[0]), float(u.data.qpos[1])
    px, py, path, steps = x0, y0, 0.0, 0
    fc = fs = gx = gy = 0.0  # summed facing unit vectors; summed displacement in the torso's frame
    while True:
        obs, _, term, trunc, _ = env.step(policy.act(obs))
        if feet or head:
            obs = np.concatenate([obs, gym_eval.extra_inputs(u, feet, head)])
        x, y = float(u.data.qpos[0]), float(u.data.qpos[1])
        dx, dy, t = x - px, y - py, yaw(u.data.qpos[3:7])
        c, s = math.cos(t), math.sin(t)
        fc, fs = fc + c, fs + s
        gx, gy = gx + c * dx + s * dy, gy - s * dx + c * dy  # the step turned by -yaw
        path += math.hypot(dx, dy)
        px, py, steps = x, y, steps + 1
        if term or trunc:
            return x - x0, y - y0, path, steps, math.atan2(fs, fc), math.atan2(gy, gx)


def main(argv=None):
    p = argparse.ArgumentParser(prog="heading.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("ckpt", help="a hebes checkpoint (.h5) of the Ant")
    p.add_argument("--episodes", type=int, default=10, help="episodes per body (default 10)")
    p.add_argument("--seed", type=int, default=12345, help="evaluation seed, as hebes eval --seed (default 12345)")
    p.add_argument("--which", choices=["current", "best"], default="current", help="coefficients (default current)")
    p.add_argument("--model", action="append", help="a body's MJCF file (repeat; default: env.eval_models)")
    a = p.parse_args(argv)
    if a.episodes < 1 or not 0 <= a.seed < 2 ** 64:
        p.error("--episodes must be at least 1 and --seed in [0, 2^64)")
    import gymnasium as gym
    import hebes
    try:
        if not os.path.isfile(a.ckpt):
            raise ValueError("no such checkpoint file")
        policy = hebes.load(a.ckpt, a.which)
    except (OSError, KeyError, ValueError) as e:
        print(f"heading: {a.ckpt}: {e}", file=sys.stderr)
        return 1
    env_cfg = policy.cfg.get("env", {})
    if env_cfg.get("body", "ant") != "ant":
        print(f"heading: {a.ckpt}: env.body {env_cfg['body']!r}: only the Ant walks in the plane", file=sys.stderr)
        return 1
    models = a.model or env_cfg.get("eval_models") or ["envs/ant.xml"]
    for m in models:
        if not os.path.isfile(m):
            print(f"heading: {m}: no such model file", file=sys.stderr)
            return 1
    feet, head = bool(env_cfg.get("foot_contacts", False)), bool(env_cfg.get("heading_obs", False))
    print(f"checkpoint {a.ckpt} ({a.which} coefficients), {a.episodes} episodes per body, seed {a.seed}, "
          f"Gymnasium {gym.__version__}'s Ant-v5 under the checkpoint's training rules")
    print(f"{'model':32s} {'x':>7s} {'y':>7s} {'|xy|':>7s} {'path':>7s} {'x/path':>7s} {'facing':>7s} {'gait':>7s}"
          "  heading (deg)")
    for m in models:
        env = gym_eval.make_env(env_cfg.get("contact_obs", False), env_cfg.get("max_steps", 1000), m,
                                env_cfg.get("reset_noise_scale", 0.1),
                                healthy_z=(env_cfg.get("healthy_z_min", 0.2), env_cfg.get("healthy_z_max", 1.0)))
        rows = np.array([walk(env, policy, hebes.eval_episode_seed(a.seed, e), feet, head) for e in range(a.episodes)])
        env.close()
        x, y, path = rows[:, 0], rows[:, 1], rows[:, 2]
        heads = [int(round(math.degrees(math.atan2(yy, xx)))) for xx, yy in zip(x, y)]
        print(f"{m:32s} {x.mean():7.2f} {y.mean():7.2f} {np.hypot(x, y).mean():7.2f} {path.mean():7.2f} "
              f"{x.mean() / path.mean() if path.mean() > 0 else 0.0:7.2f} {circular_mean_deg(rows[:, 4]):7.0f} "
              f"{circular_mean_deg(rows[:, 5]):7.0f}  {' '.join(map(str, heads))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
