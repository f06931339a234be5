#!/usr/bin/env bash
# The soak test (not part of the per-commit suite; its figures are in docs/soak.md):
#   1. a straight run of G generations of a small Ant config on N ranks, sampling the resident
#      memory (VmRSS) of every rank once a second against the generation it is at;
#   2. the same run stopped by a random signal (SIGUSR1, SIGUSR2, SIGTERM or SIGINT) every few
#      dozen generations and resumed each time, until it reaches G;
#   3. the two final checkpoints must hold the same bits, and every rank's memory must be flat
#      from the first hundred generations to the last (rank 0 may grow by its history's rows).
#   scripts/soak.sh [--generations G] [--ranks N] [--seed S]      (defaults 3000, 2, 1)
# Exit 0 when both hold, 1 when not; prints the figures either way.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
G=3000 N=2 seed=1
while [ $# -gt 0 ]; do
  case $1 in
    --generations) G=${2:?}; shift 2 ;;
    --ranks) N=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
H=${HEBES:-build/hebes}
[ -n "${HEBES:-}" ] || bash scripts/build.sh release > /dev/null
source scripts/env.sh
tmp=$(mktemp -d /tmp/hebes-soak-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cfg=(tests/configs/ant-learn.json --set es.population=8 --set env.max_steps=20 --set net.obs_norm=true
     --set run.checkpoint_every=25 --set run.out_dir="$tmp" --set run.seed="$seed")
hash() { "$H" inspect "$1" --hash | grep '^hash' | tr '\n' ' '; }
rows() { [ -f "$1" ] && echo $(($(wc -l < "$1") - 1)) || echo 0; }

echo "soak: 1. straight, $G generations on $N ranks"
start=$(date +%s)
mpirun -np "$N" --oversubscribe "$H" train "${cfg[@]}" --set run.name=straight --set run.generations="$G" \
  > "$tmp/straight.log" 2>&1 &
launcher=$!
: > "$tmp/rss.txt"
while kill -0 $launcher 2> /dev/null; do
  gen=$(rows "$tmp/straight/progress.csv")
  for pid in $(pgrep -f "run.name=straight" | grep -v "^$launcher$"); do
    [ "$(ps -o comm= -p "$pid" 2> /dev/null)" = "$(basename "$H" | cut -c1-15)" ] || continue
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
    rank=$({ tr '\0' '\n' < "/proc/$pid/environ"; } 2> /dev/null | sed -n 's/^OMPI_COMM_WORLD_RANK=//p' || true)
    [ -n "$rss" ] && echo "$gen $pid $rss ${rank:-?}" >> "$tmp/rss.txt"
  done
  sleep 1
done
wait $launcher
echo "soak: straight run: $(($(date +%s) - start)) s"

echo "soak: 2. the same, stopped by a random signal every few dozen generations and resumed"
signals=(USR1 USR2 TERM INT)
stops=0 start=$(date +%s)
RANDOM=$seed
while :; do
  done_gens=0
  [ -f "$tmp/split/checkpoint.h5" ] && done_gens=$("$H" inspect "$tmp/split/checkpoint.h5" | awk '$1 == "generation" && $3 == "of" { print $2 }')
  [ "$done_gens" -ge "$G" ] && break
  mpirun -np "$N" --oversubscribe "$H" train --auto-resume "${cfg[@]}" --set run.name=split \
    --set run.generations="$G" > "$tmp/split.log" 2>&1 &
  pid=$!
  target=$((done_gens + 20 + RANDOM % 60))
  while kill -0 $pid 2> /dev/null && [ "$(rows "$tmp/split/progress.csv")" -lt "$target" ]; do sleep 0.05; done
  sig=${signals[$((RANDOM % 4))]}
  if kill -0 $pid 2> /dev/null; then
    kill "-$sig" $pid 2> /dev/null || true
    stops=$((stops + 1))
  fi
  wait $pid || true
done
echo "soak: split run: $stops stops, $(($(date +%s) - start)) s"

a=$(hash "$tmp/straight/checkpoint.h5") b=$(hash "$tmp/split/checkpoint.h5")
same=0
[ "$a" = "$b" ] && same=1
echo "soak: straight $a"
echo "soak: split    $b"
# Memory: each rank's mean VmRSS over generations 100-199 against its last hundred. Rank 0 also
# keeps the run's history, one 368-byte es_gen_stats row per generation in an array whose capacity
# doubles: it may grow by up to 736 bytes a generation on top (a leak of more would show).
[ -s "$tmp/rss.txt" ] || { echo "soak: no memory samples of the ranks were taken" >&2; exit 1; }
flat=$(awk -v G="$G" '
  { n[$2]++; r[$2] = $4; if ($1 >= 100 && $1 < 200) { e[$2] += $3; ne[$2]++ } if ($1 >= G - 100) { l[$2] += $3; nl[$2]++ } }
  END {
    ok = 1
    for (p in n) {
      if (!ne[p] || !nl[p]) { ok = 0; printf "soak: rank pid %s: no samples at generations 100-199 or the last hundred\n", p > "/dev/stderr"; continue }
      a = e[p] / ne[p]; b = l[p] / nl[p]; hist = r[p] == "0" ? G * 736 / 1024 : 0
      printf "soak: rank %s (pid %s): VmRSS %.0f kB at generations 100-199, %.0f kB at the last hundred (%+.2f%%; allowed %.0f kB%s)\n", r[p], p, a, b, 100 * (b - a) / a, a * 0.01 + 512 + hist, hist ? ", with the history" : "" > "/dev/stderr"
      if (b > a * 1.01 + 512 + hist) ok = 0
    }
    print ok
  }' "$tmp/rss.txt")
echo "soak: same bits: $([ $same = 1 ] && echo yes || echo NO); memory flat (within 1% + 512 kB, and the history on rank 0): $([ "$flat" = 1 ] && echo yes || echo NO)"
[ $same = 1 ] && [ "$flat" = 1 ]
exit
}
