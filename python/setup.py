"""Builds hebes's shared core (hebes/_core*.so): src/env, src/config and what they use, compiled
against the mujoco wheel's libmujoco and headers and loaded by hebes.envs with ctypes. The
sources are the repository's (../src): install from a checkout, `pip install ./python`."""
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.relpath(os.path.join(HERE, "..", "src"), HERE)


def mujoco_dir():
    import mujoco  # the build needs the wheel: pyproject.toml's build requirements name it
    return os.path.dirname(mujoco.__file__)


def libmujoco(d):
    libs = [f for f in os.listdir(d) if f.startswith("libmujoco.so")]
    if len(libs) != 1:
        raise SystemExit(f"hebes setup: expected one libmujoco.so* in {d}, found {libs}")
    return os.path.join(d, libs[0])


folders = ["common", "config", "env", "es", "net", "capi"]
sources = [os.path.join(SRC, f, n) for f, names in [
    ("common", ["rng.c", "rng_zig_table.c"]), ("config", ["cfg.c", "cfg_keys.c"]), ("env", ["env.c", "env_spec.c"]),
    ("es", ["es.c", "es_state.c"]), ("net", ["heb_net.c", "heb_rules.c", "heb_share.c"]), ("capi", ["hebes_capi.c", "pymodule.c"])]
    for n in names]
mj = mujoco_dir()
core = Extension(
    "hebes._core", sources=sources,
    include_dirs=[os.path.join(SRC, f) for f in folders] + [os.path.join(mj, "include")],
    define_macros=[("_POSIX_C_SOURCE", "200809L")],
    extra_compile_args=["-std=c11", "-O2", "-ffp-contract=off"],
    libraries=["cjson", "m"],
    # libmujoco by its soname, found next to this package in site-packages (the mujoco wheel)
    extra_link_args=[libmujoco(mj), "-Wl,-rpath,$ORIGIN/../mujoco"],
)
setup(ext_modules=[core])
