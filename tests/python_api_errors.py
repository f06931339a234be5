"""tests/sh/python_api.sh's check of bad input to the Python policy API: each case must raise an
error that names the file (or the observation) and what is wrong, and a bad observation must leave
the network's state as it was.

    python3 tests/python_api_errors.py CHECKPOINT(the newest format) CONFIG.json TMPDIR
"""
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import hebes  # noqa: E402

ckpt, config, tmp = sys.argv[1:4]
failures = []


def expect(what, fn, *needles):
    try:
        fn()
    except ValueError as e:
        msg = str(e)
        if all(n in msg for n in needles):
            print(f"ok: {what}")
            return
        failures.append(f"{what}: message {msg!r} lacks {needles}")
        return
    failures.append(f"{what}: no error")


def copy(name, edit=None):
    path = os.path.join(tmp, name)
    shutil.copy(ckpt, path)
    if edit:
        with h5py.File(path, "r+") as f:
            edit(f)
    return path


def replace(f, name, value):
    del f[name]
    f[name] = value


def text(v):
    return v.decode() if isinstance(v, bytes) else v


expect("a config given as a checkpoint", lambda: hebes.load(config), config, "not a readable HDF5 checkpoint")
expect("a missing file", lambda: hebes.load(os.path.join(tmp, "none.h5")), "none.h5: no such checkpoint file")
trunc = os.path.join(tmp, "truncated.h5")
with open(ckpt, "rb") as src, open(trunc, "wb") as dst:
    dst.write(src.read()[:30000])
expect("a truncated checkpoint", lambda: hebes.load(trunc), "truncated.h5", "truncated")
flipped = copy("flipped.h5")
with h5py.File(flipped, "r") as f:
    off = f["coefficients/current"].id.get_chunk_info(0).byte_offset
with open(flipped, "r+b") as f:
    f.seek(off + 100)
    b = f.read(1)
    f.seek(off + 100)
    f.write(bytes([b[0] ^ 0xFF]))
expect("a byte flipped inside the coefficients", lambda: hebes.load(flipped), "flipped.h5: /coefficients/current")
cfg_text = text(h5py.File(ckpt, "r")["config"][()])
changed = copy("config-changed.h5", lambda f: replace(f, "config", cfg_text.replace('"obs_clip":\t5', '"obs_clip":\t4')))
assert cfg_text.count('"obs_clip":\t5') == 1
expect("/config changed after writing, its checksum left", lambda: hebes.load(changed),
       "config-changed.h5: /config is damaged", "config_fnv1a64")
short = copy("short.h5", lambda f: replace(f, "coefficients/current", f["coefficients/current"][:57]))
expect("coefficients of the wrong length", lambda: hebes.load(short), "short.h5: /coefficients/current holds 57",
       "needs")
nan = copy("nan.h5")
with h5py.File(nan, "r+") as f:
    p = f["coefficients/current"][:]
    p[7] = np.nan
    replace(f, "coefficients/current", p)
expect("NaN coefficients", lambda: hebes.load(nan), "nan.h5: /coefficients/current holds 1 non-finite")
layout = copy("layout.h5", lambda f: replace(f, "layout/sizes", np.array([27, 100, 64, 8], dtype=np.int32)))
expect("a changed layout", lambda: hebes.load(layout), "layout.h5: /coefficients/current holds", "27-100-64-8")
expect("which neither current nor best", lambda: hebes.load(ckpt, "newest"), "which must be 'current' or 'best'")

policy = hebes.load(ckpt)
policy.reset(3)
n = policy.sizes[0]
before = [w.copy() for w in policy.weights]
expect("an observation of the wrong length", lambda: policy.act(np.zeros(5)), f"an observation is {n} numbers",
       "(5,)")
expect("an observation of the wrong shape", lambda: policy.act(np.zeros((1, n))), f"an observation is {n} numbers")
bad = np.zeros(n)
bad[2] = np.nan
expect("a NaN in the observation", lambda: policy.act(bad), "non-finite", "[2]")
bad[2] = np.inf
expect("an inf in the observation", lambda: policy.act(bad), "non-finite")
if not all(np.array_equal(a, b) for a, b in zip(before, policy.weights)):
    failures.append("a refused observation changed the weights")
a = policy.act(np.zeros(n))
if not np.all(np.isfinite(a)):
    failures.append("after the refused observations the action is not finite")
else:
    print("ok: the state is untouched by the refused observations, the next action is finite")
if failures:
    sys.exit("FAILED: " + "; ".join(failures))
