#!/usr/bin/env bash
# results/morph-walk (REPORT.md): both arms for three training seeds (each resumes after a stop; the
# finished ones are left alone), each evaluated on 50 held-out episodes per body and evaluation
# seed; then the front-left leg failing at step 500 on the standard body (50 episodes per seed),
# and the tables and figures across seeds (results/morph-common.sh). HEBES_RANKS=1 runs each
# training on one rank.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
source results/morph-common.sh
out=results/morph-walk
bash scripts/seeds.sh configs/morph-walk-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-walk-static.json 3 --out "$out"
morph_damage "$out" morph-walk
morph_tables "$out" morph-walk
# the films: seed 1 of each arm, the held-out episode of evaluation seed 5 (near the Hebbian arm's
# median), the leg failing at step 500
for arm in stp static; do
  f=$out/damaged-$arm.mp4
  [ -s "$f" ] || "$hebes" eval "$out/morph-walk-$arm-s1/checkpoint.h5" --which current --episodes 1 --seed 5 \
    --model envs/ant.xml --set env.damage_leg=front_left --set env.damage_step=500 --video "$f" --width 480 --height 360
done
exit
}
