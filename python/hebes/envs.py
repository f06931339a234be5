"""hebes's C Ant as a Gymnasium environment.

    import gymnasium as gym, hebes.envs
    env = gym.make("hebes/Ant-v0", config="configs/morph-paper-stp.json",
                   sets=["env.damage_leg=front_left", "env.damage_step=500"], rules="ant-v5")
    obs, info = env.reset(seed=3)

The episode is the one hebes plays (src/env, through the shared core hebes/_core and
src/capi/hebes_capi.h): the config and its --set overrides choose the body (env.models[0], or
model=FILE; with neither, Gymnasium's own ant.xml, the same physics as envs/ant.xml), damage, observation (env.contact_obs, env.foot_contacts, env.heading_obs) and rules; rules="ant-v5"
applies Gymnasium Ant-v5's reward and termination over it, as `hebes eval --rules ant-v5`. A reset
with seed S starts from the state `hebes rollout --episode-seed S` starts from; without a seed the
episode seed is drawn from the environment's own generator. Time limit (env.max_steps) ends an
episode as truncated; a torso out of the healthy range, an early stop or a diverged simulation as
terminated. info carries the reward's terms so far (forward, healthy, control_cost, contact_cost),
the distance walked (torso x) and the end.

The other bodies (env.body) come the same way on Gymnasium's own model files and their v5 rules:
gym.make("hebes/HalfCheetah-v0"), "hebes/Hopper-v0", "hebes/Walker2d-v0", "hebes/Swimmer-v0",
"hebes/Humanoid-v0" (make_body), each the same bits as Gymnasium's v5 environment step for step
(tests/gym_bodies.py).
"""
import ctypes
import json
import os

import gymnasium as gym
import numpy as np

__all__ = ["HebesAnt", "make_body", "core_path"]


def core_path():
    """The shared core's file (built by `pip install ./python`)."""
    import mujoco  # noqa: F401  (loads libmujoco, which the core links by its soname)
    from . import _core
    return _core.__file__


def _load():
    lib = ctypes.CDLL(core_path())
    P, D, I, U64 = ctypes.c_void_p, ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_uint64
    lib.hebes_env_open.restype = P
    lib.hebes_env_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), I, ctypes.c_char_p, I,
                                   ctypes.c_char_p, ctypes.c_size_t]
    lib.hebes_env_close.argtypes = [P]
    for f in ("obs_dim", "act_dim", "max_steps", "nq", "nv"):
        getattr(lib, f"hebes_env_{f}").restype = I
        getattr(lib, f"hebes_env_{f}").argtypes = [P]
    lib.hebes_env_dt.restype = ctypes.c_double
    lib.hebes_env_dt.argtypes = [P]
    lib.hebes_env_reset.argtypes = [P, U64, D]
    lib.hebes_env_step.restype = I
    lib.hebes_env_step.argtypes = [P, D, D, D, D, D]
    lib.hebes_env_end_name.restype = ctypes.c_char_p
    lib.hebes_env_end_name.argtypes = [I]
    lib.hebes_env_state.argtypes = [P, D, D]
    return lib


_LIB = None
TERMS = ("forward", "healthy", "control_cost", "contact_cost")
_TRUNCATED = "time_limit"


def _ptr(a):
    return a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


class HebesAnt(gym.Env):
    """hebes's Ant (see the module's docstring). config: a hebes JSON config (None: the defaults);
    sets: overrides as `--set KEY=VALUE` takes them; model: the MJCF file (None: env.models[0]);
    rules: None (the config's) or "ant-v5"."""

    metadata = {"render_modes": []}

    def __init__(self, config=None, sets=(), model=None, rules=None):
        global _LIB
        if rules not in (None, "ant-v5"):
            raise ValueError(f"HebesAnt: rules must be None or 'ant-v5', not {rules!r}")
        if isinstance(sets, str):
            raise TypeError("HebesAnt: sets is a list of 'KEY=VALUE' strings, not one string")
        if config is not None and not os.path.isfile(config):
            raise FileNotFoundError(f"HebesAnt: {config}: no such config file")
        if _LIB is None:
            _LIB = _load()
        self._lib = _LIB
        sets = list(sets)
        if model is None and config is None:
            # no config names a body: Gymnasium's own ant.xml, the same physics as envs/ant.xml
            model = os.path.join(os.path.dirname(gym.__file__), "envs", "mujoco", "assets", "ant.xml")
        if model is not None:
            if not os.path.isfile(model):
                raise FileNotFoundError(f"HebesAnt: {model}: no such model file")
            body = json.dumps([os.path.abspath(model)])
            sets += ["env.models=" + body, "env.eval_models=" + body]
        arr = (ctypes.c_char_p * max(1, len(sets)))(*[s.encode() for s in sets])
        err = ctypes.create_string_buffer(2048)
        self._h = self._lib.hebes_env_open(config.encode() if config else None, arr, len(sets),
                                           model.encode() if model else None, int(rules == "ant-v5"), err,
                                           len(err))
        if not self._h:
            raise ValueError(f"HebesAnt: {err.value.decode()}")
        n_obs, n_act = self._lib.hebes_env_obs_dim(self._h), self._lib.hebes_env_act_dim(self._h)
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, (n_obs,), np.float64)
        self.action_space = gym.spaces.Box(-1.0, 1.0, (n_act,), np.float32)
        self.dt = self._lib.hebes_env_dt(self._h)
        self.max_steps = self._lib.hebes_env_max_steps(self._h)
        self._obs = np.zeros(n_obs)
        self._act = np.zeros(n_act)
        self._terms = np.zeros(4)
        self._started = False

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        # The episode seed: the one given (hebes's episode S), else one from the env's generator.
        self.episode_seed = int(seed) if seed is not None else int(self.np_random.integers(0, 2 ** 63))
        self._lib.hebes_env_reset(self._h, ctypes.c_uint64(self.episode_seed % 2 ** 64), _ptr(self._obs))
        self._started = True
        return self._obs.copy(), {"episode_seed": self.episode_seed}

    def step(self, action):
        if not self._started:
            raise RuntimeError("HebesAnt: call reset() before step()")
        a = np.asarray(action, dtype=np.float64).reshape(-1)
        if a.shape != self._act.shape:
            raise ValueError(f"HebesAnt: an action has {self._act.size} numbers, got shape {np.shape(action)}")
        self._act[:] = a
        r, dist = ctypes.c_double(), ctypes.c_double()
        end = self._lib.hebes_env_step(self._h, _ptr(self._act), _ptr(self._obs), ctypes.byref(r), _ptr(self._terms),
                                       ctypes.byref(dist))
        name = self._lib.hebes_env_end_name(end).decode()
        if end:
            self._started = False
        info = dict(zip(TERMS, self._terms.tolist()), distance=dist.value, end=name)
        return self._obs.copy(), float(r.value), bool(end) and name != _TRUNCATED, name == _TRUNCATED, info

    def state(self):
        """MuJoCo's qpos and qvel."""
        q = np.zeros(self._lib.hebes_env_nq(self._h))
        v = np.zeros(self._lib.hebes_env_nv(self._h))
        self._lib.hebes_env_state(self._h, _ptr(q), _ptr(v))
        return q, v

    def close(self):
        if getattr(self, "_h", None):
            self._lib.hebes_env_close(self._h)
            self._h = None

    def __del__(self):
        self.close()


def make_body(body, sets=(), **kw):
    """hebes's environment of env.body `body` (half_cheetah, hopper, walker2d, swimmer, humanoid)
    on Gymnasium's own model file, under the body's v5 rules (rules="ant-v5" names them for every
    body), with further --set overrides: the gym.make("hebes/Hopper-v0") family."""
    from . import BODY_GYM
    if body not in BODY_GYM or body == "ant":
        raise ValueError(f"make_body: {body!r} is not one of {', '.join(b for b in BODY_GYM if b != 'ant')}")
    if isinstance(sets, str):
        raise TypeError("make_body: sets is a list of 'KEY=VALUE' strings, not one string")
    model = os.path.join(os.path.dirname(gym.__file__), "envs", "mujoco", "assets", BODY_GYM[body][1])
    return HebesAnt(sets=[f"env.body={body}", *sets], model=kw.pop("model", model), rules=kw.pop("rules", "ant-v5"),
                    **kw)


if "hebes/Ant-v0" not in gym.registry:
    gym.register("hebes/Ant-v0", entry_point="hebes.envs:HebesAnt")
for _body, _gid in (("half_cheetah", "HalfCheetah"), ("hopper", "Hopper"), ("walker2d", "Walker2d"),
                    ("swimmer", "Swimmer"), ("humanoid", "Humanoid")):
    if f"hebes/{_gid}-v0" not in gym.registry:
        gym.register(f"hebes/{_gid}-v0", entry_point="hebes.envs:make_body", kwargs={"body": _body})
