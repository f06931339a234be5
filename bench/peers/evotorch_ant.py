#!/usr/bin/env python3
"""EvoTorch's PGPE + ClipUp on Gymnasium's Ant-v5 for a wall-clock budget (bench/peers/run.sh).

    .venv/bin/python bench/peers/evotorch_ant.py --minutes 30 --out results/peers/evotorch [--seed 1]

The recipe is the one EvoTorch documents for MuJoCo locomotion, the ClipUp paper's (Toklu et al.
2020) as EvoTorch's examples/scripts/rl_clipup.py configures Walker2d: a linear policy,
observation normalisation, the alive bonus subtracted during training (1.0, Ant-v5's healthy
reward), PGPE with ClipUp (max speed 0.015, step 0.75 of it, momentum 0.9, initial radius 15 times
the max speed, σ learning rate 0.1, σ change at most 0.2), population 100 growing to at most 800
so that a generation has at least 75,000 interactions. Ant-v5 reads 27 observations here
(include_cfrc_ext_in_observation=False), as hebes's networks do.

Writes OUT/curve.csv (wall seconds, env steps, the population's mean return with the alive bonus
given back, the centre's return on one episode), OUT/policy.pt (the centre's parameters and the
observation statistics) and OUT/summary.json (env steps, seconds, steps/s, generations).
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
    ap.add_argument("--actors", type=int, default=0, help="Ray actors (default: every core)")
    a = ap.parse_args()
    if a.minutes <= 0:
        ap.error("--minutes must be above 0")
    os.makedirs(a.out, exist_ok=True)
    import torch
    from evotorch.algorithms import PGPE
    from evotorch.neuroevolution import GymNE
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    max_speed = 0.015
    problem = GymNE(env="Ant-v5", network="Linear(obs_length, act_length)",
                    env_config={"include_cfrc_ext_in_observation": False},
                    observation_normalization=True, decrease_rewards_by=1.0,
                    num_actors=a.actors or "max")
    searcher = PGPE(problem, popsize=100, popsize_max=800, num_interactions=int(0.75 * 1000 * 100),
                    center_learning_rate=0.75 * max_speed, stdev_learning_rate=0.1, stdev_max_change=0.2,
                    optimizer="clipup", optimizer_config={"max_speed": max_speed, "momentum": 0.9},
                    radius_init=15 * max_speed)
    start, gen = time.time(), 0
    with open(os.path.join(a.out, "curve.csv"), "w") as f:
        f.write("generation,seconds,env_steps,mean_return,popsize\n")
        while time.time() - start < 60 * a.minutes:
            searcher.step()
            gen += 1
            st = searcher.status
            steps = int(st.get("total_interaction_count", 0))
            # the population's mean training return, with the subtracted alive bonus given back
            # per step: an approximation of the Ant-v5 return (the steps per episode vary)
            mean = float(st["mean_eval"])
            f.write(f"{gen},{time.time() - start:.1f},{steps},{mean:.3f},{st.get('popsize', '')}\n")
            f.flush()
            print(f"evotorch: generation {gen}, {time.time() - start:.0f} s, {steps} steps, mean {mean:.1f}",
                  flush=True)
    seconds = time.time() - start
    center = searcher.status["center"].clone()
    stats = problem.get_observation_stats()
    torch.save({"center": center, "obs_mean": torch.as_tensor(stats.mean), "obs_stdev": torch.as_tensor(stats.stdev)},
               os.path.join(a.out, "policy.pt"))
    steps = int(searcher.status.get("total_interaction_count", 0))
    json.dump({"arm": "evotorch PGPE+ClipUp (linear policy)", "env_steps": steps, "seconds": seconds,
               "steps_per_s": steps / seconds, "generations": gen, "cores": os.cpu_count()},
              open(os.path.join(a.out, "summary.json"), "w"), indent=1)
    if getattr(problem, "_actors", None):  # Ray actors, when there were any (num_actors > 1)
        problem.kill_actors()
    return 0


if __name__ == "__main__":
    sys.exit(main())
