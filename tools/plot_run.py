#!/usr/bin/python3
"""Plots a hebes run folder: fitness curves and per-layer weight norms, to PNG.

    tools/plot_run.py results/NAME [--out DIR]

Reads NAME/checkpoint.h5 (history/*) when present, else NAME/progress.csv, and writes
NAME/fitness.png and NAME/weight_norms.png (or into --out). Needs Debian's python3-h5py and
python3-matplotlib (scripts/install-deps.sh installs them), hence /usr/bin/python3.
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(run_dir):
    ckpt = os.path.join(run_dir, "checkpoint.h5")
    csv_path = os.path.join(run_dir, "progress.csv")
    if os.path.exists(csv_path):
        # progress.csv is written every generation; the checkpoint only every few.
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        cols = {k: [float(r[k]) for r in rows] for k in rows[0]} if rows else {}
        norms = [[float(r[k]) for r in rows] for k in sorted(c for c in cols if c.startswith("norm_layer"))]
        return cols, norms
    if os.path.exists(ckpt):
        import h5py

        with h5py.File(ckpt, "r") as f:
            h = f["history"]
            cols = {k: list(h[k][:]) for k in h if h[k].ndim == 1}
            norms = [list(c) for c in h["layer_norm"][:].T] if "layer_norm" in h else []
        return cols, norms
    raise SystemExit(f"plot_run: {run_dir}: no progress.csv or checkpoint.h5")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("--out", help="folder for the PNGs (default: the run folder)")
    a = ap.parse_args()
    cols, norms = load(a.run_dir)
    if not cols or not cols.get("generation"):
        raise SystemExit(f"plot_run: {a.run_dir}: no generations recorded yet")
    out = a.out or a.run_dir
    os.makedirs(out, exist_ok=True)
    g = cols["generation"]
    name = os.path.basename(os.path.normpath(a.run_dir))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(g, cols["min"], cols["max"], alpha=0.2, label="min..max")
    ax.plot(g, cols["mean"], label="mean")
    ax.plot(g, cols["best_ever"], label="best ever", linestyle="--")
    ax.set_xlabel("generation")
    ax.set_ylabel("fitness")
    ax.set_title(f"{name}: population fitness")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fitness.png"), dpi=100)

    if norms:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for i, n in enumerate(norms):
            ax.plot(g, n, label=f"layer {i}")
        ax.set_xlabel("generation")
        ax.set_ylabel("||W|| at episode end (best candidate)")
        ax.set_yscale("log")
        ax.set_title(f"{name}: weight norms after in-episode plasticity")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, "weight_norms.png"), dpi=100)
    print(f"plot_run: wrote {out}/fitness.png" + (" and weight_norms.png" if norms else ""))


if __name__ == "__main__":
    sys.exit(main())
