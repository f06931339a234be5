#!/usr/bin/env bash
# Builds hebes: scripts/build.sh [release|asan|fuzz|debian]
#   release     -> build/, against the project venv's MuJoCo (the PyPI wheel Gymnasium runs on;
#                  docs/mujoco.md): what every command and result uses
#   asan, fuzz  -> build-asan/ (ASan+UBSan), build-fuzz/ (the libFuzzer targets), against Debian's
#                  MuJoCo 2.2.2: the wheel's libmujoco allocates in its static initialisers, and
#                  ASan's slow unwinding (scripts/test.sh, to attribute Open MPI's leftovers to
#                  tests/lsan.supp) deadlocks there inside libgcc's unwinder before main. The
#                  sanitizers check hebes's code, which is the same on either engine.
#   debian      -> build-debian/: release against Debian's MuJoCo 2.2.2, the engine of the results
#                  before 2026-12-03, kept for comparison (bench/mujoco.sh)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
kind=${1:-release}
mujoco_dir() {
  [ -x .venv/bin/python ] || { echo "build: no project venv (.venv): run scripts/install-deps.sh first" >&2; exit 1; }
  local d
  d=$(.venv/bin/python -c 'import mujoco, os; print(os.path.dirname(mujoco.__file__))') ||
    { echo "build: the venv has no mujoco package: run scripts/install-deps.sh" >&2; exit 1; }
  echo "-DHEBES_MUJOCO_DIR=$d"
}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release "$(mujoco_dir)") ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEBES_SANITIZE=ON -DHEBES_MUJOCO_DIR=) ;;
  fuzz) dir=build-fuzz; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEBES_FUZZ=ON -DCMAKE_C_COMPILER=clang -DHEBES_MUJOCO_DIR=) ;;
  debian) dir=build-debian; flags=(-DCMAKE_BUILD_TYPE=Release -DHEBES_MUJOCO_DIR=) ;;
  *) echo "usage: scripts/build.sh [release|asan|fuzz|debian]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(env -u OMP_NUM_THREADS nproc)"
exit
}
