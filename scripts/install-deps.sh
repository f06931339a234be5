#!/usr/bin/env bash
# Installs what hebes needs (as root): the Debian 12 packages, then the project venv (.venv) from
# python/requirements.txt's pins, whose MuJoCo wheel the C core is built against (docs/mujoco.md).
# Does nothing when all are present.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
pkgs=(build-essential cmake pkg-config libopenmpi-dev openmpi-bin libmujoco-dev libhdf5-dev hdf5-tools
      libcjson-dev check librandom123-dev python3 python3-venv python3-h5py python3-matplotlib python3-sklearn
      libegl-dev libegl-mesa0 libgl1-mesa-dri zlib1g-dev ffmpeg clang libclang-rt-14-dev
      slurmctld slurmd slurm-client munge)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
bash scripts/venv.sh python/requirements.txt
# The project's own Python package (python/: hebes.load, hebes.envs with its shared core) into the
# venv, again only when its sources changed.
stamp=$(cat python/pyproject.toml python/setup.py python/hebes/*.py src/*/*.c src/*/*.h | sha256sum | cut -c1-16)
if [ "$(cat .venv/hebes-package 2>/dev/null)" != "$stamp" ]; then
  echo "install-deps: pip install ./python into .venv"
  log=$(mktemp)
  .venv/bin/pip install -q --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall ./python \
    > "$log" 2>&1 || { grep -v '^WARNING: Location' "$log" >&2; rm -f "$log"; echo "install-deps: pip install ./python failed" >&2; exit 1; }
  rm -f "$log"
  echo "$stamp" > .venv/hebes-package
fi
exit
}
