#!/usr/bin/env bash
# results/morph-paper (REPORT.md): the paper's unseen-body test, both arms for three training seeds
# (each resumes after a stop; the finished ones are left alone), each evaluated on 50 held-out
# episodes per body (standard, lead-right shortened: trained; lead-left shortened: never seen) and
# evaluation seed; then the tables, figures and films across seeds, and the Hebbian network fixed after K steps
# (plastic.md) (results/morph-common.sh).
#   bash results/morph-paper/run.sh              (about 10 core-hours in all; HEBES_RANKS=1: one rank per run)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
source results/morph-common.sh
out=results/morph-paper
bash scripts/seeds.sh configs/morph-paper-stp.json 3 --out "$out"
bash scripts/seeds.sh configs/morph-paper-static.json 3 --out "$out"
morph_tables "$out" morph-paper
morph_plastic "$out" morph-paper
morph_films "$out" morph-paper envs/ant-damaged-left.xml
exit
}
