#!/usr/bin/env bash
# results/v5-families (REPORT.md): the plastic network's rule families at equal budget, one training
# seed each (an anecdote, not a comparison): per-synapse rules, neuron-centric, 64 shared rules and
# Evolve & Merge (configs/families/ARM.json: 50 generations of 200, at most 10 M env steps), each
# resumed after a stop and left alone once finished; then each final checkpoint is judged on 50
# held-out episodes of evaluation seeds 12345 and 777, by hebes eval (distance, the training rules)
# and in Gymnasium's own Ant-v5 (tools/gym_eval.py: the Ant-v5 return).
# The synapse arm runs last: it is results/v5-plastic's phase 1, seed 1, bit for bit (the same
# config and seed) up to generation 50, and adds only a generation-50 checkpoint to judge; its seed 2
# is results/v5-plastic's phase 1, seed 2, kept at generation 50.
#   bash results/v5-families/run.sh [ARM ...]     (default: neuron shared64 merge synapse; HEBES_RANKS=1: one rank per run)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
out=results/v5-families
arms=("$@")
[ ${#arms[@]} -gt 0 ] || arms=(neuron shared64 merge synapse)
for a in "${arms[@]}"; do
  [ -f "configs/families/$a.json" ] ||
    { echo "v5-families/run.sh: no configs/families/$a.json (arms: $(ls configs/families | sed 's/\.json$//' | tr '\n' ' '))" >&2; exit 2; }
done
if [ -z "${HEBES:-}" ]; then bash scripts/build.sh release > /dev/null; HEBES=build/hebes; fi
export HEBES
source results/judge-common.sh
for a in "${arms[@]}"; do
  bash scripts/seeds.sh "configs/families/$a.json" 1 --out "$out"
  run=$out/family-$a-s1
  judge_gym "$run/checkpoint.h5" "$run"
  cat "$run/gym-12345.txt" "$run/gym-777.txt" | grep '^Gymnasium'
  /usr/bin/python3 tools/plot_run.py "$run" > /dev/null
done
# The synapse arm's second training seed costs nothing: results/v5-plastic's phase 1, seed 2, is the
# same config with run.seed 2, and keeps its generation 50 (run.keep_every). Judged the same way.
kept=results/v5-plastic/v5-plastic-walk-s2/checkpoint-gen50.h5 run=$out/family-synapse-s2
if [[ " ${arms[*]} " == *" synapse "* ]]; then
  if [ -f "$kept" ]; then
    mkdir -p "$run"
    judge_eval "$kept" "$run"
    judge_gym "$kept" "$run"
    cat "$run/gym-12345.txt" "$run/gym-777.txt" | grep '^Gymnasium'
  else
    echo "v5-families/run.sh: $kept not there yet (results/v5-plastic/run.sh 2 writes it): synapse seed 2 not judged" >&2
  fi
fi
exit
}
