"""The table of results/attractor-meta: for each parameterisation (a folder prefix: unit_rates,
global), plasticity (uniform, evolved) and sequence (trained, held-out), per evaluation seed range,
the mean over training seeds of each run's mean recall score with a 95% interval across training
seeds, and the free runs that replay the sequence (all runs added up). Reads the compare-SEED.txt
files `hebes attractor --ckpt` wrote into each run folder.

    /usr/bin/python3 tools/attractor_table.py results/attractor-meta
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hstats  # noqa: E402

ROW = re.compile(r"^(uniform|evolved)\s+(trained|held-out)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+) of (\d+)")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    top = sys.argv[1]
    data = {}  # (variant, eval seed, plasticity, sequence) -> [(score, asym, replays, runs)]
    for path in sorted(glob.glob(os.path.join(top, "*-s*", "compare-*.txt"))):
        run = os.path.basename(os.path.dirname(path))
        variant = run.rsplit("-s", 1)[0]
        seed = os.path.basename(path)[len("compare-"):-len(".txt")]
        for line in open(path):
            m = ROW.match(line)
            if m:
                key = (variant, seed, m.group(1), m.group(2))
                data.setdefault(key, []).append((float(m.group(3)), float(m.group(5)), int(m.group(6)),
                                                 int(m.group(7))))
    if not data:
        sys.exit(f"attractor_table: {top}: no compare-SEED.txt files")
    print("| evolved | evaluation seeds | plasticity | sequence | recall score (mean over training seeds, 95% "
          "interval) | asymmetry | free runs that replay |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(data):
        rows = data[key]
        scores = [r[0] for r in rows]
        ci = hstats.ci95(scores)
        score = f"{hstats.mean(scores):.2f} ± {ci:.2f}" if len(rows) > 1 else f"{scores[0]:.2f} (one seed)"
        asym = hstats.mean([r[1] for r in rows])
        print(f"| {key[0]} ({len(rows)} training seeds) | {key[1]}.. | {key[2]} | {key[3]} | {score} | {asym:.3f} | "
              f"{sum(r[2] for r in rows)} of {sum(r[3] for r in rows)} |")


if __name__ == "__main__":
    main()
