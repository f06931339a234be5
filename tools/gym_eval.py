#!/usr/bin/env python3
"""Judge a hebes checkpoint inside Gymnasium's own Ant-v5, or check a hebes trace against it.

    .venv/bin/python tools/gym_eval.py CKPT [--episodes 50] [--seed 12345] [--resets gymnasium|hebes]
    .venv/bin/python tools/gym_eval.py --check-trace TRACE.h5 [--tol 0]

Judging: the checkpoint's policy (python/hebes, the same float32 network as the C core) acts in
gymnasium.make("Ant-v5") with Gymnasium's own model file, reward, termination and TimeLimit; the
network reads 27 observations, or 105 when its config sets env.contact_obs (Ant-v5's
include_cfrc_ext_in_observation), four foot contacts after them when it sets env.foot_contacts and
the heading's sine and cosine last when it sets env.heading_obs (both computed from Gymnasium's
MuJoCo data as hebes does). Episode e has the seed hebes.eval_episode_seed(SEED, e), as
`hebes eval --seed SEED` episode e: the network's initial weights are drawn from it, and so is the
reset, by Gymnasium's generator (--resets gymnasium, the default) or by hebes's own Philox stream
(--resets hebes: the very reset state `hebes eval --seed SEED --rules ant-v5` plays). The table has
the format of `hebes eval --rules ant-v5`: the mean column is the Ant-v5 return.

--check-trace: a trace of `hebes eval ... --rules ant-v5 --trace T.h5` (or rollout) is replayed in
Gymnasium's Ant-v5 from the trace's reset state, action by action; at every step Gymnasium's
observation, reward and termination are compared with hebes's (the trace's qpos without x, y and
qvel, its reward, its end). Exit 0 when every observation differs by at most --tol (default 0: the
same bits, as measured with the same MuJoCo) and every reward by at most --reward-tol (default
1e-12: the two sum the reward's terms in another order, a few ulps apart), 1 otherwise.

Exit codes: 0 ok, 1 error (the message names the file and the reason), 2 bad command line.
"""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

ENDS = ["time_limit", "unhealthy_low", "unhealthy_high", "early_stop", "diverged"]  # and "unhealthy" (Hopper, Walker2d)
# What Ant-v5's defaults are, in hebes's config keys (docs/environment.md, "--rules ant-v5").
V5_RULES = {"fitness": "reward", "healthy_reward": 1.0, "ctrl_cost_weight": 0.5, "contact_cost_weight": 5e-4,
            "healthy_z_min": 0.2, "healthy_z_max": 1.0, "fitness_scale": 1.0, "frame_skip": 5,
            "early_stop": False, "unhealthy_grace": 0}


class Fail(Exception):
    """An error for the user: printed as 'gym_eval: MESSAGE', exit 1."""


def make_env(contact_obs, max_steps, xml=None, noise=0.1, healthy_z=None):
    """Gymnasium's Ant-v5 with the observation of env.contact_obs; healthy_z (lo, hi) replaces its
    healthy z range (tools/heading.py plays a checkpoint under its training rules)."""
    import gymnasium as gym
    kw = dict(include_cfrc_ext_in_observation=bool(contact_obs), max_episode_steps=int(max_steps),
              reset_noise_scale=float(noise))
    if xml:
        kw["xml_file"] = os.path.abspath(xml)
    if healthy_z is not None:
        kw["healthy_z_range"] = (float(healthy_z[0]), float(healthy_z[1]))
    return gym.make("Ant-v5", **kw)


def foot_contacts(u):
    """hebes's env.foot_contacts inputs from a Gymnasium MuJoCo env: 1 while the body that joint
    ankle_N moves touches a geom of the world (src/env/env.c, observe), N = 1 to 4."""
    m, d = u.model, u.data
    feet = [m.jnt_bodyid[m.joint(f"ankle_{n}").id] for n in range(1, 5)]
    out = np.zeros(4)
    for c in d.contact[:d.ncon]:
        b1, b2 = m.geom_bodyid[c.geom[0]], m.geom_bodyid[c.geom[1]]
        if b1 and b2:
            continue
        for n, b in enumerate(feet):
            if b in (b1, b2):
                out[n] = 1.0
    return out


def heading(u):
    """hebes's env.heading_obs inputs: sin and cos of the angle from the torso's facing (its x axis in
    the floor's plane, from the quaternion qpos[3:7]) to +x, with the same operations in the same
    order as src/env/env.c (observe), so the same bits."""
    w, x, y, z = (float(v) for v in u.data.qpos[3:7])
    vx, vy = 1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y + w * z)
    r = math.sqrt(vx * vx + vy * vy)
    return np.array([-vy / r, vx / r]) if r > 0.0 else np.array([0.0, 1.0])


def extra_inputs(u, feet, head):
    """What a hebes Ant config appends to Gymnasium's observation: foot contacts (env.foot_contacts),
    then the heading (env.heading_obs)."""
    parts = ([foot_contacts(u)] if feet else []) + ([heading(u)] if head else [])
    return np.concatenate(parts) if parts else np.zeros(0)


# Hopper-v5's, Walker2d-v5's and Humanoid-v5's healthy z ranges (HalfCheetah and Swimmer never terminate;
# the Ant's, [0.2, 1], is inclusive)
Z_RANGE = {"hopper": (0.7, float("inf")), "walker2d": (0.8, 2.0), "humanoid": (1.0, 2.0)}


def end_of(u, body, finite):
    """hebes's name for how Gymnasium terminated an episode (src/env/env.c, env_step)."""
    if not finite:
        return "diverged"
    if body == "ant":
        z = float(u.data.qpos[2])
        return "unhealthy_low" if z < 0.2 else "unhealthy_high" if z > 1.0 else "time_limit"
    z, (lo, hi) = float(u.data.qpos[2 if body == "humanoid" else 1]), Z_RANGE.get(body, (-np.inf, np.inf))
    return "unhealthy_low" if not z > lo else "unhealthy_high" if not z < hi else "unhealthy"


def run_episode(env, policy, seed, resets, hebes, feet=False, body="ant", head=False):
    """One episode; returns a dict of the row's figures. feet, head: append the four foot contacts,
    then the heading, to Gymnasium's observation, as hebes's env.foot_contacts and env.heading_obs do."""
    u = env.unwrapped
    obs, _ = env.reset(seed=int(seed))
    if resets == "hebes":
        qpos, qvel = hebes.reset_state(seed, u.init_qpos, u.model.nv, u._reset_noise_scale, body=body)
        u.set_state(qpos, qvel)
        obs = u._get_obs()
    if feet or head:
        obs = np.concatenate([obs, extra_inputs(u, feet, head)])
    policy.reset(seed)
    x0 = float(u.data.qpos[0])
    terms = dict(forward=0.0, healthy=0.0, control_cost=0.0, contact_cost=0.0)
    ret, steps, end = 0.0, 0, "time_limit"
    while True:
        a = policy.act(obs)
        if not np.all(np.isfinite(a)):
            end = "diverged"  # as hebes: a non-finite action never reaches MuJoCo
            break
        obs, r, term, trunc, info = env.step(a)
        if feet or head:
            obs = np.concatenate([obs, extra_inputs(u, feet, head)])
        steps += 1
        ret += float(r)
        terms["forward"] += float(info["reward_forward"])
        terms["healthy"] += float(info.get("reward_survive", 0.0))  # HalfCheetah and Swimmer have none
        terms["control_cost"] -= float(info["reward_ctrl"])
        terms["contact_cost"] -= float(info.get("reward_contact", 0.0))  # the Ant's alone
        if term:
            end = end_of(u, body, bool(np.all(np.isfinite(u.state_vector()))))
            break
        if trunc:
            break
    return dict(episode_seed=int(seed), fitness=ret, distance=float(u.data.qpos[0]) - x0, steps=steps, end=end,
                **terms)


def judge(args):
    import gymnasium
    import mujoco
    import hebes
    if not os.path.isfile(args.ckpt):
        raise Fail(f"{args.ckpt}: no such checkpoint file")
    try:
        policy = hebes.load(args.ckpt, args.which)
    except (OSError, KeyError, ValueError) as e:
        raise Fail(f"{args.ckpt}: cannot load the policy: {e}")
    env_cfg = policy.cfg.get("env", {})
    body = env_cfg.get("body", "ant")
    if body not in hebes.BODY_GYM:
        raise Fail(f"{args.ckpt}: env.body {body!r} has no Gymnasium environment here")
    gid = hebes.BODY_GYM[body][0]
    contact, feet = bool(env_cfg.get("contact_obs", False)), bool(env_cfg.get("foot_contacts", False))
    head = bool(env_cfg.get("heading_obs", False))
    if body == "ant":
        env = make_env(contact, args.max_steps, args.xml)
    else:
        if args.xml:
            raise Fail(f"--xml is for the Ant; {args.ckpt} is a {gid} checkpoint")
        env = gymnasium.make(gid, max_episode_steps=int(args.max_steps))
    n_obs, n_act = env.observation_space.shape[0] + (4 if feet else 0) + (2 if head else 0), env.action_space.shape[0]
    if policy.sizes[0] != n_obs or policy.sizes[-1] != n_act:
        env.close()
        raise Fail(f"{args.ckpt}: the network reads {policy.sizes[0]} inputs and gives {policy.sizes[-1]} actions; "
                   f"{gid} gives {n_obs} observations (with its config's env.contact_obs, env.foot_contacts and env.heading_obs) "
                   f"and takes {n_act} actions")
    rows = []
    for e in range(args.episodes):
        rows.append(run_episode(env, policy, hebes.eval_episode_seed(args.seed, e), args.resets, hebes, feet, body,
                                head))
        if args.progress and (e + 1) % 10 == 0:
            print(f"gym_eval: {e + 1} of {args.episodes} episodes", file=sys.stderr, flush=True)
    env.close()
    label = f"Gymnasium {gid}" + (f" ({os.path.basename(args.xml)})" if args.xml else "")
    print(f"checkpoint {args.ckpt} ({args.which} coefficients, rule {policy.rule}), {args.episodes} episode"
          f"{'s' if args.episodes != 1 else ''}, seed {args.seed}, Gymnasium {gymnasium.__version__}'s own {gid} "
          f"on MuJoCo {mujoco.__version__} ({args.resets} resets; mean = {gid} return)")
    if policy.engine and policy.engine != mujoco.__version__:
        print(f"note: trained on MuJoCo {policy.engine}: another engine than this one, whose physics differ in "
              f"the last bits", file=sys.stderr)
    print_table(label, rows)
    if args.out:
        write_csv(args.out, label, rows)
        print(f"per-episode rows written to {args.out}")
    return 0


def print_table(label, rows):
    """The table of `hebes eval --rules ant-v5` (src/cli/cli_eval.c)."""
    f = np.array([r["fitness"] for r in rows])
    n = len(rows)
    std = float(np.sqrt(np.sum((f - f.mean()) ** 2) / (n - 1))) if n > 1 else 0.0
    ends = [sum(r["end"] == k for r in rows) for k in ENDS]
    print("%-32s %10s %9s %10s %10s %9s %7s  ends: %s" % ("model", "mean", "std", "min", "max", "distance", "steps",
                                                          " ".join(ENDS)))
    print("%-32s %10.3f %9.3f %10.3f %10.3f %9.3f %7.1f  ends: %s" % (
        label, f.mean(), std, f.min(), f.max(), np.mean([r["distance"] for r in rows]),
        np.mean([r["steps"] for r in rows]), " ".join(str(k) for k in ends)
        + ("  unhealthy %d" % sum(r["end"] == "unhealthy" for r in rows) if any(r["end"] == "unhealthy" for r in rows)
           else "")))
    t = {k: np.mean([r[k] for r in rows]) for k in ("forward", "healthy", "control_cost", "contact_cost")}
    print("%-32s reward terms per episode: forward %.1f  healthy %.1f  control cost %.1f  contact cost %.1f" % (
        "", t["forward"], t["healthy"], t["control_cost"], t["contact_cost"]))


def write_csv(path, label, rows):
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["model", "episode", "episode_seed", "fitness", "distance", "steps", "end", "forward",
                        "healthy", "control_cost", "contact_cost"])
            for e, r in enumerate(rows):
                w.writerow([label, e, r["episode_seed"], repr(r["fitness"]), repr(r["distance"]), r["steps"],
                            r["end"], repr(r["forward"]), repr(r["healthy"]), repr(r["control_cost"]),
                            repr(r["contact_cost"])])
        os.replace(tmp, path)
    except OSError as e:
        raise Fail(f"{path}: cannot write: {e.strerror}")


def check_trace(args):
    import h5py
    import hebes
    path = args.check_trace
    if not os.path.isfile(path):
        raise Fail(f"{path}: no such trace file")
    try:
        with h5py.File(path, "r") as f:
            fmt = f.attrs.get("format")
            if fmt not in (b"hebes-trace", "hebes-trace"):
                raise Fail(f"{path}: not a hebes trace (format attribute {fmt!r})")
            cfg = json.loads(f["config"][()])
            qpos, qvel = f["qpos"][:], f["qvel"][:]
            action, reward = f["action"][:], f["reward"][:]
            seed, model_index = int(f.attrs["episode_seed"]), int(f.attrs["model_index"])
            end = f.attrs["end"]
            end = end.decode() if isinstance(end, bytes) else str(end)
    except (OSError, KeyError) as e:
        raise Fail(f"{path}: cannot read the trace: {e}")
    env_cfg = cfg.get("env", {})
    off = [f"env.{k} = {env_cfg.get(k, v)!r} (Ant-v5: {v!r})" for k, v in V5_RULES.items()
           if env_cfg.get(k, v) != v]
    if off:
        raise Fail(f"{path}: recorded under other rules than Ant-v5's: " + "; ".join(off) +
                   " (record it with --rules ant-v5)")
    if env_cfg.get("damage_leg", "none") != "none":
        raise Fail(f"{path}: recorded with env.damage_leg; Gymnasium's Ant-v5 has no damage")
    T = len(reward)
    env = make_env(env_cfg.get("contact_obs", False), T + 1, args.xml, env_cfg.get("reset_noise_scale", 0.1))
    u = env.unwrapped
    env.reset(seed=0)
    q0, v0 = hebes.reset_state(seed, u.init_qpos, u.model.nv, env_cfg.get("reset_noise_scale", 0.1), model_index)
    u.set_state(q0, v0)
    dev = dict(obs=0.0, reward=0.0)
    first_bad, term_at = None, None
    for t in range(T):
        obs, r, term, _, _ = env.step(action[t])
        want = np.concatenate([qpos[t, 2:], qvel[t]])
        d_obs = float(np.max(np.abs(obs[:want.size] - want)))
        d_r = abs(float(r) - float(reward[t]))
        dev["obs"], dev["reward"] = max(dev["obs"], d_obs), max(dev["reward"], d_r)
        if first_bad is None and (d_obs > args.tol or d_r > args.reward_tol):
            first_bad = t + 1
        if term:
            term_at = t + 1
            break
    env.close()
    hebes_term = end in ("unhealthy_low", "unhealthy_high", "diverged")
    term_ok = (term_at == T) if hebes_term else (term_at is None)
    print(f"trace {path}: {T} steps, hebes ended by {end}; Gymnasium terminated "
          f"{'at step %d' % term_at if term_at else 'never'}")
    print(f"largest |difference| over {T} steps: observation {dev['obs']:.3g}, reward {dev['reward']:.3g} "
          f"(tolerances {args.tol:g}, {args.reward_tol:g})")
    ok = first_bad is None and term_ok
    print("agree: every step's observation, reward and termination" if ok else
          f"DISAGREE: first at step {first_bad}" if first_bad else "DISAGREE: termination")
    return 0 if ok else 1


def main(argv=None):
    p = argparse.ArgumentParser(prog="gym_eval.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("ckpt", nargs="?", help="a hebes checkpoint (.h5)")
    p.add_argument("--episodes", type=int, default=50, help="episodes (default 50)")
    p.add_argument("--seed", type=int, default=0, help="evaluation seed, as hebes eval --seed (default 0)")
    p.add_argument("--which", choices=["current", "best"], default="current", help="coefficients (default current)")
    p.add_argument("--resets", choices=["gymnasium", "hebes"], default="gymnasium",
                   help="who draws each episode's reset state (default gymnasium)")
    p.add_argument("--max-steps", type=int, default=1000, help="TimeLimit (default 1000, Ant-v5's)")
    p.add_argument("--xml", help="another MJCF model for Ant-v5's xml_file (default: Gymnasium's ant.xml)")
    p.add_argument("--out", help="also write one row per episode (CSV, the columns of hebes eval --out)")
    p.add_argument("--progress", action="store_true", help="a line on stderr every 10 episodes")
    p.add_argument("--check-trace", metavar="TRACE.h5", help="replay a hebes trace in Gymnasium and compare")
    p.add_argument("--tol", type=float, default=0.0,
                   help="with --check-trace: largest allowed observation difference (default 0)")
    p.add_argument("--reward-tol", type=float, default=1e-12,
                   help="with --check-trace: largest allowed reward difference (default 1e-12)")
    args = p.parse_args(argv)
    if (args.ckpt is None) == (args.check_trace is None):
        p.error("give a checkpoint, or --check-trace TRACE.h5")
    if args.episodes < 1 or args.max_steps < 1:
        p.error("--episodes and --max-steps must be at least 1")
    if args.seed < 0 or args.seed >= 2 ** 64:
        p.error("--seed must be in [0, 2^64)")
    if min(args.tol, args.reward_tol) < 0 or not math.isfinite(args.tol + args.reward_tol):
        p.error("--tol and --reward-tol must be finite and not negative")
    if args.xml and not os.path.isfile(args.xml):
        print(f"gym_eval: {args.xml}: no such model file", file=sys.stderr)
        return 1
    if args.out and args.ckpt and os.path.exists(args.out) and os.path.samefile(args.out, args.ckpt):
        print(f"gym_eval: --out {args.out} is the checkpoint itself: refusing to overwrite it", file=sys.stderr)
        return 1
    try:
        return check_trace(args) if args.check_trace else judge(args)
    except Fail as e:
        print(f"gym_eval: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
