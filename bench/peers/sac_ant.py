#!/usr/bin/env python3
"""Stable-Baselines3's SAC on Gymnasium's Ant-v5 for a wall-clock budget (bench/peers/run.sh).

    .venv/bin/python bench/peers/sac_ant.py --minutes 30 --out results/peers/sac [--seed 1]

The RL Zoo's settings for the MuJoCo Ant (rl-zoo3 hyperparams/sac.yml: MlpPolicy, 10,000 random
steps before learning, SAC's defaults otherwise: buffer 1e6, batch 256, lr 3e-4, γ 0.99, τ 0.005,
one gradient step per env step, automatic entropy), torch on the CPU with every core. Ant-v5 reads
27 observations (include_cfrc_ext_in_observation=False). Writes OUT/curve.csv (wall seconds, env
steps, the mean return of the last 10 training episodes), OUT/model.zip and OUT/summary.json.
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.minutes <= 0:
        ap.error("--minutes must be above 0")
    os.makedirs(a.out, exist_ok=True)
    import gymnasium as gym
    import torch
    from stable_baselines3 import SAC
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.monitor import Monitor
    torch.set_num_threads(os.cpu_count() or 1)
    env = Monitor(gym.make("Ant-v5", include_cfrc_ext_in_observation=False))
    model = SAC("MlpPolicy", env, learning_starts=10000, seed=a.seed, verbose=0, device="cpu")
    curve = open(os.path.join(a.out, "curve.csv"), "w")
    curve.write("seconds,env_steps,mean_return_last10\n")

    class Budget(BaseCallback):
        """Stops at the wall-clock budget; a curve row every 1,000 steps."""

        def __init__(self):
            super().__init__()
            self.start = time.time()

        def _on_step(self):
            if self.num_timesteps % 1000 == 0:
                eps = env.get_episode_rewards()[-10:]
                mean = sum(eps) / len(eps) if eps else float("nan")
                curve.write(f"{time.time() - self.start:.1f},{self.num_timesteps},{mean:.3f}\n")
                curve.flush()
                print(f"sac: {self.num_timesteps} steps, {time.time() - self.start:.0f} s, last 10 {mean:.1f}",
                      flush=True)
            return time.time() - self.start < 60 * a.minutes

    cb = Budget()
    model.learn(total_timesteps=10 ** 8, callback=cb)
    seconds = time.time() - cb.start
    model.save(os.path.join(a.out, "model.zip"))
    json.dump({"arm": "SB3 SAC (RL Zoo settings)", "env_steps": int(model.num_timesteps), "seconds": seconds,
               "steps_per_s": model.num_timesteps / seconds, "cores": os.cpu_count()},
              open(os.path.join(a.out, "summary.json"), "w"), indent=1)
    curve.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
