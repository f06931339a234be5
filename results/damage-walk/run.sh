#!/usr/bin/env bash
# results/damage-walk: the committed walk checkpoints with the front-left leg failing at step 500,
# against the intact body; 50 held-out episodes per evaluation seed (REPORT.md).
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
out=results/damage-walk
for run in walk-hebbian walk-static plasticity-walk/stp; do
  n=$(echo "$run" | tr / -)
  for s in 12345 777; do
    build/hebes eval "results/$run/checkpoint.h5" --which current --episodes 50 --seed "$s" \
      --per-step "$out/$n-intact-$s.csv" > "$out/$n-intact-$s.txt"
    build/hebes eval "results/$run/checkpoint.h5" --which current --episodes 50 --seed "$s" \
      --set env.damage_leg=front_left --set env.damage_step=500 \
      --per-step "$out/$n-damaged-$s.csv" --out "$out/$n-damaged-$s-episodes.csv" > "$out/$n-damaged-$s.txt"
  done
done
for s in 12345 777; do
  /usr/bin/python3 tools/adaptation.py \
    hebbian="$out/walk-hebbian-intact-$s.csv" hebbian-damaged="$out/walk-hebbian-damaged-$s.csv" \
    static="$out/walk-static-intact-$s.csv" static-damaged="$out/walk-static-damaged-$s.csv" \
    stp="$out/plasticity-walk-stp-intact-$s.csv" stp-damaged="$out/plasticity-walk-stp-damaged-$s.csv" \
    --damage 500 --out "$out/speed-$s.png"
done
exit
}
