#!/usr/bin/env bash
# results/bodies (REPORT.md): the static and the plastic network (configs/bodies/BODY-{static,hebbian}.json)
# on Gymnasium's bodies, one training seed each (an anecdote, not a comparison), each resumed after a stop;
# then each final checkpoint is judged on 50 held-out episodes of evaluation seeds 12345 and 777, by
# hebes eval under the body's v5 rules and in Gymnasium's own environment (tools/gym_eval.py), and
# filmed.
#   bash results/bodies/run.sh [BODY ...]     (default: half_cheetah hopper; HEBES_RANKS=1: one rank per run)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
out=results/bodies
bodies=("$@")
[ ${#bodies[@]} -gt 0 ] || bodies=(half_cheetah hopper)
for b in "${bodies[@]}"; do
  [ -f "configs/bodies/$b-static.json" ] || { echo "bodies/run.sh: no configs/bodies/$b-static.json (bodies: $(ls configs/bodies | sed 's/-.*//' | sort -u | tr '\n' ' '))" >&2; exit 2; }
done
if [ -z "${HEBES:-}" ]; then bash scripts/build.sh release > /dev/null; HEBES=build/hebes; fi
export HEBES
source results/judge-common.sh
for b in "${bodies[@]}"; do
  for arm in static hebbian; do
    bash scripts/seeds.sh "configs/bodies/$b-$arm.json" 1 --out "$out"
    run=$out/$b-$arm-s1
    judge_gym "$run/checkpoint.h5" "$run"
    cat "$run/gym-12345.txt" "$run/gym-777.txt" | grep '^Gymnasium'
    [ -s "$run/film.mp4" ] || "$HEBES" eval "$run/checkpoint.h5" --episodes 1 --seed 12345 --rules v5 \
      --video "$run/film.mp4" --width 320 --height 240 > /dev/null || echo "bodies/run.sh: no film for $run (see hebes eval --video)" >&2
    /usr/bin/python3 tools/plot_run.py "$run" > /dev/null
  done
done
exit
}
