"""Does ongoing plasticity carry the walk? For the run folders given (the training seeds of one
arm), the held-out distance per body when the network stops changing after K steps
(`hebes eval --set net.plastic_steps=K --out RUN/plastic-K-SEED.csv`, as results/morph-common.sh's
morph_plastic writes them) beside the plastic network's own (RUN/eval-SEED.csv, K = 0): per K and
body, the mean over training seeds of each run's mean over its evaluation seeds, with a 95%
interval across training seeds (Student's t), and its share of the same run's plastic distance on
that body (per run, then the mean across runs).

    /usr/bin/python3 tools/plastic_table.py RUN [RUN ...] [--metric distance|fitness]

A share near 100% at small K says the weights the first K steps build are all the walk needs: what
plasticity does later (to a body, to a fall) is not what carries it. A share well below says the
later changes do carry it.
"""
import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402
import seeds_table  # noqa: E402


def read_means(path, metric):
    """{model: mean of metric over the file's episodes} of one `hebes eval --out` file."""
    return {m: hstats.mean(v) for m, v in seeds_table.episode_values(path, metric, "plastic_table").items()}


def run_table(run, metric):
    """{K: {model: mean over evaluation seeds}} of one run, K = 0 for its plastic evaluation."""
    files = {}
    for p in seeds_table.eval_files(run):  # eval-SEED.csv: the plastic network's judgement
        files.setdefault(0, {})[os.path.basename(p)[len("eval-"):-len(".csv")]] = read_means(p, metric)
    for p in glob.glob(os.path.join(run, "plastic-*.csv")):
        m = re.fullmatch(r"plastic-([0-9]+)-([0-9]+)\.csv", os.path.basename(p))
        if m:
            files.setdefault(int(m.group(1)), {})[m.group(2)] = read_means(p, metric)
    if 0 not in files or len(files) < 2:
        sys.exit(f"plastic_table: {run}: needs eval-SEED.csv and plastic-K-SEED.csv files")
    seeds = set(files[0])
    out = {}
    for k, by_seed in files.items():
        if set(by_seed) != seeds:
            sys.exit(f"plastic_table: {run}: K = {k} has evaluation seeds {sorted(by_seed)}, the plastic "
                     f"evaluation {sorted(seeds)}")
        models = list(next(iter(by_seed.values())))
        out[k] = {m: hstats.mean([by_seed[s][m] for s in seeds]) for m in models}
    return out, sorted(seeds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", help="run folders (training seeds of one arm)")
    ap.add_argument("--metric", choices=["distance", "fitness"], default="distance")
    args = ap.parse_args()
    data, seeds = {}, None
    for r in args.runs:
        if not os.path.isdir(r):
            sys.exit(f"plastic_table: {r}: no such run folder")
        data[r], s = run_table(r, args.metric)
        if seeds is not None and s != seeds:
            sys.exit(f"plastic_table: {r}: evaluation seeds {s}, the first run's {seeds}")
        seeds = s
    ks = sorted(set.intersection(*(set(d) for d in data.values())))
    models = list(next(iter(data.values()))[0])
    print(f"{args.metric} when the network stops changing after K steps (K = 0: plastic throughout); "
          f"{len(data)} training run(s), evaluation seeds {', '.join(seeds)}; mean over runs ± 95% interval "
          f"across runs; in brackets the share of the run's plastic {args.metric} on that body")
    print("| K | " + " | ".join(models) + " |")
    print("|---|" + "---|" * len(models))
    for k in ks:
        cells = []
        for m in models:
            xs = [d[k][m] for d in data.values()]
            shares = [d[k][m] / d[0][m] for d in data.values() if d[0][m] > 0]
            share = f"{100 * hstats.mean(shares):.0f}%" if shares else "-"
            cells.append(f"{hstats.mean_ci(xs, 2, '')} ({share})")
        print(f"| {k if k else '0 (plastic)'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
