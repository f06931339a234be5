#!/usr/bin/env bash
# Every committed checkpoint's final coefficients on fresh held-out episodes: `hebes eval --which
# current`, 50 episodes per model, evaluation seeds 12345 and 777 (eval-12345.txt, eval-777.txt),
# under Gymnasium Ant-v5's rules (v5-12345.txt), and in Gymnasium's own Ant-v5 (gym-12345.txt,
# tools/gym_eval.py, for checkpoints of the standard Ant's 27 or 105 observations). The README's
# table and the REPORTs quote these; the engine is the build's MuJoCo (docs/mujoco.md).
#   bash results/reevaluate.sh [--force] [FOLDER ...]
#     default: every results/*/checkpoint.h5 and */*/ but the attractor's and morph-walk's (its own run.sh)
#     --force: measure again where the files exist (after a change of engine)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
H=${HEBES:-build/hebes}
force=0 dirs=()
for a in "$@"; do
  case $a in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "reevaluate.sh: unknown option $a" >&2; exit 2 ;;
    *) [ -f "$a/checkpoint.h5" ] || { echo "reevaluate.sh: $a: no checkpoint.h5 there" >&2; exit 1; }; dirs+=("$a") ;;
  esac
done
[ -n "${HEBES:-}" ] || bash scripts/build.sh release > /dev/null
if [ ${#dirs[@]} -eq 0 ]; then
  for ck in results/*/checkpoint.h5 results/*/*/checkpoint.h5; do
    case $ck in results/attractor-*|results/morph-walk/*) continue ;; esac # other tasks; morph-walk has its own
    dirs+=("$(dirname "$ck")")
  done
fi
todo() { [ "$force" = 1 ] || [ ! -s "$1" ]; }
# The bodies a checkpoint is judged on: its env.eval_models. A checkpoint older than the stored model
# copies (no /models) that names envs/ant-damaged-right.xml trained on the body that file held before
# 2026-12-03, the rear-left leg shortened: it is judged on envs/ant-short-rear-left.xml, that body.
models_of() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    cfg, stored = json.loads(f["config"][()]), "models" in f
for m in cfg["env"]["eval_models"]:
    print("envs/ant-short-rear-left.xml" if m == "envs/ant-damaged-right.xml" and not stored else m)
PY
}
for d in "${dirs[@]}"; do
  mapfile -t bodies < <(models_of "$d/checkpoint.h5")
  margs=()
  for b in "${bodies[@]}"; do margs+=(--model "$b"); done
  for seed in 12345 777; do
    todo "$d/eval-$seed.txt" && "$H" eval "$d/checkpoint.h5" --which current --episodes 50 --seed $seed \
      "${margs[@]}" --out "$d/eval-$seed.csv" > "$d/eval-$seed.txt"
  done
  todo "$d/v5-12345.txt" && "$H" eval "$d/checkpoint.h5" --which current --episodes 50 --seed 12345 --rules ant-v5 \
    "${margs[@]}" --out "$d/v5-12345.csv" > "$d/v5-12345.txt"
  # Gymnasium's Ant-v5 is the standard Ant: the bodies a checkpoint was evaluated on beside it are not judged there
  todo "$d/gym-12345.txt" && .venv/bin/python tools/gym_eval.py "$d/checkpoint.h5" --which current --episodes 50 \
    --seed 12345 --out "$d/gym-12345.csv" > "$d/gym-12345.txt"
  echo "$d: $(awk '$1 ~ /xml$/ { printf "%s %.2f ± %.2f; ", $1, $2, $3 }' "$d/eval-12345.txt")| seed 777: $(awk '$1 ~ /xml$/ { printf "%.2f; ", $2 }' "$d/eval-777.txt")| v5: $(awk '$1 ~ /xml$/ { printf "%.0f (%s steps); ", $2, $7 }' "$d/v5-12345.txt")| Gymnasium: $(awk '$1 == "Gymnasium" { printf "%.0f (%s steps)", $3, $8 }' "$d/gym-12345.txt")"
done
exit
}
