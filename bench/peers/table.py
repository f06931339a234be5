#!/usr/bin/env python3
"""The table and curves of bench/peers: per arm, the held-out Ant-v5 return in Gymnasium (50
episodes), the env steps, the wall time, env steps/s per core, and the ratios hebes/peer; the
figure of return against wall time and against env steps (OUT/curves.png).

    .venv/bin/python bench/peers/table.py results/peers
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ARMS = ["hebes-static", "hebes-hebbian", "hebes-pgpe", "evotorch", "sac"]


def gym_row(path):
    for line in open(path):
        if line.startswith("Gymnasium"):
            f = line.split("ends:")[0].split()[-6:]  # mean std min max distance steps, after the label
            mean, std, steps = float(f[0]), float(f[1]), float(f[5])
            ends = line.split("ends:")[1].split()
            return mean, std, steps, int(ends[0])
    raise SystemExit(f"table: {path}: no Gymnasium row")


def curve(folder, arm):
    """(seconds, env steps, training return) per point."""
    if arm.startswith("hebes"):
        rows = list(csv.DictReader(open(os.path.join(folder, "progress.csv"))))
        return [(float(r["total_seconds"]), int(r["total_steps"]), float(r["mean"])) for r in rows]
    rows = list(csv.DictReader(open(os.path.join(folder, "curve.csv"))))
    key = "mean_return" if arm == "evotorch" else "mean_return_last10"
    return [(float(r["seconds"]), int(r["env_steps"]), float(r[key])) for r in rows]


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: table.py RESULTS_FOLDER (bench/peers/run.sh's --out)")
    out = sys.argv[1]
    got = {}
    for arm in ARMS:
        d = os.path.join(out, arm)
        if os.path.exists(os.path.join(d, "summary.json")) and os.path.exists(os.path.join(d, "gym-12345.txt")):
            got[arm] = (json.load(open(os.path.join(d, "summary.json"))), gym_row(os.path.join(d, "gym-12345.txt")))
    if not got:
        sys.exit(f"table: {out}: no finished arm")
    print("| arm | held-out Ant-v5 return in Gymnasium (50 episodes) | episodes at 1000 steps | env steps | "
          "wall time | env steps/s per core |")
    print("|---|---|---|---|---|---|")
    for arm, (s, g) in got.items():
        print(f"| {arm} | {g[0]:,.0f} ± {g[1]:,.0f} | {g[3]} of 50 | {s['env_steps'] / 1e6:.2f} M | {s['seconds'] / 60:.1f} min "
              f"| {s['steps_per_s'] / s['cores']:,.0f} |")
    hebes = {a: v for a, v in got.items() if a.startswith("hebes")}
    peers = {a: v for a, v in got.items() if not a.startswith("hebes")}
    if hebes and peers:
        best = max(hebes, key=lambda a: hebes[a][1][0])
        print()
        print(f"hebes's best arm: {best} ({hebes[best][1][0]:,.0f})")
        for p, (s, g) in peers.items():
            print(f"- against {p}: return {hebes[best][1][0]:,.0f} vs {g[0]:,.0f} "
                  f"({'ahead' if hebes[best][1][0] > g[0] else 'behind'}); env steps/s per core "
                  f"{hebes[best][0]['steps_per_s'] / hebes[best][0]['cores']:,.0f} vs "
                  f"{s['steps_per_s'] / s['cores']:,.0f}: {hebes[best][0]['steps_per_s'] / s['steps_per_s']:.1f}x")
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for arm in got:
        c = curve(os.path.join(out, arm), arm)
        ax[0].plot([p[0] / 60 for p in c], [p[2] for p in c], label=arm)
        ax[1].plot([p[1] / 1e6 for p in c], [p[2] for p in c], label=arm)
    ax[0].set_xlabel("wall time (min)")
    ax[1].set_xlabel("env steps (M)")
    for a in ax:
        a.set_ylabel("training return (alive bonus out for hebes and EvoTorch)")
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "curves.png"), dpi=100)
    print(f"\ncurves: {os.path.join(out, 'curves.png')}")


if __name__ == "__main__":
    main()
