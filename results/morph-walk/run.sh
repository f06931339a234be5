#!/usr/bin/env bash
# results/morph-walk (REPORT.md): both arms for three training seeds (each resumes after a stop; the
# finished ones are left alone), each evaluated on 50 held-out episodes per body and evaluation
# seed; then the front-left leg failing at step 500 on the standard body (50 episodes per seed),
# and the tables and figures across seeds. HEBES_RANKS=1 runs each training on one rank.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=results/morph-walk
bash scripts/seeds.sh configs/morph-walk-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-walk-static.json 3 --out "$out"
hebes=${HEBES:-build/hebes}
for arm in stp static; do
  for k in 1 2 3; do
    run=$out/morph-walk-$arm-s$k
    for s in 12345 777; do
      [ -s "$run/damaged-$s.txt" ] && continue
      "$hebes" eval "$run/checkpoint.h5" --which current --episodes 50 --seed "$s" --model envs/ant.xml \
        --set env.damage_leg=front_left --set env.damage_step=500 \
        --per-step "$run/damaged-$s.csv" --out "$run/damaged-$s-episodes.csv" > "$run/damaged-$s.txt.tmp"
      mv "$run/damaged-$s.txt.tmp" "$run/damaged-$s.txt"
    done
  done
done
/usr/bin/python3 tools/seeds_table.py "$out" > "$out/table.md"
for s in 12345 777; do
  args=() dmg=() eps=()
  for arm in stp static; do
    for k in 1 2 3; do
      args+=("$arm=$out/morph-walk-$arm-s$k/per-step-$s.csv")
      dmg+=("$arm=$out/morph-walk-$arm-s$k/damaged-$s.csv")
      eps+=("$arm=$out/morph-walk-$arm-s$k/damaged-$s-episodes.csv")
    done
  done
  /usr/bin/python3 tools/adaptation.py "${args[@]}" --out "$out/speed-$s.png" > "$out/speed-$s.md"
  /usr/bin/python3 tools/adaptation.py "${dmg[@]}" --damage 500 --out "$out/damage-$s.png" --episodes "${eps[@]}" \
    > "$out/damage-$s.md"
done
for run in "$out"/morph-walk-*-s[0-9]*; do /usr/bin/python3 tools/plot_run.py "$run" > /dev/null; done
tmp=$(mktemp -d)
/usr/bin/python3 tools/plot_run.py "$out/morph-walk-*-s[0-9]*" --out "$tmp" --x steps > /dev/null
mv "$tmp/runs.png" "$out/runs.png" && rm -rf "$tmp"
cat "$out/table.md"
# the films: seed 1 of each arm, the held-out episode of evaluation seed 5 (near the Hebbian arm's
# median), the leg failing at step 500
for arm in stp static; do
  f=$out/damaged-$arm.mp4
  [ -s "$f" ] || "$hebes" eval "$out/morph-walk-$arm-s1/checkpoint.h5" --which current --episodes 1 --seed 5 \
    --model envs/ant.xml --set env.damage_leg=front_left --set env.damage_step=500 --video "$f" --width 480 --height 360
done
