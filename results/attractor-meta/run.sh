#!/usr/bin/env bash
# results/attractor-meta: ES evolves the attractor network's plasticity (configs/attractor-meta.json),
# two parameterisations (attractor.evolve unit_rates and global), 3 training seeds each, then every
# run's evolved plasticity against the spec's uniform rate on held-out seeds (two ranges) and on the
# held-out sequence. Run from the repository's root: bash results/attractor-meta/run.sh
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/../.."
out=results/attractor-meta
for evolve in unit_rates global; do
  HEBES_RANKS=${HEBES_RANKS:-1} bash scripts/seeds.sh configs/attractor-meta.json 3 --out "$out" \
    --set run.name="$evolve" --set attractor.evolve="$evolve"
done
for evolve in unit_rates global; do
  for k in 1 2 3; do
    for seed in 1000 5000; do
      f=$out/$evolve-s$k/compare-$seed.txt
      [ -f "$f" ] || build/hebes attractor configs/attractor-meta.json --set attractor.evolve="$evolve" \
        --ckpt "$out/$evolve-s$k/checkpoint.h5" --seed $seed --episodes 20 > "$f"
    done
  done
done
/usr/bin/python3 tools/attractor_table.py "$out"
exit
}
