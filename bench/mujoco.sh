#!/usr/bin/env bash
# The MuJoCo decision's evidence (docs/mujoco.md), both engines measured side by side in one run:
#   build/        against the project venv's MuJoCo wheel (python/requirements.txt)
#   build-debian/ against Debian's libmujoco 2.2.2
# 1. physics-only env steps/s and full Hebbian rollouts/physics (`hebes bench`), the two binaries
#    at the same time, one per core, then with the cores swapped;
# 2. the Ant-v5 return of committed checkpoints (50 held-out episodes, seed 12345), both engines
#    at the same time, one per core.
#   bash bench/mujoco.sh [--steps N] [--episodes N] [CKPT ...]   (about 8 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=40000 episodes=50 ckpts=()
while [ $# -gt 0 ]; do
  case $1 in
    --steps|--episodes)
      [[ ${2:-} =~ ^[1-9][0-9]{0,8}$ ]] || { echo "bench/mujoco.sh: $1 needs a positive integer, got '${2:-}'" >&2; exit 2; }
      [ "$1" = --steps ] && steps=$2 || episodes=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench/mujoco.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -f "$1" ] || { echo "bench/mujoco.sh: $1: no such checkpoint" >&2; exit 1; }; ckpts+=("$1"); shift ;;
  esac
done
[ ${#ckpts[@]} -gt 0 ] || ckpts=(results/v5-hebbian/v5-static/checkpoint.h5 results/v5-hebbian/v5-hebbian/checkpoint.h5
  results/walk-static/checkpoint.h5 results/plasticity-walk/stp/checkpoint.h5 results/walk-hebbian/checkpoint.h5
  results/gait-speed/stp-bounded/checkpoint.h5 results/ant-quick/checkpoint.h5)
bash scripts/build.sh release > /dev/null
bash scripts/build.sh debian > /dev/null
source scripts/env.sh
[ "$HEBES_CORES" -ge 2 ] || { echo "bench/mujoco.sh: needs 2 cores (one per engine)" >&2; exit 1; }
mjver() { ldd "$1" | awk '/libmujoco/ { sub(/.*libmujoco\.so\./, "", $1); print $1 }'; }
vn=$(mjver build/hebes) vd=$(mjver build-debian/hebes)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== 1. hebes bench --steps $steps --chunks 4: MuJoCo $vn (wheel) and $vd (Debian) at the same time, one core each, twice with the cores swapped"
for round in 1 2; do
  cn=$((round - 1)) cd=$((2 - round))
  taskset -c $cn build/hebes bench --steps "$steps" --chunks 4 > "$tmp/new$round.txt" &
  taskset -c $cd build-debian/hebes bench --steps "$steps" --chunks 4 > "$tmp/deb$round.txt" &
  wait
done
# env-steps/s: the third number of the row ("(b) full ... 40105 15.592 2572.2 (965 episodes)")
col() { awk -v k="$2" 'index($0, k) == 1 { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/ && ++n == 3) print $i }' "$1"; }
printf "%-14s %-6s %14s %14s %14s %10s\n" engine round "physics st/s" "full st/s" "full/physics" "policy us"
for e in new deb; do
  for round in 1 2; do
    f=$tmp/$e$round.txt
    p=$(col "$f" "(a) physics") q=$(col "$f" "(b) full")
    pol=$(awk '/policy step alone/ { v = $(NF - 1); print v }' "$f")
    v=$vn; [ $e = deb ] && v=$vd
    printf "%-14s %-6s %14s %14s %14.3f %10s\n" "MuJoCo $v" "$round" "$p" "$q" "$(awk -v a="$q" -v b="$p" 'BEGIN { print a / b }')" "$pol"
  done
done
awk -v n1="$(col "$tmp/new1.txt" "(a) physics")" -v n2="$(col "$tmp/new2.txt" "(a) physics")" \
    -v d1="$(col "$tmp/deb1.txt" "(a) physics")" -v d2="$(col "$tmp/deb2.txt" "(a) physics")" \
    -v vn="$vn" -v vd="$vd" 'BEGIN { printf "physics-only speed %s / %s: %.3f (mean of both core placements)\n", vn, vd, (n1 + n2) / (d1 + d2) }'
echo
echo "== 2. Ant-v5 return (hebes eval --which current --rules ant-v5, $episodes episodes, seed 12345): $vn | $vd"
printf "%-48s %22s %22s\n" checkpoint "MuJoCo $vn" "MuJoCo $vd"
for ck in "${ckpts[@]}"; do
  taskset -c 0 build/hebes eval "$ck" --which current --episodes "$episodes" --seed 12345 --rules ant-v5 > "$tmp/en.txt" &
  taskset -c 1 build-debian/hebes eval "$ck" --which current --episodes "$episodes" --seed 12345 --rules ant-v5 > "$tmp/ed.txt" &
  wait
  row() { awk '$1 ~ /xml$/ { printf "%.0f ± %.0f (%s st)", $2, $3, $7; exit }' "$1"; }
  printf "%-48s %22s %22s\n" "${ck%/checkpoint.h5}" "$(row "$tmp/en.txt")" "$(row "$tmp/ed.txt")"
done
