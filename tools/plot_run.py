#!/usr/bin/python3
"""Plots hebes run folders: fitness curves, held-out evaluation and per-layer weight norms, to PNG.

    tools/plot_run.py results/NAME [--out DIR] [--x generations|steps|time]
    tools/plot_run.py results/A results/B ... --out DIR      (or a quoted glob: 'results/walk-*')

--x steps (environment steps) or time (wall minutes, over all sessions) puts runs with different
populations or speeds on a fair axis; the default is generations.

With several runs, DIR/runs.png overlays them: per evaluation model, the held-out evaluation
curve of each run (the population mean where a run did not evaluate); runs whose configs differ
only in run.name and run.seed are drawn as one curve, the mean across seeds with its 95%
interval (t distribution).

Reads NAME/progress.csv when present, else NAME/checkpoint.h5 (history/*), and NAME/config.json
for units and model names. Writes NAME/fitness.png (the population's fitness and, when the run
evaluated with run.eval_every, the held-out evaluation of the unperturbed coefficients per
model, mean and std, and the final held-out evaluation of NAME/eval*.csv, 50 episodes, as the
headline point) and NAME/weight_norms.png (or into --out), and says what each figure holds.
Stds are sample stds (n - 1) of held-out episodes. Needs Debian's python3-h5py and
python3-matplotlib (scripts/install-deps.sh installs them), hence /usr/bin/python3.
"""
import argparse
import csv
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402
import seeds_table  # noqa: E402


def num(v):
    return float(v) if v not in ("", None) else float("nan")


def load(run_dir):
    """Columns by name (lists of floats), per-layer norms, and per-model eval curves."""
    ckpt = os.path.join(run_dir, "checkpoint.h5")
    csv_path = os.path.join(run_dir, "progress.csv")
    if os.path.exists(csv_path):
        # progress.csv is written every generation; the checkpoint only every few.
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        cols = {k: [num(r[k]) for r in rows] for k in rows[0]} if rows else {}
        norms = [cols[k] for k in sorted(c for c in cols if c.startswith("norm_layer"))]
        n_models = len([c for c in cols if c.startswith("eval_mean_m")])
        evals = [(cols[f"eval_mean_m{m}"], cols[f"eval_std_m{m}"]) for m in range(n_models)]
        evals = [e for e in evals if any(v == v for v in e[0])]  # a run that never evaluated has none
        return cols, norms, evals
    if os.path.exists(ckpt):
        import h5py

        with h5py.File(ckpt, "r") as f:
            h = f["history"]
            cols = {k: [float(x) for x in h[k][:]] for k in h if h[k].ndim == 1}
            norms = [list(c) for c in h["layer_norm"][:].T] if "layer_norm" in h else []
            evals = []
            if "eval_mean" in h and cols.get("evaluated"):
                done = [bool(e) for e in cols["evaluated"]]
                n_models = int(max(cols.get("eval_models", [0]) or [0]))
                for m in range(n_models):
                    mean = [v if d else float("nan") for v, d in zip(h["eval_mean"][:, m], done)]
                    std = [v if d else float("nan") for v, d in zip(h["eval_std"][:, m], done)]
                    evals.append((mean, std))
        return cols, norms, evals
    raise SystemExit(f"plot_run: {run_dir}: no progress.csv or checkpoint.h5")


def config(run_dir):
    try:
        with open(os.path.join(run_dir, "config.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def fitness_label(cfg):
    task = cfg.get("run", {}).get("task", "ant")
    if task == "quadratic":
        return "fitness -|x - t|^2 (quadratic test objective)"
    if task == "attractor":
        return "recall score (docs/attractor.md)"
    env = cfg.get("env", {})
    if env.get("fitness") == "distance":
        scale = env.get("fitness_scale", 1.0)
        return "distance walked (m)" if scale == 1.0 else f"fitness ({scale:g} x distance in m)"
    return "return (Ant reward: " + ("Gymnasium Ant-v5's terms)" if env.get("contact_cost_weight", 0) else
                                    "healthy + forward - control cost)")


XLABEL = {"generations": "generation", "steps": "environment steps (millions)",
          "time": "wall time of training (minutes, all sessions)"}


def xs(cols, axis):
    """The x of each row: its generation, or the environment steps / wall minutes before it (what
    the unperturbed coefficients the row evaluated had cost)."""
    if axis == "generations":
        return cols["generation"]
    key, per, scale = ("total_steps", "steps", 1e-6) if axis == "steps" else ("total_seconds", "seconds", 1 / 60)
    total, out = 0.0, []
    for i, v in enumerate(cols[per]):
        out.append(total * scale)
        total = cols[key][i] if key in cols and cols[key][i] == cols[key][i] else total + v
    return out


def final_eval(run_dir):
    """The headline: (mean, std, n, seed) of the final coefficients' held-out distance or fitness
    per model, from eval.csv or eval-SEED.csv (hebes eval --out), else {}."""
    # eval-SEED.csv (as seeds_table.py reads them), else eval.csv (scripts/experiment.sh)
    paths = seeds_table.eval_files(run_dir) or glob.glob(os.path.join(run_dir, "eval.csv"))
    if not paths:
        return {}
    out = {}
    with open(paths[0]) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        out.setdefault(r["model"], []).append(float(r["fitness"]))
    seed = os.path.basename(paths[0])[len("eval"):-len(".csv")].lstrip("-") or (rows[0]["episode_seed"] and "")
    return {m: (hstats.mean(v), hstats.sample_std(v), len(v), seed) for m, v in out.items()}


def curve(cols, evals, m, axis="generations"):
    """(x, values, generations) of a run's evaluation curve on model m, else its population mean."""
    g = xs(cols, axis)
    if m < len(evals):
        pts = [(x, y, n) for x, y, n in zip(g, evals[m][0], cols["generation"]) if y == y]
        if pts:
            return [p[0] for p in pts], [p[1] for p in pts], [p[2] for p in pts]
    return g, cols["mean"], cols["generation"]


def group_key(cfg):
    c = json.loads(json.dumps(cfg))
    c.get("run", {}).pop("name", None)
    c.get("run", {}).pop("seed", None)
    c.get("run", {}).pop("generations", None)
    return json.dumps(c, sort_keys=True)


def plot_many(dirs, out, axis):
    runs = []
    for d in dirs:
        cols, _, evals = load(d)
        if cols.get("generation"):
            runs.append((os.path.basename(os.path.normpath(d)), config(d), cols, evals))
    if not runs:
        raise SystemExit("plot_run: no run with recorded generations")
    models = max(len(r[1].get("env", {}).get("eval_models", [])) if r[3] else 1 for r in runs)
    groups = {}
    for r in runs:
        groups.setdefault(group_key(r[1]), []).append(r)
    fig, axes = plt.subplots(1, models, figsize=(6.5 * models, 4.5), squeeze=False)
    said = []
    for m in range(models):
        ax = axes[0][m]
        pooled = []
        for members in groups.values():
            label = members[0][0] if len(members) == 1 else f"{members[0][0]} and {len(members) - 1} more seeds"
            curves = [curve(r[2], r[3], m, axis) for r in members]
            if len(members) == 1:
                ax.plot(curves[0][0], curves[0][1], marker="o", markersize=2, label=label)
                continue
            # Seeds of one config share its generations, not its env steps or minutes (an episode
            # that ends early makes a run's steps its own): the seeds are matched by generation, and
            # a point sits at the seeds' mean x there.
            common = sorted(set.intersection(*[set(c[2]) for c in curves]))
            at = [{n: (x, y) for x, y, n in zip(*c)} for c in curves]
            vals = [[a[n][1] for a in at] for n in common]
            where = [hstats.mean([a[n][0] for a in at]) for n in common]
            mean = [hstats.mean(v) for v in vals]
            half = [hstats.ci95(v) for v in vals]
            ax.plot(where, mean, label=f"{label} (mean, 95% interval)")
            ax.fill_between(where, [a - b for a, b in zip(mean, half)], [a + b for a, b in zip(mean, half)],
                            alpha=0.2)
            pooled.append(f"{members[0][0]}: the mean of {len(members)} seeds at {len(common)} generations")
        names = runs[0][1].get("env", {}).get("eval_models", []) if any(r[3] for r in runs) else []
        title = f"held-out evaluation on {os.path.basename(names[m])}" if m < len(names) else "population mean fitness"
        ax.set_title(title)
        said.append(f"panel {m + 1}: {title}, {len(groups)} curve(s)" + "".join(f" ({p})" for p in pooled))
        ax.set_xlabel(XLABEL[axis])
        if axis == "generations":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(fitness_label(runs[0][1]))
        ax.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "runs.png")
    fig.savefig(path, dpi=100)
    print(f"plot_run: wrote {path} ({len(runs)} runs in {len(groups)} curves)")
    print("plot_run: runs.png holds " + "; ".join(said))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir", nargs="+")
    ap.add_argument("--out", help="folder for the PNGs (default: the run folder; needed for several runs)")
    ap.add_argument("--x", choices=sorted(XLABEL), default="generations", help="the x axis (default generations)")
    a = ap.parse_args()
    dirs = [d for pattern in a.run_dir for d in (sorted(glob.glob(pattern)) or [pattern])]
    if len(dirs) > 1:
        if not a.out:
            raise SystemExit("plot_run: several runs need --out DIR")
        plot_many(dirs, a.out, a.x)
        return 0
    a.run_dir = dirs[0]
    cols, norms, evals = load(a.run_dir)
    if not cols or not cols.get("generation"):
        raise SystemExit(f"plot_run: {a.run_dir}: no generations recorded yet")
    cfg = config(a.run_dir)
    models = cfg.get("env", {}).get("eval_models", [])
    out = a.out or a.run_dir
    os.makedirs(out, exist_ok=True)
    g = xs(cols, a.x)
    name = os.path.basename(os.path.normpath(a.run_dir))
    said = [f"{len(g)} generations on x = {a.x}", f"population mean {cols['mean'][-1]:.3f} at the last"]

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(g, cols["min"], cols["max"], alpha=0.15, label="population min..max")
    ax.plot(g, cols["mean"], label="population mean", linewidth=1)
    headline = final_eval(a.run_dir)
    end = g[-1] + (g[-1] - g[-2] if len(g) > 1 else 1) # the final coefficients: after the last generation
    for m, (mean, std) in enumerate(evals):
        pts = [(x, y, s) for x, y, s in zip(g, mean, std) if y == y]
        model = models[m] if m < len(models) else f"model {m}"
        if not pts:
            continue
        x, y, s = zip(*pts)
        line = ax.errorbar(x, y, yerr=s, marker="o", markersize=3, capsize=2, linewidth=1.5,
                           label=f"held-out eval, {os.path.basename(model)} (mean ± std)")
        said.append(f"held-out eval of {os.path.basename(model)} at {len(pts)} points, the last {y[-1]:.3f}")
        if model in headline:
            hm, hs, n, seed = headline.pop(model)
            ax.errorbar([end], [hm], yerr=[hs], marker="*", markersize=12, capsize=3, color=line[0].get_color(),
                        label=f"final coefficients, {n} held-out episodes{' (seed ' + seed + ')' if seed else ''}: "
                              f"{hm:.2f} ± {hs:.2f}")
            said.append(f"final {os.path.basename(model)} {hm:.3f} ± {hs:.3f} over {n} episodes")
    for model, (hm, hs, n, seed) in headline.items(): # evaluated at the end but not during training
        ax.errorbar([end], [hm], yerr=[hs], marker="*", markersize=12, capsize=3,
                    label=f"final, {os.path.basename(model)}, {n} held-out episodes: {hm:.2f} ± {hs:.2f}")
        said.append(f"final {os.path.basename(model)} {hm:.3f} ± {hs:.3f} over {n} episodes")
    ax.set_xlabel(XLABEL[a.x])
    ax.set_ylabel(fitness_label(cfg))
    if a.x == "generations":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{name}: fitness")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fitness.png"), dpi=100)

    if norms:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for i, n in enumerate(norms):
            ax.plot(g, n, label=f"layer {i}")
        ax.set_xlabel(XLABEL[a.x])
        if a.x == "generations":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("Frobenius norm ||W|| at episode end (best candidate)")
        ax.set_yscale("log")
        ax.set_title(f"{name}: weight norms after in-episode plasticity")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, "weight_norms.png"), dpi=100)
    print(f"plot_run: wrote {out}/fitness.png" + (" and weight_norms.png" if norms else ""))
    print("plot_run: fitness.png holds " + "; ".join(said))


if __name__ == "__main__":
    sys.exit(main())
