#!/usr/bin/env bash
# results/v5-families (REPORT.md): the plastic network's rule families at equal budget, one training
# seed each (an anecdote, not a comparison): per-synapse rules, neuron-centric, 64 shared rules and
# Evolve & Merge (configs/families/ARM.json: 50 generations of 200, at most 10 M env steps), each
# resumed after a stop and left alone once finished; then each final checkpoint is judged on 50
# held-out episodes of evaluation seeds 12345 and 777, by hebes eval (distance, the training rules)
# and in Gymnasium's own Ant-v5 (tools/gym_eval.py: the Ant-v5 return).
# The synapse arm runs last: it is results/v5-plastic's phase 1, seed 1, bit for bit (the same
# config and seed) up to generation 50, and adds only a generation-50 checkpoint to judge.
#   bash results/v5-families/run.sh [ARM ...]     (default: neuron shared64 merge synapse; HEBES_RANKS=1: one rank per run)
set -euo pipefail
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
for a in "${arms[@]}"; do
  bash scripts/seeds.sh "configs/families/$a.json" 1 --out "$out"
  run=$out/family-$a-s1
  for s in 12345 777; do
    [ -s "$run/gym-$s.txt" ] || .venv/bin/python tools/gym_eval.py "$run/checkpoint.h5" --which current \
      --episodes 50 --seed $s --out "$run/gym-$s.csv" > "$run/gym-$s.txt"
    grep '^Gymnasium' "$run/gym-$s.txt"
  done
  /usr/bin/python3 tools/plot_run.py "$run" > /dev/null
done
