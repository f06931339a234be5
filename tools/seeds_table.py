"""The table across training seeds: for every run folder under DIR that holds eval-SEED.csv files
(`hebes eval --out`, as scripts/seeds.sh writes them), grouped by arm (the folder's name without
its -sK seed suffix, so two configs in one DIR give two tables), per model and evaluation seed,
the mean over training seeds of each run's held-out mean, with a 95% interval across training
seeds (Student's t, n - 1), and each model as a share of the first: per training seed, averaged
over evaluation seeds, then the mean and interval across training seeds.

    /usr/bin/python3 tools/seeds_table.py DIR [DIR ...] [--metric distance|fitness] [--compare A B] [--reach F]

--compare A B adds, per DIR, arms A and B (named whole, or by their last part: stp for
morph-paper-stp) side by side per model: each one's mean over training seeds and share of its
first model, each with its 95% interval, and whether the two intervals are apart (issue 28's
test: one arm ahead of the other with the intervals apart). Intervals need two seeds or more per
arm; with fewer the column says so.

--reach F adds a column to each arm's table: how many held-out episodes reach F times their own
run's mean on the first model at the same evaluation seed (F 0.5: episodes that keep half the
standard distance), in all and per training run. A mean can hide a body on which a few episodes
walk and the rest stand; this column shows it.
"""
import argparse
import csv
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402


def eval_files(run_dir):
    """The run's eval-SEED.csv files, SEED a number: not eval-SEED-genG.csv, the judgement of an
    earlier generation kept when the run trained on."""
    return sorted(p for p in glob.glob(os.path.join(run_dir, "eval-*.csv"))
                  if re.fullmatch(r"eval-[0-9]+\.csv", os.path.basename(p)))


def arm_of(run_dir):
    """(run name, arm): the folder's name, and that name without its -sK seed suffix."""
    name = os.path.basename(os.path.normpath(run_dir))
    return name, re.sub(r"-s[0-9]+$", "", name)


def episode_values(path, metric, tool="seeds_table"):
    """{model: [metric of each episode]} of one `hebes eval --out` file; a file that cannot be read
    or holds no episodes ends the program (tool names it)."""
    per = {}
    try:
        with open(path) as f:
            for r in csv.DictReader(f):
                per.setdefault(r["model"], []).append(float(r[metric]))
    except (OSError, KeyError, ValueError) as e:
        sys.exit(f"{tool}: {path}: not a readable `hebes eval --out` file ({e})")
    if not per:
        sys.exit(f"{tool}: {path}: no episodes")
    return per


def run_means(run_dir, metric):
    """{eval seed: {model: (mean over the file's episodes, each episode's value)}} of one run folder."""
    out = {}
    for path in eval_files(run_dir):
        seed = os.path.basename(path)[len("eval-"):-len(".csv")]
        out[seed] = {m: (hstats.mean(v), v) for m, v in episode_values(path, metric).items()}
    return out


def reached(d, model, first, frac):
    """(episodes, of how many) of one run's model whose value reaches frac times the run's mean on
    the first model at the same evaluation seed: each seed against its own standard."""
    k = n = 0
    for per in d.values():
        if model in per and first in per:
            bar = frac * per[first][0]
            k += sum(v >= bar for v in per[model][1])
            n += len(per[model][1])
    return k, n


def fmt(xs):
    return hstats.mean_ci(xs, 2, " (one seed)")


def fmt_share(xs):
    """Shares (fractions) as percentages: the mean ± the 95% interval, one seed's value, or "-"."""
    if not xs:
        return "-"
    if len(xs) == 1:
        return f"{100 * xs[0]:.0f}% (one seed)"
    return f"{100 * hstats.mean(xs):.0f}% ± {100 * hstats.ci95(xs):.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", help="folders that hold run folders (or run folders themselves)")
    ap.add_argument("--metric", choices=["distance", "fitness"], default="distance")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="two arms to set side by side")
    ap.add_argument("--reach", type=float, metavar="F",
                    help="count the episodes reaching F x their run's mean on the first model (F >= 0)")
    args = ap.parse_args()
    if args.reach is not None and not args.reach >= 0:  # also refuses nan
        sys.exit(f"seeds_table: --reach {args.reach}: must be 0 or more (a fraction of the first model's mean)")
    for top in args.dirs:
        runs = sorted(d for d in glob.glob(os.path.join(top, "*")) + [top]
                      if os.path.isdir(d) and eval_files(d))
        if not runs:
            sys.exit(f"seeds_table: {top}: no run folder with eval-SEED.csv files")
        groups = {}
        for r in runs:
            name, arm = arm_of(r)
            groups.setdefault(arm, {})[name] = run_means(r, args.metric)
        summaries = {arm: table(top, arm, data, args.metric, args.reach) for arm, data in groups.items()}
        if args.compare:
            compare(top, [arm_named(top, a, summaries) for a in args.compare], summaries, args.metric)


def arm_named(top, name, arms):
    """The one arm of top called name or ending in -name (stp: morph-paper-stp); ends the program otherwise."""
    hits = [a for a in arms if a == name or a.endswith("-" + name)]
    if len(hits) != 1:
        sys.exit(f"seeds_table: {top}: {'no arm' if not hits else 'more than one arm'} named {name} or *-{name} "
                 f"to compare (arms: {', '.join(arms)})")
    return hits[0]


def apart(xs, ys):
    """Whether the 95% intervals of the means of xs and ys do not overlap; None below two values each."""
    if len(xs) < 2 or len(ys) < 2:
        return None
    lo_x, hi_x = hstats.mean(xs) - hstats.ci95(xs), hstats.mean(xs) + hstats.ci95(xs)
    lo_y, hi_y = hstats.mean(ys) - hstats.ci95(ys), hstats.mean(ys) + hstats.ci95(ys)
    return lo_x > hi_y or lo_y > hi_x


def compare(top, arms, summaries, metric):
    a, b = arms
    sa, sb = summaries[a], summaries[b]
    word = {None: "- (fewer than 2 seeds)", True: "**yes**", False: "no"}
    first = next(iter(sa))  # every run's share of it is 1: no comparison to make
    print(f"{top}: {a} against {b}: {metric} (each run's mean over its evaluation seeds) and share of the first "
          f"model, mean over training seeds ± 95% interval; apart: the two intervals do not overlap")
    print(f"| model | {a} | {b} | apart | {a} share | {b} share | apart |")
    print("|---|---|---|---|---|---|---|")
    for m in [m for m in sa if m in sb]:
        (va, ha), (vb, hb) = sa[m], sb[m]
        print(f"| {m} | {fmt(va)} | {fmt(vb)} | {word[apart(va, vb)]} | {fmt_share(ha)} | {fmt_share(hb)} | "
              f"{word[apart(ha, hb)] if m != first else '-'} |")
    print()


def table(top, arm, data, metric, reach=None):
    seeds = sorted({s for d in data.values() for s in d})
    models = []
    for d in data.values():
        for per in d.values():
            models += [m for m in per if m not in models]
    print(f"{top}: {arm}: {len(data)} training runs ({', '.join(data)}); {metric}, mean over training seeds "
          f"of each run's held-out mean, ± the 95% interval across training seeds")
    reach_head = "" if reach is None else f" episodes at ≥ {100 * reach:g}% of the first model (each run) |"
    print("| model | " + " | ".join(f"eval seed {s}" for s in seeds) + " | both (each run's mean over its evaluation seeds) "
          "| share of the first model |" + reach_head)
    print("|---|" + "---|" * (len(seeds) + 2 + (reach is not None)))
    summary = {}  # model: (each run's mean over its evaluation seeds, each run's share of the first model)
    for m in models:
        cells = [fmt([d[s][m][0] for d in data.values() if s in d and m in d[s]]) for s in seeds]
        both = [hstats.mean([d[s][m][0] for s in d if m in d[s]]) for d in data.values() if any(m in d[s] for s in d)]
        cells.append(fmt(both))
        shares = []  # one per training seed: the share averaged over its evaluation seeds
        for d in data.values():
            per = [d[s][m][0] / d[s][models[0]][0] for s in d if m in d[s] and d[s][models[0]][0] != 0]
            if per:
                shares.append(hstats.mean(per))
        summary[m] = (both, shares)
        reach_cell = ""
        if reach is not None:
            counts = [reached(d, m, models[0], reach) for d in data.values()]
            reach_cell = (f" {sum(k for k, _ in counts)} of {sum(n for _, n in counts)} "
                          f"({', '.join(str(k) for k, _ in counts)}) |")
        print(f"| {m} | " + " | ".join(cells) + f" | {fmt_share(shares)} |" + reach_cell)
    eps = sorted({len(v) for d in data.values() for per in d.values() for _, v in per.values()})
    print(f"(episodes per run, model and evaluation seed: {', '.join(map(str, eps))})")
    print()
    return summary


if __name__ == "__main__":
    main()
