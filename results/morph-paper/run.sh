#!/usr/bin/env bash
# results/morph-paper (REPORT.md): the paper's unseen-body test, both arms for three training seeds
# (each resumes after a stop; the finished ones are left alone), each evaluated on 50 held-out
# episodes per body (standard, lead-right shortened: trained; lead-left shortened: never seen) and
# evaluation seed; then the tables and figures across seeds.
#   bash results/morph-paper/run.sh              (about 10 core-hours in all; HEBES_RANKS=1: one rank per run)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=results/morph-paper
bash scripts/seeds.sh configs/morph-paper-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-paper-static.json 3 --out "$out"
/usr/bin/python3 tools/seeds_table.py "$out" > "$out/table.md"
for s in 12345 777; do
  args=()
  for arm in stp static; do
    for k in 1 2 3; do args+=("$arm=$out/morph-paper-$arm-s$k/per-step-$s.csv"); done
  done
  /usr/bin/python3 tools/adaptation.py "${args[@]}" --out "$out/speed-$s.png" > "$out/speed-$s.md"
done
for run in "$out"/morph-paper-*-s[0-9]*; do /usr/bin/python3 tools/plot_run.py "$run" > /dev/null; done
tmp=$(mktemp -d)
/usr/bin/python3 tools/plot_run.py "$out/morph-paper-*-s[0-9]*" --out "$tmp" --x steps > /dev/null
mv "$tmp/runs.png" "$out/runs.png" && rm -rf "$tmp"
cat "$out/table.md"
# the films: seed 1 of each arm on the body it never saw
hebes=${HEBES:-build/hebes}
for arm in stp static; do
  f=$out/heldout-$arm.mp4
  [ -s "$f" ] || "$hebes" eval "$out/morph-paper-$arm-s1/checkpoint.h5" --which current --episodes 1 --seed 5 \
    --model envs/ant-damaged-left.xml --video "$f" --width 480 --height 360
done
