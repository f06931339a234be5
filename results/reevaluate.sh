#!/usr/bin/env bash
# Every committed checkpoint's final coefficients on fresh held-out episodes: `hebes eval --which
# current`, 50 episodes per model, evaluation seeds 12345 and 777 (eval-12345.txt, eval-777.txt),
# and under Gymnasium Ant-v5's rules (v5-12345.txt). The README's table and the REPORTs quote these.
#   bash results/reevaluate.sh [FOLDER ...]        (default: every results/*/checkpoint.h5 and */*/)
set -euo pipefail
cd "$(dirname "$0")/.."
H=${HEBES:-build/hebes}
[ -n "${HEBES:-}" ] || bash scripts/build.sh release > /dev/null
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  for ck in results/*/checkpoint.h5 results/*/*/checkpoint.h5; do
    case $ck in results/attractor-*|results/morph-walk/*) continue ;; esac # other tasks; morph-walk has its own
    dirs+=("$(dirname "$ck")")
  done
fi
for d in "${dirs[@]}"; do
  for seed in 12345 777; do
    [ -s "$d/eval-$seed.txt" ] || "$H" eval "$d/checkpoint.h5" --which current --episodes 50 --seed $seed \
      --out "$d/eval-$seed.csv" > "$d/eval-$seed.txt"
  done
  [ -s "$d/v5-12345.txt" ] || "$H" eval "$d/checkpoint.h5" --which current --episodes 50 --seed 12345 --rules ant-v5 \
    --out "$d/v5-12345.csv" > "$d/v5-12345.txt"
  echo "$d: $(awk '$1 ~ /xml$/ { printf "%s %.2f ± %.2f; ", $1, $2, $3 }' "$d/eval-12345.txt")| seed 777: $(awk '$1 ~ /xml$/ { printf "%.2f; ", $2 }' "$d/eval-777.txt")| v5: $(awk '$1 ~ /xml$/ { printf "%.0f (%s steps); ", $2, $7 }' "$d/v5-12345.txt")"
done
