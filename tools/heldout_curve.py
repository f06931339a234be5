"""How the held-out distance moved while the runs trained, across training seeds. Each run folder
holds progress.csv, whose rows with eval = 1 carry the evaluations run.eval_every made
(eval_distance_mK: the mean distance over env.eval_episodes held-out episodes on the K-th
env.eval_models entry, with the run's own evaluation seed), and config.json, which names those
models. Runs are grouped into arms by their folder's name without the -sK seed suffix
(tools/seeds_table.py's arm_of). Per arm, generation and model it prints the mean over the arm's
runs evaluated at that generation, with a 95% interval across them (Student's t, n - 1), and each
model's share of the first model's distance: the ratio of the two means (a ratio per run is
meaningless early on, when the first model's distance is near 0).

    /usr/bin/python3 tools/heldout_curve.py RUN [RUN ...] [--out PNG]

These are in-training figures (few episodes, one evaluation seed), for the shape of the curve: a
run's judgement is `hebes eval --which current` on held-out episodes (scripts/seeds.sh).
"""
import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402
import seeds_table  # noqa: E402


def fail(msg):
    sys.exit(f"heldout_curve: {msg}")


def read_run(run):
    """(models, {generation: (total env steps, [distance per model])}) of one run folder."""
    cfg_path, prog_path = os.path.join(run, "config.json"), os.path.join(run, "progress.csv")
    try:
        with open(cfg_path) as f:
            models = json.load(f)["env"]["eval_models"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(f"{cfg_path}: no env.eval_models to name the evaluated bodies ({e})")
    rows = {}
    try:
        with open(prog_path) as f:
            for r in csv.DictReader(f):
                if r.get("eval") != "1":
                    continue
                dist = [float(r[f"eval_distance_m{m}"]) for m in range(len(models))]
                rows[int(r["generation"])] = (int(r["total_steps"]), dist)
    except (OSError, KeyError, ValueError, TypeError) as e:
        fail(f"{prog_path}: not a progress.csv with eval_distance_m0..m{len(models) - 1} columns ({e})")
    if not rows:
        fail(f"{prog_path}: no evaluations during training (run.eval_every was 0, or none was reached)")
    return models, rows


def arms_of(runs):
    """{arm: {run name: (models, rows)}}; the runs of one arm must name the same models."""
    arms = {}
    for run in runs:
        name, arm = seeds_table.arm_of(run)
        models, rows = read_run(run)
        first = next(iter(arms.get(arm, {}).values()), None)
        if first and first[0] != models:
            fail(f"{run}: evaluated on {models}, the other runs of arm {arm} on {first[0]}")
        arms.setdefault(arm, {})[name] = (models, rows)
    return arms


def arm_curve(data):
    """[(generation, mean env steps, n runs, [[distance of each run] per model])] in generation order."""
    gens = sorted({g for _, rows in data.values() for g in rows})
    out = []
    for g in gens:
        at = [rows[g] for _, rows in data.values() if g in rows]
        n_models = len(at[0][1])
        out.append((g, hstats.mean([s for s, _ in at]), len(at), [[d[m] for _, d in at] for m in range(n_models)]))
    return out


def print_arm(arm, data):
    models = next(iter(data.values()))[0]
    short = [os.path.basename(m) for m in models]
    print(f"{arm}: {len(data)} runs ({', '.join(data)}); held-out distance in m during training, "
          f"mean over the runs evaluated at that generation ± the 95% interval across them; "
          f"share: of the {short[0]} mean")
    print("| generation | env steps (M) | runs | " + " | ".join(short) + " | "
          + " | ".join(f"{s} share" for s in short[1:]) + " |")
    print("|---|---|---|" + "---|" * (2 * len(short) - 1))
    for g, steps, n, per_model in arm_curve(data):
        means = [hstats.mean(v) for v in per_model]
        cells = [hstats.mean_ci(v) for v in per_model]
        shares = [f"{100 * m / means[0]:.0f}%" if means[0] > 0 else "-" for m in means[1:]]
        print(f"| {g} | {steps / 1e6:.1f} | {n} | " + " | ".join(cells + shares) + " |")
    print()


def plot(arms, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(arms), figsize=(6 * len(arms), 4), squeeze=False, sharey=True)
    for ax, (arm, data) in zip(axes[0], arms.items()):
        models = next(iter(data.values()))[0]
        curve = arm_curve(data)
        x = [steps / 1e6 for _, steps, _, _ in curve]
        for m, model in enumerate(models):
            mean = [hstats.mean(pm[m]) for _, _, _, pm in curve]
            half = [hstats.ci95(pm[m]) if len(pm[m]) > 1 else 0.0 for _, _, _, pm in curve]
            line, = ax.plot(x, mean, marker="o", ms=3, label=os.path.basename(model))
            ax.fill_between(x, [a - b for a, b in zip(mean, half)], [a + b for a, b in zip(mean, half)],
                            color=line.get_color(), alpha=0.15)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_title(f"{arm} ({len(data)} runs)")
        ax.set_xlabel("env steps (M)")
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("held-out distance during training (m)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", help="run folders (progress.csv and config.json in each)")
    ap.add_argument("--out", help="also draw the curves, one panel per arm, to this PNG")
    args = ap.parse_args()
    for run in args.runs:
        if not os.path.isdir(run):
            fail(f"{run}: not a run folder")
    arms = arms_of(args.runs)
    for arm, data in arms.items():
        print_arm(arm, data)
    if args.out:
        plot(arms, args.out)


if __name__ == "__main__":
    main()
