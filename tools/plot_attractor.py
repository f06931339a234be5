"""Figures of an attractor run (`hebes attractor CONFIG --out FILE.h5`): J, its symmetric and
antisymmetric parts, the presented patterns and the attractors of the symmetric part as 8x8
images, and the first free run as a strip of 8x8 frames with the image each step visits.

    /usr/bin/python3 tools/plot_attractor.py FILE.h5 [--out attractor.png] [--steps 24]

Needs Debian's python3-h5py and python3-matplotlib (scripts/install-deps.sh installs them).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--out", help="the figure (default: attractor.png next to FILE)")
    ap.add_argument("--steps", type=int, default=24, help="free-run steps drawn (default 24)")
    a = ap.parse_args()
    try:
        f = h5py.File(a.file, "r")
    except OSError as e:
        sys.exit(f"plot_attractor: {a.file}: cannot read: {e}")
    if f.attrs.get("format", b"") not in (b"hebes-attractor", "hebes-attractor"):
        sys.exit(f"plot_attractor: {a.file}: not a `hebes attractor --out` file")
    J, sym, anti = f["J"][:], f["J_sym"][:], f["J_anti"][:]
    patterns, attractors, images = f["patterns"][:], f["attractors"][:], f["images"][:]
    run, labels = f["free_run"][0], f["free_run_labels"][0]
    P, T = len(patterns), min(a.steps, run.shape[0])
    cols = max(3, P, (T + 1) // 2)
    fig = plt.figure(figsize=(1.3 * cols, 9.5))
    grid = fig.add_gridspec(6, cols, height_ratios=[3, 1, 1, 1, 1, 0.1])
    lim = np.abs(J).max() or 1.0
    for k, (m, name) in enumerate([(J, "J"), (sym, "symmetric part (J + Jᵀ)/2"), (anti, "antisymmetric part (J − Jᵀ)/2")]):
        ax = fig.add_subplot(grid[0, k * cols // 3:(k + 1) * cols // 3])
        ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])

    def tile(row, col, v, title):
        ax = fig.add_subplot(grid[row, col])
        ax.imshow(np.asarray(v).reshape(8, 8), cmap="gray_r", vmin=-1 if v.min() >= -1.01 else None)
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])

    for p in range(P):
        tile(1, p, patterns[p], f"image {images[p]} (bias)")
        tile(2, p, attractors[p], f"attractor {p + 1}")
    for t in range(T):
        lab = labels[t]
        tile(3 + t // cols, t % cols, run[t], f"step {t + 1}: {images[lab] if lab >= 0 else '-'}")
    fig.suptitle(f"asymmetry {f.attrs['asymmetry']:.3f}, {int(f.attrs['distinct_attractors'])} distinct attractors, "
                 f"{int(f.attrs['replays'])} of {len(f['free_run'])} free runs replay the sequence", fontsize=10)
    fig.tight_layout()
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(a.file)), "attractor.png")
    fig.savefig(out, dpi=90)
    print(f"plot_attractor: wrote {out}")


if __name__ == "__main__":
    main()
