"""The table across training seeds: for every run folder under DIR that holds eval-SEED.csv files
(`hebes eval --out`, as scripts/seeds.sh writes them), grouped by arm (the folder's name without
its -sK seed suffix, so two configs in one DIR give two tables), per model and evaluation seed,
the mean over training seeds of each run's held-out mean, with a 95% interval across training
seeds (Student's t, n - 1), and each model as a share of the first: per training seed, averaged
over evaluation seeds, then the mean and interval across training seeds.

    /usr/bin/python3 tools/seeds_table.py DIR [DIR ...] [--metric distance|fitness]
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
    """{eval seed: {model: mean over the file's episodes}} of one run folder."""
    out = {}
    for path in eval_files(run_dir):
        seed = os.path.basename(path)[len("eval-"):-len(".csv")]
        out[seed] = {m: (hstats.mean(v), len(v)) for m, v in episode_values(path, metric).items()}
    return out


def fmt(xs):
    return hstats.mean_ci(xs, 2, " (one seed)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", help="folders that hold run folders (or run folders themselves)")
    ap.add_argument("--metric", choices=["distance", "fitness"], default="distance")
    args = ap.parse_args()
    for top in args.dirs:
        runs = sorted(d for d in glob.glob(os.path.join(top, "*")) + [top]
                      if os.path.isdir(d) and eval_files(d))
        if not runs:
            sys.exit(f"seeds_table: {top}: no run folder with eval-SEED.csv files")
        groups = {}
        for r in runs:
            name = os.path.basename(os.path.normpath(r))
            groups.setdefault(re.sub(r"-s[0-9]+$", "", name), {})[name] = run_means(r, args.metric)
        for arm, data in groups.items():
            table(top, arm, data, args.metric)


def table(top, arm, data, metric):
    seeds = sorted({s for d in data.values() for s in d})
    models = []
    for d in data.values():
        for per in d.values():
            models += [m for m in per if m not in models]
    print(f"{top}: {arm}: {len(data)} training runs ({', '.join(data)}); {metric}, mean over training seeds "
          f"of each run's held-out mean, ± the 95% interval across training seeds")
    print("| model | " + " | ".join(f"eval seed {s}" for s in seeds) + " | both (each run's mean over its evaluation seeds) "
          "| share of the first model |")
    print("|---|" + "---|" * (len(seeds) + 2))
    for m in models:
        cells = [fmt([d[s][m][0] for d in data.values() if s in d and m in d[s]]) for s in seeds]
        cells.append(fmt([hstats.mean([d[s][m][0] for s in d if m in d[s]]) for d in data.values()
                          if any(m in d[s] for s in d)]))
        shares = []  # one per training seed: the share averaged over its evaluation seeds
        for d in data.values():
            per = [d[s][m][0] / d[s][models[0]][0] for s in d if m in d[s] and d[s][models[0]][0] != 0]
            if per:
                shares.append(hstats.mean(per))
        share = f"{100 * hstats.mean(shares):.0f}% ± {100 * hstats.ci95(shares):.0f}" if len(shares) > 1 else \
            (f"{100 * shares[0]:.0f}% (one seed)" if shares else "-")
        print(f"| {m} | " + " | ".join(cells) + f" | {share} |")
    eps = sorted({n for d in data.values() for per in d.values() for _, n in per.values()})
    print(f"(episodes per run, model and evaluation seed: {', '.join(map(str, eps))})")
    print()


if __name__ == "__main__":
    main()
