#!/usr/bin/python3
"""Prints the figures a results/NAME/REPORT.md quotes, from the files scripts/experiment.sh wrote.

    tools/report_figures.py results/NAME

- the held-out evaluation of the final coefficients (eval.csv: 50 episodes per model):
  mean ± std of the distance, its 95% interval, and how the episodes ended, per model;
- the in-training evaluation curve (progress.csv eval_* columns), every evaluated generation;
- the episode-noise share: at each evaluated generation, the variance of the held-out episodes
  of the unperturbed coefficients (episode noise alone) over the variance of the population's
  fitness (episode noise plus the perturbations), on the first model;
- training steps, training seconds and wall time (wall.txt).
Standard library only, so any python3 runs it.
"""
import csv
import math
import os
import sys
from collections import OrderedDict


def num(v):
    return float(v) if v not in ("", None) else float("nan")


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    d = sys.argv[1]
    eval_csv = os.path.join(d, "eval.csv")
    if os.path.exists(eval_csv):
        per = OrderedDict()
        with open(eval_csv) as f:
            for r in csv.DictReader(f):
                per.setdefault(r["model"], []).append(r)
        print("final coefficients, held-out episodes (eval.csv):")
        for model, rows in per.items():
            x = [float(r["distance"]) for r in rows]
            n = len(x)
            m = sum(x) / n
            sd = math.sqrt(sum((v - m) ** 2 for v in x) / n)
            ci = 1.96 * sd / math.sqrt(n)
            ends = OrderedDict()
            for r in rows:
                ends[r["end"]] = ends.get(r["end"], 0) + 1
            lim = ends.get("time_limit", 0)
            print(f"  {model}: distance {m:.2f} ± {sd:.2f} m (95% interval of the mean ± {ci:.2f}), "
                  f"{n} episodes, {lim}/{n} = {100.0 * lim / n:.0f}% reached the step limit; ends {dict(ends)}")
    prog = os.path.join(d, "progress.csv")
    if os.path.exists(prog):
        with open(prog) as f:
            rows = list(csv.DictReader(f))
        ev = [r for r in rows if r.get("eval") == "1"]
        models = len([k for k in rows[0] if k.startswith("eval_mean_m")]) if rows else 0
        print("in-training evaluation (progress.csv; distance per model, mean steps, ends at the limit):")
        for r in ev:
            dist = " ".join(f"{num(r[f'eval_distance_m{m}']):7.2f}" for m in range(models))
            share = num(r["eval_std_m0"]) ** 2 / num(r["std"]) ** 2 if num(r["std"]) > 0 else float("nan")
            print(f"  gen {int(r['generation']):4d}: {dist}   steps {num(r['eval_steps']):6.0f}   "
                  f"time_limit {r['eval_time_limit']}   population mean {num(r['mean']):7.2f} std {num(r['std']):6.2f}"
                  f"   episode-noise share {share:.2f}")
        steps = sum(int(r["steps"]) for r in rows)
        secs = sum(num(r["seconds"]) for r in rows)
        print(f"generations {len(rows)}, training env steps {steps}, generation seconds summed {secs:.0f}")
    wall = os.path.join(d, "wall.txt")
    if os.path.exists(wall):
        print(open(wall).read().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
