"""How fast a walk starts: from `hebes eval --per-step FILE.csv` (the mean forward velocity and torso
height per step over a model's episodes), per model, the steady speed (the mean velocity over the
second half of the episode), and the step at which the walk first reaches 80% of it (the velocity
averaged over a 20-step window, 1 s, ending at that step). With several files (one per run or arm,
given as LABEL=FILE), one figure of speed against step overlays them.

    /usr/bin/python3 tools/adaptation.py [LABEL=]per_step.csv ... [--out speed.png] [--window 20] [--share 0.8]
                                         [--damage K]

--damage K also gives, per model, the mean speed of the K steps before step K and of the steps
after it (up to 2K), and the second as a share of the first (a leg failing at step K).
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    per = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            per.setdefault(r["model"], []).append((int(r["step"]), int(r["episodes"]), float(r["vx_mean"]),
                                                   float(r["z_mean"])))
    if not per:
        sys.exit(f"adaptation: {path}: no rows (hebes eval --per-step writes them)")
    return per


def onset(rows, window, share):
    """(steady speed, first step whose trailing window mean reaches share of it, or None)."""
    v = [r[2] for r in rows]
    half = len(v) // 2
    steady = sum(v[half:]) / max(1, len(v) - half)
    run = 0.0
    for k, x in enumerate(v):
        run += x
        if k >= window:
            run -= v[k - window]
        if k + 1 >= window and steady > 0 and run / window >= share * steady:
            return steady, rows[k][0]
    return steady, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help="[LABEL=]FILE.csv from hebes eval --per-step")
    ap.add_argument("--out", default="speed.png")
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--share", type=float, default=0.8)
    ap.add_argument("--damage", type=int, default=0, help="the step at which a leg failed")
    a = ap.parse_args()
    fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    print(f"| run | model | episodes | steady speed (m/s, second half of the episode) | step reaching {a.share:.0%} "
          f"of it ({a.window}-step mean) |" + (" speed before / after damage (m/s) | after as share |" if a.damage else ""))
    print("|---|---|---|---|---|" + ("---|---|" if a.damage else ""))
    for item in a.files:
        label, path = item.split("=", 1) if "=" in item else (os.path.basename(item), item)
        for model, rows in read(path).items():
            steady, step = onset(rows, a.window, a.share)
            name = f"{label}, {os.path.basename(model)}"
            line = f"| {label} | {os.path.basename(model)} | {rows[0][1]} | {steady:.3f} | {step if step else 'never'} |"
            if a.damage:
                before = [r[2] for r in rows if 0 < r[0] <= a.damage]
                after = [r[2] for r in rows if a.damage < r[0] <= 2 * a.damage]
                b, f = sum(before) / max(1, len(before)), sum(after) / max(1, len(after))
                line += f" {b:.3f} / {f:.3f} | {100 * f / b:.0f}% |" if b else " - | - |"
            print(line)
            xs = [r[0] for r in rows]
            smooth, run = [], 0.0
            for k, r in enumerate(rows):
                run += r[2]
                if k >= a.window:
                    run -= rows[k - a.window][2]
                smooth.append(run / min(k + 1, a.window))
            line2d, = axes[0].plot(xs, smooth, label=name, linewidth=1.2)
            if step:
                axes[0].axvline(step, color=line2d.get_color(), linestyle=":", linewidth=0.8)
            axes[1].plot(xs, [r[3] for r in rows], color=line2d.get_color(), linewidth=1.0)
    if a.damage:
        for ax in axes:
            ax.axvline(a.damage, color="k", linestyle="--", linewidth=1)
    axes[0].set_ylabel(f"forward velocity (m/s, {a.window}-step mean)")
    axes[0].set_title(f"speed against step, from fresh random weights (dotted: {a.share:.0%} of the steady speed)")
    axes[0].legend(fontsize=7)
    axes[1].set_ylabel("torso height (m)")
    axes[1].set_xlabel("environment step (0.05 s)")
    fig.tight_layout()
    fig.savefig(a.out, dpi=100)
    print(f"adaptation: wrote {a.out}")


if __name__ == "__main__":
    main()
