#!/usr/bin/env bash
# How smooth are rollouts in the coefficients? Distance walked by the generation-0 coefficients
# of CONFIG scaled by 1, 1.002, 1.004 and 1.01, on episodes 1..3 (same initial weights and reset
# noise across a row). Rows that jump between scalings mean the rollout is chaotic in the
# coefficients, and an ES gradient from perturbations of that size is mostly noise.
#   tools/sensitivity.sh CONFIG [--set KEY=VALUE ...]      (needs build/hebes)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -ge 1 ] && exit 0 || exit 2
fi
config=$1; shift
# the coefficients' scale: es.init_std of the config, or of a --set
base=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("es", {}).get("init_std", 1.0))' "$config")
for a in "$@"; do case $a in es.init_std=*) base=${a#es.init_std=} ;; esac; done
printf '%-8s %10s %10s %10s %10s   (distance in m; scaling of the coefficients)\n' episode 1 1.002 1.004 1.01
for ep in 1 2 3; do
  row=""
  for f in 1 1.002 1.004 1.01; do
    s=$(awk -v f="$f" -v b="$base" 'BEGIN { printf "%.9g", f * b }')
    d=$(build/hebes rollout "$config" "$@" --set es.init_std="$s" --episode-seed "$ep" --param-seed 3 |
        awk '/^distance/ { printf "%.2f", $2 }')
    row="$row $(printf '%10s' "$d")"
  done
  printf '%-8s%s\n' "$ep" "$row"
done
