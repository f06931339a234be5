#!/usr/bin/env bash
# results/morph-spread (REPORT.md): trained on a spread of damages, both arms for three training seeds
# (each resumes after a stop; the finished ones are left alone), each evaluated on 50 held-out
# episodes per held-out body (standard; lead-left at 0.1; rear-left at 0.1) and
# evaluation seed; then the tables and figures across seeds.
#   bash results/morph-spread/run.sh              (about 10 core-hours in all; HEBES_RANKS=1: one rank per run)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=results/morph-spread
bash scripts/seeds.sh configs/morph-spread-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-spread-static.json 3 --out "$out"
/usr/bin/python3 tools/seeds_table.py "$out" > "$out/table.md"
for s in 12345 777; do
  args=()
  for arm in stp static; do
    for k in 1 2 3; do args+=("$arm=$out/morph-spread-$arm-s$k/per-step-$s.csv"); done
  done
  /usr/bin/python3 tools/adaptation.py "${args[@]}" --out "$out/speed-$s.png" > "$out/speed-$s.md"
done
for run in "$out"/morph-spread-*-s[0-9]*; do /usr/bin/python3 tools/plot_run.py "$run" > /dev/null; done
tmp=$(mktemp -d)
/usr/bin/python3 tools/plot_run.py "$out/morph-spread-*-s[0-9]*" --out "$tmp" --x steps > /dev/null
mv "$tmp/runs.png" "$out/runs.png" && rm -rf "$tmp"
cat "$out/table.md"
# the films: seed 1 of each arm on the body it never saw
hebes=${HEBES:-build/hebes}
for arm in stp static; do
  f=$out/heldout-$arm.mp4
  [ -s "$f" ] || "$hebes" eval "$out/morph-spread-$arm-s1/checkpoint.h5" --which current --episodes 1 --seed 5 \
    --model envs/ant-damaged-left.xml --video "$f" --width 480 --height 360
done
# the third held-out test: the lead-left leg fails at step 500 on the standard body (50 episodes
# per seed and evaluation seed), distance after the failure as a share of before
for arm in stp static; do
  for k in 1 2 3; do
    run=$out/morph-spread-$arm-s$k
    for s in 12345 777; do
      [ -s "$run/damaged-$s.txt" ] && continue
      "$hebes" eval "$run/checkpoint.h5" --which current --episodes 50 --seed "$s" --model envs/ant.xml \
        --set env.damage_leg=front_left --set env.damage_step=500 \
        --per-step "$run/damaged-$s.csv" --out "$run/damaged-$s-episodes.csv" > "$run/damaged-$s.txt.tmp"
      mv "$run/damaged-$s.txt.tmp" "$run/damaged-$s.txt"
    done
  done
done
for s in 12345 777; do
  dmg=() eps=()
  for arm in stp static; do
    for k in 1 2 3; do
      dmg+=("$arm=$out/morph-spread-$arm-s$k/damaged-$s.csv")
      eps+=("$arm=$out/morph-spread-$arm-s$k/damaged-$s-episodes.csv")
    done
  done
  /usr/bin/python3 tools/adaptation.py "${dmg[@]}" --damage 500 --out "$out/damage-$s.png" --episodes "${eps[@]}" \
    > "$out/damage-$s.md"
done
