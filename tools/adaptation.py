"""How fast a walk starts: from `hebes eval --per-step FILE.csv` (the mean forward velocity and torso
height per step over a model's episodes), per model, the steady speed (the mean velocity over the
second half of the episode), and the step at which the walk first reaches 80% of it (the velocity
averaged over a 20-step window, 1 s, ending at that step). With several files (one per run or arm,
given as LABEL=FILE), one figure of speed against step overlays them. Files that share a LABEL
(the training seeds of one arm) are also summarised per label and model: the mean over files with
a 95% interval across them (Student's t), and the figure draws their mean curve instead of each.

    /usr/bin/python3 tools/adaptation.py [LABEL=]per_step.csv ... [--out speed.png] [--window 20] [--share 0.8]
                                         [--damage K] [--episodes [LABEL=]episodes.csv ...]

A steady speed under --min-speed (0.1 m/s) is no walk and has no onset step.
--damage K also gives, per model, the mean speed of the K steps before step K and of the steps
after it (up to 2K), and the second as a share of the first (a leg failing at step K).
--episodes (the `hebes eval --out` files of those damaged evaluations) gives, per file and model,
the mean distance walked before the damage (x_at_damage) and after it (distance - x_at_damage),
and the second as a share of the first; summarised per label as above.
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402


def rows_of(path, columns, made_by):
    """The CSV rows of path, or exit 1 naming the file and what is wrong (missing, not such a CSV)."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"adaptation: {path}: cannot read: {getattr(e, 'strerror', None) or e}")
    missing = [c for c in columns if rows and c not in rows[0]]
    if missing:
        sys.exit(f"adaptation: {path}: not a {made_by} file (no column {', '.join(missing)})")
    return rows


def number(path, row, col, kind=float):
    try:
        return kind(row[col])
    except (TypeError, ValueError):
        sys.exit(f"adaptation: {path}: {col} {row.get(col)!r} is not a number")


def read(path):
    per = {}
    for r in rows_of(path, ["model", "step", "episodes", "vx_mean", "z_mean"], "hebes eval --per-step"):
        per.setdefault(r["model"], []).append((number(path, r, "step", int), number(path, r, "episodes", int),
                                               number(path, r, "vx_mean"), number(path, r, "z_mean")))
    if not per:
        sys.exit(f"adaptation: {path}: no rows (hebes eval --per-step writes them)")
    return per


def labelled(item):
    """LABEL=FILE as (LABEL, FILE); a bare FILE is labelled by its name."""
    return item.split("=", 1) if "=" in item else (os.path.basename(item), item)


def smooth(v, window):
    """The trailing mean over window values (over fewer at the start)."""
    out, run = [], 0.0
    for k, x in enumerate(v):
        run += x
        if k >= window:
            run -= v[k - window]
        out.append(run / min(k + 1, window))
    return out


def onset(rows, window, share, min_speed):
    """(steady speed, first step whose trailing window mean reaches share of it, or None). A walk
    that has stopped has no onset: a share of ~0 m/s is reached by standing still."""
    v = [r[2] for r in rows]
    half = len(v) // 2
    steady = sum(v[half:]) / max(1, len(v) - half)
    if steady >= min_speed:
        means = smooth(v, window)
        for k in range(window - 1, len(v)):
            if means[k] >= share * steady:
                return steady, rows[k][0]
    return steady, None


def distances(items):
    """Per file and model: the distance before the damage, after it, and the share; per label a summary."""
    print("| run | model | episodes | distance before damage (m) | after (m) | after as share of before |")
    print("|---|---|---|---|---|---|")
    per = {}
    for item in items:
        label, path = labelled(item)
        rows = {}
        for r in rows_of(path, ["model", "distance", "x_at_damage"], "hebes eval --out"):
            if r.get("x_at_damage", "") == "":
                sys.exit(f"adaptation: {path}: no x_at_damage (evaluate with env.damage_leg set)")
            x = number(path, r, "x_at_damage")
            rows.setdefault(r["model"], []).append((x, number(path, r, "distance") - x))
        if not rows:
            sys.exit(f"adaptation: {path}: no episodes")
        for model, eps in rows.items():
            b, f = hstats.mean([e[0] for e in eps]), hstats.mean([e[1] for e in eps])
            share = f / b if b > 0 else None
            print(f"| {label} | {os.path.basename(model)} | {len(eps)} | {b:.2f} | {f:.2f} | "
                  + (f"{100 * share:.0f}% |" if share is not None else "- |"))
            per.setdefault((label, os.path.basename(model)), []).append((b, f, share))
    if any(len(v) > 1 for v in per.values()):
        print()
        print("| label | model | files | distance before (m) | after (m) | after as share of before |")
        print("|---|---|---|---|---|---|")
        for (label, model), runs in per.items():
            print(f"| {label} | {model} | {len(runs)} | {hstats.mean_ci([r[0] for r in runs])} | "
                  f"{hstats.mean_ci([r[1] for r in runs])} | "
                  f"{hstats.mean_ci([100 * r[2] for r in runs if r[2] is not None], 0)}% |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help="[LABEL=]FILE.csv from hebes eval --per-step")
    ap.add_argument("--out", default="speed.png")
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--share", type=float, default=0.8)
    ap.add_argument("--damage", type=int, default=0, help="the step at which a leg failed")
    ap.add_argument("--min-speed", type=float, default=0.1,
                    help="steady speeds below this (m/s) are no walk: no onset step (default 0.1)")
    ap.add_argument("--episodes", nargs="+", default=[], metavar="[LABEL=]FILE.csv",
                    help="hebes eval --out files of damaged episodes: distance before / after the damage")
    a = ap.parse_args()
    if a.window < 1 or not 0 < a.share <= 1 or a.damage < 0:
        ap.error("--window must be at least 1, --share in (0, 1], --damage not negative")
    inputs = [labelled(i)[1] for i in a.files + a.episodes]
    if any(os.path.exists(p) and os.path.exists(a.out) and os.path.samefile(p, a.out) for p in inputs):
        ap.error(f"--out {a.out} is one of the input files: refusing to overwrite it")
    if a.episodes:
        distances(a.episodes)
    print(f"| run | model | episodes | steady speed (m/s, second half of the episode) | step reaching {a.share:.0%} "
          f"of it ({a.window}-step mean) |" + (" speed before / after damage (m/s) | after as share |" if a.damage else ""))
    print("|---|---|---|---|---|" + ("---|---|" if a.damage else ""))
    per = {}  # (label, model) -> [(rows, steady, onset step, share after damage or None)]
    for item in a.files:
        label, path = labelled(item)
        for model, rows in read(path).items():
            steady, step = onset(rows, a.window, a.share, a.min_speed)
            reached = step if step else ("never" if steady >= a.min_speed else f"no walk (< {a.min_speed:g} m/s)")
            line = f"| {label} | {os.path.basename(model)} | {rows[0][1]} | {steady:.3f} | {reached} |"
            share = None
            if a.damage:
                before = [r[2] for r in rows if 0 < r[0] <= a.damage]
                after = [r[2] for r in rows if a.damage < r[0] <= 2 * a.damage]
                b, f = sum(before) / max(1, len(before)), sum(after) / max(1, len(after))
                share = f / b if b else None
                line += f" {b:.3f} / {f:.3f} | {100 * f / b:.0f}% |" if b else " - | - |"
            print(line)
            per.setdefault((label, os.path.basename(model)), []).append((rows, steady, step, share))
    grouped = any(len(v) > 1 for v in per.values())
    if grouped:
        print()
        print(f"| label | model | files | steady speed (m/s) | step reaching {a.share:.0%} (files that reach it) |"
              + (" after damage as share of before |" if a.damage else ""))
        print("|---|---|---|---|---|" + ("---|" if a.damage else ""))
        for (label, model), runs in per.items():
            steps = [float(r[2]) for r in runs if r[2]]
            line = (f"| {label} | {model} | {len(runs)} | {hstats.mean_ci([r[1] for r in runs], 3)} | "
                    f"{hstats.mean_ci(steps, 0)} ({len(steps)} of {len(runs)}) |")
            if a.damage:
                line += f" {hstats.mean_ci([100 * r[3] for r in runs if r[3] is not None], 0)}% |"
            print(line)
    fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    for (label, model), runs in per.items():
        if grouped:  # the mean curve over the label's files, on the steps they all have
            n = min(len(r[0]) for r in runs)
            xs = [runs[0][0][k][0] for k in range(n)]
            v = [hstats.mean([r[0][k][2] for r in runs]) for k in range(n)]
            z = [hstats.mean([r[0][k][3] for r in runs]) for k in range(n)]
            name = f"{label}, {model} (mean of {len(runs)})"
        else:
            rows = runs[0][0]
            xs, v, z = [r[0] for r in rows], [r[2] for r in rows], [r[3] for r in rows]
            name = f"{label}, {model}"
        line2d, = axes[0].plot(xs, smooth(v, a.window), label=name, linewidth=1.2)
        if not grouped and runs[0][2]:
            axes[0].axvline(runs[0][2], color=line2d.get_color(), linestyle=":", linewidth=0.8)
        axes[1].plot(xs, z, color=line2d.get_color(), linewidth=1.0)
    if a.damage:
        for ax in axes:
            ax.axvline(a.damage, color="k", linestyle="--", linewidth=1)
    axes[0].set_ylabel(f"forward velocity (m/s, {a.window}-step mean)")
    axes[0].set_title("speed against step, from fresh random weights"
                      + ("" if grouped else f" (dotted: {a.share:.0%} of the steady speed)"))
    axes[0].legend(fontsize=7)
    axes[1].set_ylabel("torso height (m)")
    axes[1].set_xlabel("environment step (0.05 s)")
    fig.tight_layout()
    fig.savefig(a.out, dpi=100)
    print(f"adaptation: wrote {a.out}")


if __name__ == "__main__":
    main()
