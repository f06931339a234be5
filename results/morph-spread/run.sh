#!/usr/bin/env bash
# results/morph-spread (REPORT.md): trained on a spread of damages (fitness: the mean of each
# generation's two bodies; morph-spread-stp-s1, the worst body's, was tried and dropped), both arms for three training
# seeds (each resumes after a stop; the finished ones are left alone), each evaluated on 50
# held-out episodes per held-out body (standard; lead-left at 0.1; rear-left at 0.1) and evaluation
# seed; the lead-left leg failing at step 500; then the tables, figures and films across seeds, and the Hebbian
# network fixed after K steps (plastic.md)
# (results/morph-common.sh).
#   bash results/morph-spread/run.sh             (about 12 core-hours in all: a Hebbian run took 1.9; HEBES_RANKS=1: one rank per run)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
source results/morph-common.sh
out=results/morph-spread
bash scripts/seeds.sh configs/morph-spread-mean-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-spread-mean-static.json 3 --out "$out"
morph_damage "$out" morph-spread-mean
morph_tables "$out" morph-spread-mean
morph_plastic "$out" morph-spread-mean
morph_films "$out" morph-spread-mean envs/ant-damaged-left.xml
exit
}
