#!/usr/bin/env bash
# results/v5-plastic (REPORT.md): for training seeds 1 and 2, phase 1 (configs/v5-plastic-walk.json:
# the STP walker under Ant-v5's termination, distance fitness) then phase 2 (configs/v5-plastic.json:
# Ant-v5's reward from phase 1's coefficients); each resumes after a stop, a finished one is left
# alone. Then each final checkpoint is judged: hebes eval on 50 held-out episodes (seeds 12345, 777),
# under Ant-v5's rules, and in Gymnasium's own Ant-v5 (tools/gym_eval.py, the target's judge).
#   bash results/v5-plastic/run.sh [SEED ...]      (default 1 2; HEBES_RANKS=1: one rank per run)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
out=results/v5-plastic
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2)
for k in "${seeds[@]}"; do
  case $k in '' | *[!0-9]*) echo "v5-plastic/run.sh: a seed is a whole number, not '$k'" >&2; exit 2 ;; esac
done
if [ -z "${HEBES:-}" ]; then bash scripts/build.sh release > /dev/null; HEBES=build/hebes; fi
export HEBES
source scripts/env.sh
source results/judge-common.sh
ranks=${HEBES_RANKS:-$HEBES_CORES}
bind=core; [ "$ranks" = "$HEBES_CORES" ] || bind=none
want() { /usr/bin/python3 tools/run_keys.py v5-plastic/run.sh "$1" | cut -d' ' -f3; }
have() { [ -f "$1" ] && "$HEBES" inspect "$1" | awk '$1 == "generation" && $3 == "of" { print $2 }' || echo 0; }
for k in "${seeds[@]}"; do
  # phase 1: seeds.sh trains (or resumes) and evaluates it
  bash scripts/seeds.sh configs/v5-plastic-walk.json 1 --first "$k" --out "$out"
  walk=$out/v5-plastic-walk-s$k/checkpoint.h5 run=$out/v5-plastic-s$k
  # each training segment's wall time goes to wall.txt, as scripts/seeds.sh writes it (a stop too)
  start=$(date +%s) rc=0 trained=1
  if [ ! -f "$run/checkpoint.h5" ]; then
    nice -n 10 mpirun -np "$ranks" --bind-to $bind "$HEBES" train configs/v5-plastic.json --init-from "$walk" \
      --set run.seed="$k" --set run.name="v5-plastic-s$k" --set run.out_dir="$out" || rc=$?
  elif [ "$(have "$run/checkpoint.h5")" -lt "$(want configs/v5-plastic.json)" ]; then
    # a judged checkpoint trained on (the config's run.generations raised): its judgement files keep
    # the generation they judged, and the new final checkpoint is judged afresh below
    bash scripts/keep-judged.sh "$run" "$(have "$run/checkpoint.h5")"
    rm -f "$run/walk.mp4"
    nice -n 10 mpirun -np "$ranks" --bind-to $bind "$HEBES" train --resume "$run/checkpoint.h5" \
      --set run.generations="$(want configs/v5-plastic.json)" || rc=$?
  else
    trained=0
  fi
  [ $trained = 0 ] || [ ! -d "$run" ] ||
    echo "segment $(date -u -d @"$start" +%FT%TZ) to $(date -u +%FT%TZ): $(($(date +%s) - start)) s, $ranks rank(s) on a $HEBES_CORES-core $(lscpu | sed -n 's/^Model name: *//p')" >> "$run/wall.txt"
  [ $rc = 0 ] || { echo "v5-plastic/run.sh: seed $k phase 2 stopped (exit $rc); run the same command to resume" >&2; exit $rc; }
  judge_eval "$run/checkpoint.h5" "$run"
  judge_gym "$run/checkpoint.h5" "$run"
  cat "$run/gym-12345.txt" "$run/gym-777.txt"
  # a film of one held-out episode (seed 12345, episode 0) under Ant-v5's rules, the caption its distance
  [ -s "$run/walk.mp4" ] || "$HEBES" eval "$run/checkpoint.h5" --which current --episodes 1 --seed 12345 \
    --rules ant-v5 --video "$run/walk.mp4" --width 480 > /dev/null
  /usr/bin/python3 tools/plot_run.py "$run" > /dev/null
done
# phase 2's learning curves of every seed in Ant-v5 return against env steps, one figure (runs.png:
# the held-out evaluation, the mean across seeds with its 95% interval)
tmp=$(mktemp -d)
/usr/bin/python3 tools/plot_run.py "$out/v5-plastic-s[0-9]*" --out "$tmp" --x steps > /dev/null
mv "$tmp/runs.png" "$out/runs.png" && rm -rf "$tmp"
exit
}
