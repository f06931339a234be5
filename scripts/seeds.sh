#!/usr/bin/env bash
# One config for several training seeds, one run after another on this machine (on a cluster, the
# same as a Slurm array: slurm/README.md), each evaluated on held-out episodes, then the table
# across seeds.
#   scripts/seeds.sh CONFIG N [--first K] [--out DIR] [--set KEY=VALUE ...]
# Seed k (k = K .. K+N-1, K default 1) trains as run DIR/NAME-sk with run.seed k (NAME: the config's
# run.name; DIR default results/NAME), niced, on every core (HEBES_RANKS=N: N ranks). A run that has
# a checkpoint is resumed (train --auto-resume), one already at run.generations is left alone, so
# the same command continues after a stop. Each finished run is evaluated on 50 held-out episodes
# per model with `hebes eval --which current` (run.task ant only) for two evaluation seeds, 12345 and 777
# (HEBES_EVAL_SEEDS overrides; HEBES_EVAL_EPISODES the 50): eval-SEED.csv, eval-SEED.txt and
# per-step-SEED.csv (mean speed and torso height per step, for tools/adaptation.py) in its folder; a
# run trained on past a judged generation G keeps those files as eval-SEED-genG.txt etc. Then
# tools/seeds_table.py DIR prints, per arm and model, the mean over seeds of each seed's mean, with a 95%
# interval across seeds. A stop (exit 3: a signal, after a checkpoint) ends the launcher with 3.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
if [ $# -lt 2 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
  usage
  [ $# -ge 1 ] && [ "$1" != --help ] && [ "$1" != -h ] && exit 2
  [ $# -ge 1 ] && exit 0 || exit 2
fi
config=$1 n=$2
shift 2
case $n in '' | *[!0-9]* | ?????*) echo "seeds.sh: N must be a whole number from 1 to 9999, not '$n'" >&2; exit 2 ;; esac
[ "$n" -ge 1 ] || { echo "seeds.sh: N must be at least 1 (how many training seeds), not '$n'" >&2; exit 2; }
first=1 out="" sets=()
value() { # value OPTION WHAT VALUE...: the option's value, or a usage error naming it
  [ $# -ge 3 ] && [ -n "$3" ] && case $3 in --*) false ;; esac ||
    { echo "seeds.sh: $1 needs $2" >&2; exit 2; }
}
while [ $# -gt 0 ]; do
  case $1 in
    --first) value --first K "${@:2}"; first=$2; shift 2 ;;
    --out) value --out DIR "${@:2}"; out=$2; shift 2 ;;
    --set) value --set KEY=VALUE "${@:2}"; sets+=(--set "$2"); shift 2 ;;
    *) echo "seeds.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case $first in '' | *[!0-9]* | ?????????*) echo "seeds.sh: --first must be a whole number, not '$first'" >&2; exit 2 ;; esac
case ${HEBES_RANKS:-1} in
  '' | *[!0-9]* | 0 | ????*) echo "seeds.sh: HEBES_RANKS must be a whole number of ranks from 1 to 999, not '$HEBES_RANKS'" >&2; exit 2 ;;
esac
[ -r "$config" ] && [ -f "$config" ] || { echo "seeds.sh: $config: cannot read the config" >&2; exit 1; }
# The config's run keys, read once; a file that is not a JSON object is refused by name.
keys=$(/usr/bin/python3 tools/run_keys.py seeds.sh "$config") || exit 1
if [ -z "${HEBES:-}" ]; then # HEBES=PATH/TO/hebes: that binary, not a fresh release build
  bash scripts/build.sh release > /dev/null
  HEBES=build/hebes
fi
source scripts/env.sh
read -r name task config_generations <<< "$keys"
for s in "${sets[@]}"; do
  case $s in run.name=*) name=${s#run.name=} ;; run.task=*) task=${s#run.task=} ;; esac
done
out=${out:-results/$name}
ranks=${HEBES_RANKS:-$HEBES_CORES}
bind=core
[ "$ranks" = "$HEBES_CORES" ] || bind=none
eval_seeds=${HEBES_EVAL_SEEDS:-12345 777}
for k in $(seq "$first" $((first + n - 1))); do
  run=$name-s$k dir=$out/$name-s$k
  want=$config_generations
  for s in "${sets[@]}"; do case $s in run.generations=*) want=${s#run.generations=} ;; esac; done
  have=0
  [ -f "$dir/checkpoint.h5" ] && have=$("$HEBES" inspect "$dir/checkpoint.h5" | awk '$1 == "generation" && $3 == "of" { print $2 }')
  if [ "$have" -lt "$want" ]; then
    echo "seeds.sh: seed $k: $dir (generation $have of $want)"
    # a run judged at generation $have that trains on (run.generations raised): its judgements keep
    # that generation in their names, and the new final checkpoint is evaluated below
    [ ! -d "$dir" ] || bash scripts/keep-judged.sh "$dir" "$have"
    start=$(date +%s)
    rc=0
    nice mpirun -np "$ranks" --bind-to "$bind" "$HEBES" train --auto-resume "$config" "${sets[@]}" \
      --set run.out_dir="$out" --set run.name="$run" --set run.seed="$k" || rc=$?
    # the segment's wall time, unless train refused before making the run folder (its message says why)
    [ ! -d "$dir" ] ||
      echo "segment $(date -u -d @"$start" +%FT%TZ) to $(date -u +%FT%TZ): $(($(date +%s) - start)) s, $ranks rank(s) on a $HEBES_CORES-core $(lscpu | sed -n 's/^Model name: *//p')" >> "$dir/wall.txt"
    [ $rc = 3 ] && { echo "seeds.sh: seed $k stopped after a checkpoint; run the same command to resume" >&2; exit 3; }
    [ $rc = 0 ] || { echo "seeds.sh: seed $k: hebes train failed ($rc)" >&2; exit $rc; }
  fi
  [ "$task" = ant ] || continue # other tasks have their own evaluation (hebes attractor --ckpt)
  for e in $eval_seeds; do
    # eval-SEED.txt marks the evaluation done, so it appears only when the evaluation finished: the
    # .csv files fill row by row, and a stop in the middle must not leave one taken for done
    [ -s "$dir/eval-$e.txt" ] && continue
    "$HEBES" eval "$dir/checkpoint.h5" --which current --episodes "${HEBES_EVAL_EPISODES:-50}" --seed "$e" --out "$dir/eval-$e.csv" \
      --per-step "$dir/per-step-$e.csv" > "$dir/eval-$e.txt.tmp"
    mv "$dir/eval-$e.txt.tmp" "$dir/eval-$e.txt"
  done
done
[ "$task" = ant ] && /usr/bin/python3 tools/seeds_table.py "$out"
exit 0
}
