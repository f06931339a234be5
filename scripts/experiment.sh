#!/usr/bin/env bash
# One learning experiment, start to finish: train CONFIG on every core (niced, so the machine
# stays usable), evaluate the final unperturbed coefficients on 50 held-out episodes per model
# (seed 12345; training's in-run evaluation uses run.eval_seed, default 0), and plot.
#   scripts/experiment.sh CONFIG [NAME] [--set KEY=VALUE ...]
# Writes results/NAME/ (NAME defaults to the config's run.name): config.json, progress.csv,
# checkpoint.h5, fitness.png, weight_norms.png, eval.txt (hebes eval's table), eval.csv (one row
# per episode), wall.txt (wall time and cores). REPORT.md is written by hand from these.
# HEBES_RANKS=N uses N ranks instead of one per core (results are the same bits for any N).
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -ge 1 ] && exit 0 || exit 2
fi
config=$1; shift
name=""
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then name=$1; shift; fi
for a in "$@"; do
  case $a in --set) ;; *=*) ;; *) echo "experiment: unexpected argument '$a' (after NAME only --set KEY=VALUE)" >&2; exit 2 ;; esac
done
[ -f "$config" ] && [ -r "$config" ] || { echo "experiment: $config: no such config file" >&2; exit 1; }
keys=$(/usr/bin/python3 tools/run_keys.py experiment "$config") || exit 1
bash scripts/build.sh release > /dev/null
source scripts/env.sh
sets=("$@")
[ -n "$name" ] && sets+=(--set "run.name=$name")
name=${name:-${keys%% *}}
dir=results/$name
if [ -e "$dir/checkpoint.h5" ]; then
  echo "experiment: $dir/checkpoint.h5 exists; give another NAME (or resume it with hebes train --resume)" >&2
  exit 1
fi
ranks=${HEBES_RANKS:-$HEBES_CORES}
bind=core
[ "$ranks" = "$HEBES_CORES" ] || bind=none # several experiments side by side must not share a core
start=$(date +%s)
nice mpirun -np "$ranks" --bind-to "$bind" build/hebes train "$config" "${sets[@]}"
end=$(date +%s)
echo "wall $((end - start)) s, $ranks rank(s) on a $HEBES_CORES-core $(lscpu | sed -n 's/^Model name: *//p')" |
  tee "$dir/wall.txt"
build/hebes eval "$dir/checkpoint.h5" --which current --episodes 50 --seed 12345 --out "$dir/eval.csv" | tee "$dir/eval.txt"
/usr/bin/python3 tools/plot_run.py "$dir"
exit
}
