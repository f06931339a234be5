#!/usr/bin/env python3
"""A hebes run in TensorBoard: its progress.csv as TensorBoard scalars, once or live.

    .venv/bin/python tools/tensorboard_run.py results/my-walk [RUN ...] [--logdir DIR] [--follow]
    .venv/bin/tensorboard --logdir results/my-walk/tb

Every row of progress.csv (one per generation) becomes TensorBoard scalars at step = generation:
  fitness/mean, fitness/max, fitness/min, fitness/std, fitness/best_ever    the population's episodes
  eval/mean_mM, eval/std_mM, eval/distance_mM, eval/steps                 held-out evaluation (model M)
  es/lr, es/sigma                                                          in force that generation
  net/norm_layerL                                                          weight norm of layer L
  speed/steps_per_s, speed/total_steps, speed/total_seconds, es/diverged
written with tensorboardX into DIR/RUN_NAME (default RUN/tb). With --follow it keeps reading the
file while the run trains (a new row every generation) and writes each new generation as it
comes; it stops on Ctrl-C, or after --idle seconds without a new row once no `hebes train` holds
the run folder's lock. A resumed run rewrites progress.csv from its checkpoint with the same
values, so generations already written are not written again.

Exit codes: 0 ok, 1 error (the file and the reason), 2 bad command line.
"""
import argparse
import csv
import fcntl
import math
import os
import struct
import sys
import time

TAGS = {"mean": "fitness/mean", "max": "fitness/max", "min": "fitness/min", "std": "fitness/std",
        "best_ever": "fitness/best_ever", "lr": "es/lr", "sigma": "es/sigma", "diverged": "es/diverged",
        "steps_per_s": "speed/steps_per_s", "total_steps": "speed/total_steps",
        "total_seconds": "speed/total_seconds", "eval_steps": "eval/steps"}


def tag_of(column):
    """The TensorBoard tag of a progress.csv column, or None for the ones not drawn."""
    if column in TAGS:
        return TAGS[column]
    if column.startswith("norm_layer"):
        return "net/" + column
    for p in ("eval_mean_", "eval_std_", "eval_distance_"):
        if column.startswith(p):
            return "eval/" + column[len("eval_"):]
    return None


class Fail(Exception):
    pass


def read_rows(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise Fail(f"{path}: cannot read: {e.strerror}")
    if rows and "generation" not in rows[0]:
        raise Fail(f"{path}: not a hebes progress.csv (no generation column)")
    return rows


def lock_held(run):
    """Whether a hebes train holds the run folder's lock (results/README.md: .lock). Asked with
    F_GETLK, which takes no lock: taking one, even for a moment, could refuse a train starting then."""
    try:
        fd = os.open(os.path.join(run, ".lock"), os.O_RDONLY)
    except OSError:
        return False
    try:
        # struct flock on Linux: short l_type, l_whence; off_t l_start, l_len; pid_t l_pid
        q = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        l_type = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, q))[0]
        return l_type != fcntl.F_UNLCK
    finally:
        os.close(fd)


class Run:
    def __init__(self, run, logdir):
        from tensorboardX import SummaryWriter
        self.run, self.csv = run, os.path.join(run, "progress.csv")
        if not os.path.isdir(run):
            raise Fail(f"{run}: no such run folder")
        if not os.path.exists(self.csv):
            raise Fail(f"{run}: no progress.csv (not a run folder, or not started)")
        self.out = logdir or os.path.join(run, "tb")
        self.writer = SummaryWriter(self.out, flush_secs=1)
        self.done = -1  # the last generation written

    def update(self):
        """Writes the generations not yet written; returns how many."""
        n = 0
        for row in read_rows(self.csv):
            try:
                g = int(row["generation"])
            except (TypeError, ValueError):
                continue  # a row being written
            if g <= self.done:
                continue
            for col, v in row.items():
                tag = tag_of(col)
                if tag is None or v in ("", None):
                    continue
                try:
                    x = float(v)
                except ValueError:
                    continue
                if math.isfinite(x):
                    self.writer.add_scalar(tag, x, g)
            self.done, n = g, n + 1
        self.writer.flush()
        return n

    def close(self):
        self.writer.close()


def main(argv=None):
    p = argparse.ArgumentParser(prog="tensorboard_run.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("runs", nargs="+", help="run folders (results/NAME)")
    p.add_argument("--logdir", help="write into DIR/NAME for each run (default: each run's tb/)")
    p.add_argument("--follow", action="store_true", help="keep writing new generations while the runs train")
    p.add_argument("--interval", type=float, default=2.0, help="with --follow: seconds between reads (2)")
    p.add_argument("--idle", type=float, default=0.0,
                   help="with --follow: stop after this many seconds without a new row once no run is "
                        "training (default 0: never)")
    a = p.parse_args(argv)
    if a.interval <= 0 or a.idle < 0 or not math.isfinite(a.interval + a.idle):
        p.error("--interval must be above 0 and --idle at least 0")
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        print("tensorboard_run.py: needs tensorboardX (the project venv: .venv/bin/python)", file=sys.stderr)
        return 1
    runs = []
    try:
        for r in a.runs:
            runs.append(Run(r, os.path.join(a.logdir, os.path.basename(os.path.normpath(r))) if a.logdir else None))
        for r in runs:
            print(f"tensorboard_run.py: {r.run}: {r.update()} generations written to {r.out}", flush=True)
        quiet = 0.0
        while a.follow:
            time.sleep(a.interval)
            new = sum(r.update() for r in runs)
            training = any(lock_held(r.run) for r in runs)
            quiet = 0.0 if new or training else quiet + a.interval
            if new:
                print(f"tensorboard_run.py: {new} new generation{'s' if new > 1 else ''} written", flush=True)
            if a.idle and quiet >= a.idle:
                break
    except Fail as e:
        print(f"tensorboard_run.py: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        for r in runs:
            r.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
