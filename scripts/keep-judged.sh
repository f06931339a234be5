#!/usr/bin/env bash
# A judged run that trains on: its judgement files keep the generation they judged in their names,
# so that the new final checkpoint is judged afresh and the old judgement is not taken for it.
#   scripts/keep-judged.sh DIR G
# In run folder DIR, eval-SEED.*, gym-SEED.* and per-step-SEED.* (.txt and .csv, written by
# scripts/seeds.sh, results/judge-common.sh and tools/gym_eval.py) become NAME-genG.EXT; files that
# already carry a generation are left as they are.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
[ $# = 2 ] && [ -d "$1" ] && case $2 in '' | *[!0-9]*) false ;; esac ||
  { echo "keep-judged.sh: usage: keep-judged.sh RUN_DIR GENERATION (a folder and a whole number)" >&2; exit 2; }
for f in "$1"/{eval,gym,per-step}-*.{txt,csv}; do
  case $f in *-gen[0-9]*) continue ;; esac
  if [ -e "$f" ]; then mv "$f" "${f%.*}-gen$2.${f##*.}"; fi
done
exit 0
}
