#!/usr/bin/env bash
# The project venv (.venv, Debian's python3): scripts/venv.sh REQUIREMENTS [...] installs each
# pinned requirements file into it, once: a file whose content is already installed (its hash is
# kept in .venv/hebes-installed) is skipped. Other scripts read the venv's MuJoCo folder with
#   .venv/bin/python -c 'import mujoco, os; print(os.path.dirname(mujoco.__file__))'
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/venv.sh REQUIREMENTS.txt [...]" >&2; exit 2; }
for r in "$@"; do
  [ -f "$r" ] || { echo "venv: $r: no such requirements file" >&2; exit 1; }
done
if [ ! -x .venv/bin/python ]; then
  echo "venv: creating .venv"
  /usr/bin/python3 -m venv .venv
fi
touch .venv/hebes-installed
for r in "$@"; do
  sum=$(sha256sum "$r" | cut -c1-16)
  if grep -qx "$r $sum" .venv/hebes-installed; then
    echo "venv: $r already installed"
    continue
  fi
  echo "venv: installing $r"
  log=$(mktemp)
  if ! .venv/bin/pip install -q --disable-pip-version-check -r "$r" > "$log" 2>&1; then
    grep -v '^WARNING: Location' "$log" >&2; rm -f "$log"
    echo "venv: installing $r failed (pip's messages above)" >&2; exit 1
  fi
  rm -f "$log"
  # Every pin must be what is installed (a later file may not silently move an earlier pin).
  .venv/bin/python - "$r" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if "==" not in line:
        continue
    name, want = line.split("==")
    name = name.split("[")[0]
    try:
        have = version(name)
    except PackageNotFoundError:
        have = "missing"
    if have.split("+")[0] != want:  # a local build label (torch's "+cpu") is the same release
        bad.append(f"{name} {have} (pinned {want})")
if bad:
    sys.exit(f"venv: {sys.argv[1]}: not as pinned: " + ", ".join(bad))
PY
  grep -v "^$r " .venv/hebes-installed > .venv/hebes-installed.tmp || true
  echo "$r $sum" >> .venv/hebes-installed.tmp
  mv .venv/hebes-installed.tmp .venv/hebes-installed
done
exit
}
