#!/usr/bin/env python3
"""The held-out judgement of bench/peers: a peer's final policy on 50 episodes of Gymnasium's own
Ant-v5 (27 observations), in the table format of `hebes eval --rules ant-v5` (tools/gym_eval.py's).

    .venv/bin/python bench/peers/judge.py evotorch results/peers/evotorch [--episodes 50] [--seed 12345]
    .venv/bin/python bench/peers/judge.py sac results/peers/sac

Episode e is reset with the seed hebes.eval_episode_seed(SEED, e), as tools/gym_eval.py resets
hebes's policies, so every arm meets the same held-out starts. Actions are clipped to [-1, 1]
(Ant-v5's control range); SAC acts deterministically (its mean action).
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))


def evotorch_policy(folder):
    import torch
    from evotorch.neuroevolution.net import str_to_net
    saved = torch.load(os.path.join(folder, "policy.pt"))
    net = str_to_net("Linear(obs_length, act_length)", obs_length=27, act_length=8)
    torch.nn.utils.vector_to_parameters(saved["center"].to(torch.float32), net.parameters())
    mean, stdev = saved["obs_mean"].numpy(), saved["obs_stdev"].numpy()

    def act(obs):
        x = torch.as_tensor((obs - mean) / stdev, dtype=torch.float32)
        with torch.no_grad():
            return net(x).numpy().astype(np.float64)
    return act


def sac_policy(folder):
    from stable_baselines3 import SAC
    model = SAC.load(os.path.join(folder, "model.zip"), device="cpu")
    return lambda obs: model.predict(obs, deterministic=True)[0].astype(np.float64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("arm", choices=["evotorch", "sac"])
    ap.add_argument("folder")
    ap.add_argument("--episodes", type=int, default=50)
    ap.add_argument("--seed", type=int, default=12345)
    a = ap.parse_args()
    if not os.path.isdir(a.folder):
        print(f"judge: {a.folder}: no such folder", file=sys.stderr)
        return 1
    import gymnasium as gym
    import hebes
    import gym_eval
    act = evotorch_policy(a.folder) if a.arm == "evotorch" else sac_policy(a.folder)
    env = gym.make("Ant-v5", include_cfrc_ext_in_observation=False)
    class Peer:  # tools/gym_eval.py's episode loop takes a policy with reset(seed) and act(obs)
        def reset(self, seed):
            pass

        def act(self, obs):
            return np.clip(act(obs), -1.0, 1.0)
    rows = [gym_eval.run_episode(env, Peer(), hebes.eval_episode_seed(a.seed, e), "gymnasium", hebes)
            for e in range(a.episodes)]
    print(f"{a.arm} {a.folder}, {a.episodes} episodes, seed {a.seed}, Gymnasium {gym.__version__}'s own Ant-v5 "
          f"(mean = Ant-v5 return)")
    gym_eval.print_table(f"Gymnasium Ant-v5 ({a.arm})", rows)
    gym_eval.write_csv(os.path.join(a.folder, f"gym-{a.seed}.csv"), f"Gymnasium Ant-v5 ({a.arm})", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
