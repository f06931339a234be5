#!/usr/bin/python3
"""Plots a recorded episode (hebes eval --trace): the paper's Figure 1 and the episode itself.

    tools/plot_trace.py trace.h5 [--steps S1,S2,...] [--out DIR]

Writes into DIR (default: beside the trace) NAME_weights.png: the weight matrix of every layer
as a heatmap at chosen steps (default: the first snapshot, the one nearest step 100, the last;
needs --trace-weights-every when recording), and NAME_episode.png: per-layer weight norms,
distance walked, torso height and actions over the episode. Prints each layer's weight norm at
steps 1, 100 and the last, its largest, and how far it moves after step 100 (std over mean). Needs Debian's python3-h5py and
python3-matplotlib, hence /usr/bin/python3.
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def pick(snap_steps, wanted):
    """Indices of the snapshots nearest the wanted steps (duplicates removed, in order)."""
    out = []
    for w in wanted:
        i = int(np.argmin(np.abs(snap_steps - w)))
        if i not in out:
            out.append(i)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("--steps", help="comma-separated steps for the weight heatmaps")
    ap.add_argument("--out", help="folder for the PNGs (default: the trace's folder)")
    a = ap.parse_args()
    try:
        f = h5py.File(a.trace, "r")
    except OSError as e:
        raise SystemExit(f"plot_trace: {a.trace}: {e}")
    if f.attrs.get("format", b"") not in (b"hebes-trace", "hebes-trace"):
        raise SystemExit(f"plot_trace: {a.trace}: not a hebes trace")
    out = a.out or os.path.dirname(os.path.abspath(a.trace))
    os.makedirs(out, exist_ok=True)
    base = os.path.splitext(os.path.basename(a.trace))[0]
    dt = 0.05
    written = []

    n_layers = f["layer_norm"].shape[1]
    if "weights_step" in f and len(f["weights_step"]) > 0:
        snap_steps = f["weights_step"][:]
        wanted = [int(s) for s in a.steps.split(",")] if a.steps else [snap_steps[0], 100, snap_steps[-1]]
        cols = pick(snap_steps, wanted)
        fig, axes = plt.subplots(n_layers, len(cols), figsize=(3.4 * len(cols) + 1, 3.0 * n_layers), squeeze=False,
                                 layout="constrained")
        for l in range(n_layers):
            w = f[f"weights_{l}"]
            lim = max(float(np.max(np.abs(w[i]))) for i in cols) or 1.0
            for c, i in enumerate(cols):
                ax = axes[l][c]
                im = ax.imshow(w[i].T, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
                ax.set_title(f"layer {l}, step {int(snap_steps[i])}", fontsize=9)
                ax.set_xlabel("pre-synaptic unit", fontsize=8)
                ax.set_ylabel("post-synaptic unit", fontsize=8)
                ax.tick_params(labelsize=7)
            fig.colorbar(im, ax=list(axes[l]), shrink=0.8, label="weight")
        fig.suptitle(f"{base}: weights during the episode (random at the start, then shaped by the rule)")
        path = os.path.join(out, f"{base}_weights.png")
        fig.savefig(path, dpi=90)
        written.append(path)
    else:
        print(f"plot_trace: {a.trace} has no weight snapshots (record with --trace-weights-every N); "
              "only the episode plot is drawn")

    norms = f["layer_norm"][:]
    for l in range(n_layers):
        n = norms[:, l]
        late = n[100:] if len(n) > 101 else n
        print(f"layer {l}: ||W|| step 1 {n[0]:.4g}, step {min(100, len(n))} {n[min(99, len(n) - 1)]:.4g}, "
              f"step {len(n)} {n[-1]:.4g}, max {np.max(n):.4g}; after step 100 it moves by "
              f"{100 * np.std(late) / np.mean(late):.1f}% (std / mean)")
    steps = np.arange(1, f["reward"].shape[0] + 1)
    fig, axes = plt.subplots(4, 1, figsize=(8, 9), sharex=True)
    for l in range(n_layers):
        axes[0].plot(steps, f["layer_norm"][:, l], label=f"layer {l}")
    axes[0].set_yscale("log")
    axes[0].set_ylabel("||W|| (Frobenius)")
    axes[0].legend(fontsize=8)
    if "torso_pos" in f:
        pos = f["torso_pos"][:]
        axes[1].plot(steps, pos[:, 0] - pos[0, 0], label="x (forward)")
        axes[1].plot(steps, pos[:, 1] - pos[0, 1], label="y")
        axes[1].set_ylabel("torso travelled (m)")
        axes[1].legend(fontsize=8)
        axes[2].plot(steps, pos[:, 2])
        axes[2].set_ylabel("torso height z (m)")
    else:
        axes[1].plot(steps, np.cumsum(f["reward"][:]))
        axes[1].set_ylabel("cumulative reward")
        axes[2].set_visible(False)
    act = f["action"][:]
    axes[3].imshow(act.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest",
                   extent=[steps[0] - 0.5, steps[-1] + 0.5, act.shape[1] - 0.5, -0.5])
    axes[3].set_ylabel("action (motor)")
    axes[3].set_xlabel(f"environment step (dt = {dt} s)")
    model = f.attrs.get("model", b"")
    model = model.decode() if isinstance(model, bytes) else model
    end = f.attrs.get("end", b"")
    end = end.decode() if isinstance(end, bytes) else end
    fig.suptitle(f"{base}: {os.path.basename(model)}, {len(steps)} steps, ended {end}")
    fig.tight_layout()
    path = os.path.join(out, f"{base}_episode.png")
    fig.savefig(path, dpi=90)
    written.append(path)
    print("plot_trace: wrote " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
