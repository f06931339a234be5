#!/usr/bin/env bash
# hebes's speed figures, each beside the physics-only baseline it is judged against.
#   scripts/bench.sh            (builds release first; about two minutes on 2 cores)
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
bash scripts/build.sh release > /dev/null
source scripts/env.sh
H=build/hebes
ncores=$HEBES_CORES
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. one core: physics only vs full Hebbian rollouts (ABCD_lr, 27-128-64-8), and the policy step"
$H bench --steps 40000 --chunks 8 --targets

echo
echo "== 2. ES machinery per generation without rollouts (population 500, ABCD_lr: 60,800 parameters)"
for n in 1 2; do mpirun -np $n --bind-to core $H bench --es --generations 10 --targets | tail -1 | sed "s/^/-np $n: /"; done

echo
echo "== 3. training throughput vs the physics-only throughput of $ncores cores"
# Physics only on every core at once: the ceiling training is measured against. (a) uses random
# actions; (a') replays the actions of this config's own Hebbian policies (the same MuJoCo work).
for i in $(seq "$ncores"); do $H bench bench/train-bench.json --steps 20000 --chunks 4 > "$tmp/phys$i.txt" & done
wait
phys=$(cat "$tmp"/phys*.txt | awk '/^\(a\) physics only/ { s += $NF } END { printf "%.1f", s }')
same=$(cat "$tmp"/phys*.txt | awk '/^\(a.\) physics only/ { s += $NF } END { printf "%.1f", s }')
rate() { awk '/^hebes train: finished/ { for (i = 1; i <= NF; i++) if ($i == "env-steps/s;") print $(i - 1) }' "$1"; }
mpirun -np 1 --bind-to core $H train bench/train-bench.json --set run.out_dir="$tmp/r" --set run.name=np1 > "$tmp/np1.txt"
mpirun -np "$ncores" --bind-to core $H train bench/train-bench.json --set run.out_dir="$tmp/r" --set run.name=npN > "$tmp/npN.txt"
r1=$(rate "$tmp/np1.txt")
rN=$(rate "$tmp/npN.txt")
printf "%-52s %12s env-steps/s\n" "physics only, random actions, $ncores processes" "$phys"
printf "%-52s %12s env-steps/s\n" "physics only, the policies' actions, $ncores processes" "$same"
printf "%-52s %12s env-steps/s\n" "hebes train -np 1" "$r1"
printf "%-52s %12s env-steps/s\n" "hebes train -np $ncores" "$rN"
awk -v p="$phys" -v q="$same" -v a="$r1" -v b="$rN" -v n="$ncores" 'BEGIN {
  printf "training -np %d / physics-only %d cores: %.3f (random actions), %.3f (the same actions)   (target >= 0.90)\n", n, n, b / p, b / q
  printf "speed-up -np 1 -> -np %d: %.2fx   (target >= 1.9x for 2)\n", n, b / a }'
exit
}
