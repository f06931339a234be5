"""Trained hebes policies in your own loop: load a checkpoint, reset, act.

    import sys; sys.path.insert(0, "python")      # from the repository's root
    import hebes
    policy = hebes.load("results/walk-hebbian/checkpoint.h5")
    policy.reset(seed)              # fresh initial weights, as hebes draws them for that episode seed
    a = policy.act(obs)             # obs: the 27 (or 105) numbers of docs/environment.md's layout

The network is the checkpoint's: its layer sizes, plasticity rule and coefficients, the running
observation normaliser (net.obs_norm), and every mechanism of docs/rules.md (weight decay, bounds,
normalisation, BCM, homeostatic scaling, short-term plasticity). It runs in float32 in the same
order of operations as hebes's C code; act() returns the action (tanh of the output, in [-1, 1])
and applies the plasticity step, as hebes does after each environment step. Any environment with
the same observation layout works (MuJoCo's Ant through your own bindings, a robot's state).

reset(seed) draws the initial weights from the Philox stream hebes uses for episode seed `seed`
(model index 0, repetition 0): `hebes eval --seed S` episode e has seed
hebes.eval_episode_seed(S, e), and a trace stores its own as the attribute episode_seed. So a
policy reset with a trace's seed and fed the trace's inputs reproduces the trace's activities and
weights to float32 rounding, not bit for bit: the initial weights are the same bits, but NumPy
orders some float32 operations otherwise than C, so values drift apart by ~1e-5 relative at most
in tests/sh/python_api.sh (every rule and mechanism), and a walk in a simulator amplifies that.

Checked on load, as the C reader checks: the format and version, /config's checksum, the datasets'
checksums, the coefficients' count against the layout and their finiteness (CheckpointError, a
ValueError naming the file and what is wrong). act() checks each observation (its length, finite
values) before it touches the network's state.

rollout(policy, env, seed) plays an episode in any Gymnasium environment of matching shapes
(Gymnasium's own Ant-v5, or hebes.envs.HebesAnt: hebes's C Ant as a Gymnasium environment).

Needs NumPy and h5py (Debian: python3-numpy, python3-h5py; scripts/install-deps.sh installs them);
hebes.envs needs the shared core that `pip install --no-build-isolation ./python` builds.
"""
import json
import math
import os

import h5py
import numpy as np

__all__ = ["load", "Policy", "CheckpointError", "eval_episode_seed", "reset_state", "rollout"]

RULES = ["static", "A", "AD", "AD_lr", "ABC", "ABC_lr", "ABCD", "ABCD_lr", "ABCD_lr_D_out", "ABCD_lr_D_in_and_out",
         "hebb", "hebb_clipped", "oja", "BCM"]
NCOEF = dict(zip(RULES, [1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 0, 0, 0, 1]))
WEIGHTS, RESET = 3, 4  # Philox stream purposes (src/common/rng.h)
CKPT_VERSION = 6       # the newest checkpoint format (docs/checkpoint.md)
_FNV_BASIS, _FNV_BASIS_V3, _FNV_PRIME = 14695981039346656037, 1469598103934665603, 1099511628211


class CheckpointError(ValueError):
    """A checkpoint that cannot be used: the message names the file and what is wrong."""


def _fnv1a(data, basis=_FNV_BASIS):
    h = basis
    for byte in data:
        h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def _text(v):
    return v.decode() if isinstance(v, bytes) else (None if v is None else str(v))
OBS_STD_MIN = 0.1      # src/worker/worker.c: OpenAI-ES's floor on the observation std
f32 = np.float32

# ---- Philox4x32-10 (Random123) and the streams of src/common/rng.c ----

_M0, _M1, _W0, _W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
_MASK = 0xFFFFFFFF


def _philox(ctr, key):
    c0, c1, c2, c3 = ctr
    k0, k1 = key
    for r in range(10):
        if r:
            k0, k1 = (k0 + _W0) & _MASK, (k1 + _W1) & _MASK
        p0, p1 = _M0 * c0, _M1 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0), p1 & _MASK, ((p0 >> 32) ^ c3 ^ k1), p0 & _MASK
    return c0, c1, c2, c3


class _Stream:
    """rng_stream: named by (seed, purpose, a, b); 32-bit words four at a time."""

    def __init__(self, seed, purpose, a, b):
        self.key = (seed & _MASK, (seed >> 32) & _MASK)
        self.ctr = [0, a & _MASK, b & _MASK, (purpose << 24) & _MASK]
        self.buf, self.left = (0, 0, 0, 0), 0

    def u32(self):
        if self.left == 0:
            self.buf, self.left = _philox(tuple(self.ctr), self.key), 4
            self.ctr[0] = (self.ctr[0] + 1) & _MASK
            if self.ctr[0] == 0:
                self.ctr[3] = (self.ctr[3] + 1) & _MASK
        v = self.buf[4 - self.left]
        self.left -= 1
        return v

    def uniform(self):
        a, b = self.u32() >> 5, self.u32() >> 6
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)

    def normal(self):
        iz, hz, x = _layer(self.u32())
        return x if x is not None else self._tail(hz, iz)

    def _tail(self, hz, iz):
        r = 3.442620
        while True:
            x = hz * _ZIG_WN[iz]
            if iz == 0:
                while True:
                    x = -math.log(1.0 - self.uniform()) * 0.2904764
                    y = -math.log(1.0 - self.uniform())
                    if not y + y < x * x:
                        break
                return r + x if hz > 0 else -r - x
            if _ZIG_FN[iz] + self.uniform() * (_ZIG_FN[iz - 1] - _ZIG_FN[iz]) < math.exp(-.5 * x * x):
                return x
            iz, hz, x = _layer(self.u32())
            if x is not None:
                return x


def _layer(w):
    """One word of the ziggurat (rng.c): its layer, its signed value, and the normal when the fast
    path takes it (else None; INT32_MIN, whose |.| overflows in C, goes to the slow path as INT32_MIN + 128)."""
    iz, hz = w & 127, _int32(w & ~127 & _MASK)
    if hz != -2 ** 31 and abs(hz) < _ZIG_KN[iz]:
        return iz, hz, hz * _ZIG_WN[iz]
    return iz, (-2 ** 31 + 128 if hz == -2 ** 31 else hz), None


def _int32(v):
    return v - (1 << 32) if v & 0x80000000 else v


def _zig_tables():
    # tools/gen_zig_table.c, step for step: the same libm gives the same bits.
    dn, vn, m1 = 3.442619855899, 9.91256303526217e-3, 2147483648.0
    tn = dn
    kn, wn, fn = [0] * 128, [0.0] * 128, [0.0] * 128
    q = vn / math.exp(-.5 * dn * dn)
    kn[0], kn[1] = int((dn / q) * m1), 0
    wn[0], wn[127] = q / m1, dn / m1
    fn[0], fn[127] = 1.0, math.exp(-.5 * dn * dn)
    for i in range(126, 0, -1):
        dn = math.sqrt(-2. * math.log(vn / dn + math.exp(-.5 * dn * dn)))
        kn[i + 1] = int((dn / tn) * m1)
        tn = dn
        fn[i] = math.exp(-.5 * dn * dn)
        wn[i] = dn / m1
    return kn, wn, fn


_ZIG_KN, _ZIG_WN, _ZIG_FN = _zig_tables()


def _derive(seed, purpose, a, b):
    s = _Stream(seed, purpose, a, b)
    hi = s.u32()
    return (hi << 32) | s.u32()


def eval_episode_seed(seed, episode):
    """The seed of held-out episode `episode` of `hebes eval --seed seed` (wk_eval_episode_seed)."""
    return _derive(seed, RESET, 0xE7A1, episode)


def reset_state(episode_seed, qpos0, nv, noise_scale=0.1, model_index=0, body="ant"):
    """The state hebes resets an episode to (src/env/env.c, env_reset): qpos = qpos0 + s*U(-1, 1)
    and qvel = s*N(0, 1) (the Ant, HalfCheetah) or s*U(-1, 1) (Hopper, Walker2d, Swimmer, Humanoid:
    env.body),
    drawn from the episode's Philox reset stream (episode_seed, model index, repetition 0). Returns
    (qpos, qvel) as float64 arrays: set them in any MuJoCo of the same model (Gymnasium:
    env.unwrapped.set_state(qpos, qvel)) to start from hebes's own reset."""
    if body not in BODY_GYM:
        raise ValueError(f"reset_state: unknown body {body!r} (bodies: {', '.join(BODY_GYM)})")
    rng = _Stream(episode_seed, RESET, model_index, 0)
    s = float(noise_scale)
    qpos = np.array([q + s * (2.0 * rng.uniform() - 1.0) for q in np.asarray(qpos0, dtype=np.float64)])
    normal = body in ("ant", "half_cheetah")
    qvel = np.array([s * rng.normal() if normal else s * (2.0 * rng.uniform() - 1.0) for _ in range(int(nv))])
    return qpos, qvel


# env.body: its Gymnasium v5 id and model file (src/env/env_spec.c)
BODY_GYM = {"ant": ("Ant-v5", "ant.xml"), "half_cheetah": ("HalfCheetah-v5", "half_cheetah.xml"),
            "hopper": ("Hopper-v5", "hopper.xml"), "walker2d": ("Walker2d-v5", "walker2d_v5.xml"),
            "swimmer": ("Swimmer-v5", "swimmer.xml"), "humanoid": ("Humanoid-v5", "humanoid.xml")}


# ---- the network (src/net/heb_net.c, heb_rules.c) ----

def _tanhf(x):
    """C's tanhf of float32 x: tanh in float64 rounded once to float32. NumPy's float32 tanh is a
    vectorised approximation up to 3 ulp off, which grows through a plastic network's weights."""
    return np.tanh(np.asarray(x, dtype=np.float64)).astype(f32)


def _rate(o):
    return np.minimum(np.abs(o), f32(1.0))


class Policy:
    """A checkpoint's plastic network. engine: the MuJoCo version the run was trained on (None for
    checkpoints written before hebes kept it). Attributes after each act(): weights (list of float32
    [n_pre, n_post] arrays, updated), activities (list of float32 arrays, the step's, as a trace's
    activity_L), raw_output."""

    def __init__(self, path, which="current"):
        if which not in ("current", "best"):
            raise ValueError(f"hebes.load: which must be 'current' or 'best', not {which!r}")
        cfg, params = self._read(path, which)
        net, self.cfg = cfg["net"], cfg
        self.obs_norm, self.obs_clip = bool(net.get("obs_norm", False)), float(net.get("obs_clip", 5.0))
        self.init, self.out_tanh = net.get("init", "uni"), net.get("out_post_activity", "tanh") == "tanh"
        self.decay, self.w_min, self.w_max = float(net.get("weight_decay", 0)), float(net.get("w_min", 0)), \
            float(net.get("w_max", 0))
        self.normalize, self.coevolve = bool(net.get("normalize", False)), bool(net.get("coevolve_init", False))
        self.eta, self.alpha, self.clip_norm = f32(net.get("eta", 1e-3)), f32(net.get("oja_alpha", 1)), \
            float(net.get("clip_norm", 1))
        self.bcm_k, self.bcm_theta0 = f32(1.0 / net.get("bcm_tau", 100)), f32(net.get("bcm_theta0", 0.1))
        self.homeo_rate, self.homeo_target = f32(net.get("homeo_rate", 0)), f32(net.get("homeo_target", 0.3))
        self.homeo_k = f32(1.0 / net.get("homeo_tau", 100))
        self.stp_u, self.stp_tau_f, self.stp_tau_d = float(net.get("stp_u", 0)), float(net.get("stp_tau_f", 0)), \
            float(net.get("stp_tau_d", 20))
        self.plastic_steps = int(net.get("plastic_steps", 0))  # updates after the first this many steps only
        if self.rule not in NCOEF:
            raise CheckpointError(f"{path}: /layout: unknown rule {self.rule!r}")
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise CheckpointError(f"{path}: /layout/sizes {self.sizes}: not a network's layer sizes")
        syn = sum(self.sizes[l] * self.sizes[l + 1] for l in range(len(self.sizes) - 1))
        self.neuron_centric = bool(self.cfg["net"].get("neuron_centric", False))
        units = sum(self.sizes)
        want = NCOEF[self.rule] * syn + (syn if self.coevolve and self.rule != "static" else 0)
        if self.neuron_centric:
            want = NCOEF[self.rule] * units
        net_ = self.cfg["net"]
        self.shared = int(net_.get("shared_rules", 0)) > 0 or int(net_.get("merge_every", 0)) > 0
        rules0 = int(net_.get("shared_rules", 0)) or syn
        if self.shared:  # the planes of rule slots, the rule count, each synapse's rule (docs/rules.md)
            want = NCOEF[self.rule] * rules0 + 1 + syn
        if params.shape != (want,):
            raise CheckpointError(f"{path}: /coefficients/{which} holds {params.size} numbers, but the layout "
                                  f"{'-'.join(map(str, self.sizes))} with rule {self.rule} needs {want}")
        if not np.all(np.isfinite(params)):
            raise CheckpointError(f"{path}: /coefficients/{which} holds {int(np.sum(~np.isfinite(params)))} "
                                  f"non-finite numbers: refused, as hebes refuses to write them")
        # The coefficient planes: per layer, per coefficient, [n_pre, n_post] (docs/checkpoint.md).
        coef, k = params.astype(f32), 0
        self.planes, ncoef = [], NCOEF[self.rule]
        if self.shared:
            # h[l][c][i][j] = x_c[a[s]] with s the synapse's global index (src/net/heb_net.c,
            # heb_coef_from_params); a count or an assignment out of range is refused as hebes refuses it
            off = NCOEF[self.rule] * rules0
            count, a = params[off], params[off + 1:]
            if not (1 <= count <= rules0 and count == int(count)):
                raise CheckpointError(f"{path}: /coefficients/{which}: shared rules: the rule count (parameter "
                                      f"{off}) is {count:g}, not a whole number in 1..{rules0}")
            bad = (a < 0) | (a >= count) | (a != np.floor(a))
            if bad.any():
                s_ = int(np.argmax(bad))
                raise CheckpointError(f"{path}: /coefficients/{which}: shared rules: synapse {s_} points at rule "
                                      f"{a[s_]:g}, not one of 0..{int(count) - 1}")
            x, a, first = params[:off].reshape(ncoef, rules0), a.astype(np.int64), 0
            for l in range(len(self.sizes) - 1):
                n = self.sizes[l] * self.sizes[l + 1]
                self.planes.append([x[c][a[first:first + n]].astype(f32).reshape(self.sizes[l], self.sizes[l + 1])
                                    for c in range(ncoef)])
                first += n
        elif self.neuron_centric:
            # per coefficient c, per unit of every layer: h[l][c][i][j] = (x_c[i] + x_c[j]) / 2 in
            # double, rounded once (src/net/heb_net.c, heb_coef_from_params)
            x, off = params.reshape(ncoef, units), np.cumsum([0] + self.sizes)
            for l in range(len(self.sizes) - 1):
                pre, post = x[:, off[l]:off[l + 1]], x[:, off[l + 1]:off[l + 2]]
                self.planes.append([(0.5 * (pre[c][:, None] + post[c][None, :])).astype(f32) for c in range(ncoef)])
        else:
            for l in range(len(self.sizes) - 1):
                n = self.sizes[l] * self.sizes[l + 1]
                self.planes.append([coef[k + c * n:k + (c + 1) * n].reshape(self.sizes[l], self.sizes[l + 1])
                                    for c in range(ncoef)])
                k += ncoef * n
        self.init_weights = None
        if self.coevolve and self.rule != "static":
            self.init_weights = []
            for l in range(len(self.sizes) - 1):
                n = self.sizes[l] * self.sizes[l + 1]
                self.init_weights.append(coef[k:k + n].reshape(self.sizes[l], self.sizes[l + 1]))
                k += n
        self.reset(0)

    def _read(self, path, which):
        """The checkpoint's config and coefficients, checked as the C reader checks them: the format
        and version, /config's FNV-1a checksum, the datasets' Fletcher-32 checksums (h5py refuses a
        chunk whose checksum fails). Errors name the file and what is wrong."""
        if not os.path.isfile(path):
            raise CheckpointError(f"{path}: no such checkpoint file")
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise CheckpointError(f"{path}: not a readable HDF5 checkpoint (a config, or a truncated or damaged "
                                  f"file?): {e}") from None
        with f:
            where = "/"
            try:
                fmt = _text(f.attrs.get("format"))
                if fmt != "hebes-checkpoint":
                    raise CheckpointError(f"{path}: not a hebes checkpoint (format attribute {fmt!r})")
                version = int(f.attrs.get("format_version", 1))
                if version > CKPT_VERSION:
                    raise CheckpointError(f"{path}: checkpoint format version {version} is newer than this package "
                                          f"reads ({CKPT_VERSION})")
                where = "/config"
                text = _text(f["config"][()])
                if version >= 3:
                    basis = _FNV_BASIS if version >= 5 else _FNV_BASIS_V3
                    if int(f.attrs["config_fnv1a64"]) != _fnv1a(text.encode(), basis):
                        raise CheckpointError(f"{path}: /config is damaged (its checksum config_fnv1a64 does not "
                                              f"match): refused")
                cfg = json.loads(text)
                # the MuJoCo the run last stepped on (None: written before hebes kept it)
                self.engine = _text(f.attrs["mujoco_version"]) if "mujoco_version" in f.attrs else None
                where = "/layout"
                lay = f["layout"]
                self.rule = _text(lay.attrs["rule"])
                self.sizes = [int(x) for x in lay["sizes"][:]]
                where = f"/coefficients/{which}"
                params = np.asarray(f["coefficients"][which][:], dtype=np.float64).reshape(-1)
                where = "/state"
                st = f["state"]
                self.obs_n = len(st["obs_sum"]) if "obs_sum" in st else 0
                if self.obs_n:
                    count = float(st.attrs["obs_count"])
                    mean = st["obs_sum"][:] / count if count > 0 else np.zeros(self.obs_n)
                    var = st["obs_sumsq"][:] / count - mean * mean if count > 0 else np.ones(self.obs_n)
                    self.shift = mean if count > 0 else np.zeros(self.obs_n)
                    self.scale = 1.0 / np.maximum(np.sqrt(np.maximum(var, 0.0)), OBS_STD_MIN) if count > 0 \
                        else np.ones(self.obs_n)
            except CheckpointError:
                raise
            except (OSError, KeyError, ValueError, TypeError) as e:
                raise CheckpointError(f"{path}: {where} cannot be read (missing or damaged): {e}") from None
        return cfg, params

    # -- episode start --
    def reset(self, seed):
        """Fresh initial weights for episode seed `seed` and the per-unit state at rest."""
        L = len(self.sizes) - 1
        rng = _Stream(seed, WEIGHTS, 0, 0)
        if self.rule == "static":
            self.weights = [p[0].copy() for p in self.planes]
        elif self.init_weights is not None:
            self.weights = [w.copy() for w in self.init_weights]
        else:
            self.weights = [self._init_layer(self.sizes[l], self.sizes[l + 1], rng) for l in range(L)]
        self.theta = [np.full(self.sizes[l], self.bcm_theta0, f32) for l in range(L + 1)]
        self.avg = [np.full(self.sizes[l], self.homeo_target, f32) for l in range(L + 1)]
        self.u = [np.full(self.sizes[l], f32(self.stp_u), f32) for l in range(L + 1)]
        self.x = [np.ones(self.sizes[l], f32) for l in range(L + 1)]
        self.updates = 0
        self.activities = [np.zeros(s, f32) for s in self.sizes]
        self.raw_output = np.zeros(self.sizes[-1], f32)

    def _init_layer(self, n_pre, n_post, rng):
        n, init = n_pre * n_post, self.init
        bound = {"uni": 0.1, "uni_big": 1.0, "xa_uni": 0.3 * math.sqrt(6.0 / (n_pre + n_post)),
                 "xa_uni_big": math.sqrt(6.0 / (n_pre + n_post)),
                 "ka_uni": math.sqrt(2.0 / (1.0 + 3.0 * 3.0)) * math.sqrt(3.0 / n_pre)}.get(init)
        if init in ("ones", "zeros"):
            w = np.full(n, 1.0 if init == "ones" else 0.0)
        elif init == "normal":
            w = np.array([0.024 * rng.normal() for _ in range(n)])
        elif init == "sparse":
            w = np.zeros(n)
            for k in range(n):
                keep = rng.uniform() >= 0.8
                v = 0.01 * rng.normal()  # always drawn, as in C
                w[k] = v if keep else 0.0
        else:
            w = np.array([bound * (2.0 * rng.uniform() - 1.0) for _ in range(n)])
        return w.astype(f32).reshape(n_pre, n_post)

    # -- one environment step --
    def check_obs(self, obs):
        """obs as float64 [n_in], or ValueError saying what the network needs. Checked before
        anything of the network's state changes: a NaN or an inf would poison every later step."""
        try:
            x = np.asarray(obs, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"hebes policy: an observation is {self.sizes[0]} numbers, not {type(obs).__name__}") \
                from None
        if x.shape != (self.sizes[0],):
            raise ValueError(f"hebes policy: an observation is {self.sizes[0]} numbers (docs/environment.md's "
                             f"layout), got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            bad = [int(i) for i in np.nonzero(~np.isfinite(x))[0][:5]]
            raise ValueError(f"hebes policy: the observation has non-finite values (at {bad}); the network's state "
                             f"is left as it was")
        return x

    def normalize_obs(self, obs):
        """The network's input for raw observation obs (float64 arithmetic, then float32, as C)."""
        obs = self.check_obs(obs)
        if not self.obs_norm:
            return obs.astype(f32)
        z = (obs - self.shift) * self.scale
        return np.clip(z, -self.obs_clip, self.obs_clip).astype(f32)

    def act(self, obs):
        """The action for raw observation obs, then the plasticity step."""
        return self.step(self.normalize_obs(obs))

    __call__ = act

    def step(self, x):
        """The action for network input x (already normalised), then the plasticity step."""
        x = self.check_obs(x)
        a = self.forward(x)
        self.update()
        return a

    def forward(self, x):
        L = len(self.sizes) - 1
        act = [np.asarray(x, dtype=f32).copy()]
        for l in range(L):
            pre = act[l]
            if self.stp_u > 0:
                pre = pre * (self.u[l] * self.x[l] * f32(1.0 / self.stp_u))
            out = np.zeros(self.sizes[l + 1], f32)
            w = self.weights[l]
            for i in range(self.sizes[l]):  # C's order of the sum: input by input, in float32
                out += w[i] * pre[i]
            act.append(_tanhf(out) if l < L - 1 else out)
        self.raw_output = act[-1]
        a = _tanhf(self.raw_output)
        act[-1] = a if self.out_tanh else self.raw_output
        self.activities = act
        return a.astype(np.float64)

    def update(self):
        if self.plastic_steps and self.updates >= self.plastic_steps:
            return  # net.plastic_steps: a fixed network from here on
        self.updates += 1
        L = len(self.sizes) - 1
        for l in range(L):
            pre, post, w = self.activities[l], self.activities[l + 1], self.weights[l]
            if self.stp_u > 0:
                self._stp(l, pre)
            if self.rule == "static":
                continue
            self._rule(l, w, pre, post)
            if self.rule == "BCM":
                self.theta[l + 1] += (post * post - self.theta[l + 1]) * self.bcm_k
            if self.homeo_rate > 0:
                self.avg[l + 1] += (_rate(post) - self.avg[l + 1]) * self.homeo_k
                w *= f32(1.0) + self.homeo_rate * (self.homeo_target - self.avg[l + 1])
            self._modify(w)

    def _stp(self, l, pre):
        U, r = f32(self.stp_u), _rate(pre)
        kd = f32(1.0 / self.stp_tau_d)
        if self.stp_tau_f > 0:
            kf = f32(1.0 / self.stp_tau_f)
            self.u[l] = np.clip(self.u[l] + (U - self.u[l]) * kf + U * (f32(1.0) - self.u[l]) * r, f32(0), f32(1))
        self.x[l] = np.clip(self.x[l] + (f32(1.0) - self.x[l]) * kd - self.u[l] * self.x[l] * r, f32(0), f32(1))

    def _rule(self, l, w, pre, post):
        oi, oj, h = pre[:, None], post[None, :], self.planes[l]
        r = self.rule
        if r == "A":
            d = h[0] * oi * oj
        elif r == "AD":
            d = h[0] * oi * oj + h[1]
        elif r == "AD_lr":
            d = h[2] * (h[0] * oi * oj + h[1])
        elif r == "ABC":
            d = h[0] * oi * oj + h[1] * oi + h[2] * oj
        elif r == "ABC_lr":
            d = h[3] * (h[0] * oi * oj + h[1] * oi + h[2] * oj)
        elif r == "ABCD":
            d = h[0] * oi * oj + h[1] * oi + h[2] * oj + h[3]
        elif r == "ABCD_lr":
            d = h[3] * (h[0] * oi * oj + h[1] * oi + h[2] * oj + h[4])
        elif r == "ABCD_lr_D_out":
            d = h[3] * (h[0] * oi * oj + h[1] * oi + h[2] * oj) + h[4]
        elif r == "ABCD_lr_D_in_and_out":
            d = h[3] * (h[0] * oi * oj + h[1] * oi + h[2] * oj + h[4]) + h[5]
        elif r in ("hebb", "hebb_clipped"):
            d = self.eta * oi * oj
        elif r == "oja":
            d = self.eta * (oi * oj - self.alpha * oj * oj * w)
        elif r == "BCM":
            d = h[0] * oi * oj * (oj - self.theta[l + 1][None, :])
        w += d.astype(f32)
        if r == "hebb_clipped":
            norm = np.sqrt(np.sum(w.astype(np.float64) ** 2, axis=0))
            for j in np.nonzero((norm > self.clip_norm) & (norm > 0))[0]:
                w[:, j] *= f32(self.clip_norm / norm[j])

    def _modify(self, w):
        if self.decay > 0:
            w *= f32(1.0 - self.decay)
        if self.w_min < self.w_max:
            np.clip(w, f32(self.w_min), f32(self.w_max), out=w)
        if self.normalize:
            m = np.max(np.abs(w))
            if m > 0 and np.isfinite(m):
                w *= f32(1.0) / m


def rollout(policy, env, seed, max_steps=None):
    """One episode of policy in any Gymnasium environment whose observations and actions have the
    network's sizes: env.reset(seed=seed), policy.reset(seed), then act until the episode ends.
    Returns (return, steps, the last info)."""
    n_in, n_out = policy.sizes[0], policy.sizes[-1]
    if env.observation_space.shape != (n_in,) or env.action_space.shape != (n_out,):
        raise ValueError(f"rollout: the network reads {n_in} numbers and gives {n_out} actions; the environment "
                         f"observes {env.observation_space.shape} and takes {env.action_space.shape}")
    obs, info = env.reset(seed=seed)
    policy.reset(seed)
    total, steps = 0.0, 0
    while max_steps is None or steps < max_steps:
        obs, r, term, trunc, info = env.step(policy.act(obs))
        total, steps = total + float(r), steps + 1
        if term or trunc:
            break
    return total, steps, info


def load(path, which="current"):
    """The checkpoint's policy (`which`: the current coefficients ES converged to, or the best
    candidate's)."""
    return Policy(path, which)
