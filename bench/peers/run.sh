#!/usr/bin/env bash
# hebes beside its peers, side by side in one run (results/peers/REPORT.md): every arm gets the
# whole machine (every core) for the same wall-clock budget, one arm after another, on the same
# task, Gymnasium's Ant-v5 return (27 observations), then its final policy is judged on the same 50
# held-out episodes of Gymnasium's own Ant-v5 (reset seeds from evaluation seed 12345).
#   bash bench/peers/run.sh [--minutes 30] [--out results/peers] [ARM ...]
# ARMs: hebes-static hebes-hebbian hebes-pgpe (bench/peers/hebes-*.json), evotorch (PGPE + ClipUp,
# bench/peers/evotorch_ant.py), sac (Stable-Baselines3, bench/peers/sac_ant.py); default all five.
# An arm whose folder holds summary.json is left alone (delete the folder to run it again).
# Installs the peers' pinned packages into the project venv first (bench/peers/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=30 out=results/peers arms=()
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) [[ ${2:-} =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "peers: --minutes needs a number, got '${2:-}'" >&2; exit 2; }
      minutes=$2; shift 2 ;;
    --out) [ -n "${2:-}" ] || { echo "peers: --out needs DIR" >&2; exit 2; }; out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    hebes-static|hebes-hebbian|hebes-pgpe|evotorch|sac) arms+=("$1"); shift ;;
    *) echo "peers: unknown argument '$1' (arms: hebes-static hebes-hebbian hebes-pgpe evotorch sac)" >&2; exit 2 ;;
  esac
done
[ ${#arms[@]} -gt 0 ] || arms=(hebes-static hebes-hebbian hebes-pgpe evotorch sac)
bash scripts/install-deps.sh > /dev/null
bash scripts/venv.sh bench/peers/requirements.txt
bash scripts/build.sh release > /dev/null
source scripts/env.sh
PY=.venv/bin/python
mkdir -p "$out"
cpu=$(lscpu | sed -n 's/^Model name: *//p')
for arm in "${arms[@]}"; do
  dir=$out/$arm
  [ -s "$dir/summary.json" ] && { echo "peers: $arm done ($dir/summary.json)"; continue; }
  echo "peers: $arm, $minutes min on $HEBES_CORES cores ($cpu)"
  case $arm in
    hebes-*)
      rm -rf "$dir"
      # SIGUSR1 at the budget: hebes abandons the generation in flight, checkpoints and exits 3
      rc=0
      timeout --signal=USR1 --kill-after=300 "${minutes}m" mpirun -np "$HEBES_CORES" --bind-to core build/hebes train \
        "bench/peers/$arm.json" --set run.out_dir="$out" > "$out/$arm.log" 2>&1 || rc=$?
      [ $rc = 0 ] || [ $rc = 3 ] || [ $rc = 124 ] || { echo "peers: $arm failed ($rc): $out/$arm.log" >&2; exit 1; }
      $PY - "$dir" <<'PY'
import csv, json, os, sys
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "progress.csv"))))
last = rows[-1]
s, n = float(last["total_seconds"]), int(last["total_steps"])
json.dump({"arm": os.path.basename(sys.argv[1]), "env_steps": n, "seconds": s, "steps_per_s": n / s,
           "generations": len(rows), "cores": os.cpu_count()}, open(os.path.join(sys.argv[1], "summary.json"), "w"), indent=1)
PY
      $PY tools/gym_eval.py "$dir/checkpoint.h5" --episodes 50 --seed 12345 --out "$dir/gym-12345.csv" > "$dir/gym-12345.txt"
      ;;
    evotorch)
      $PY bench/peers/evotorch_ant.py --minutes "$minutes" --out "$dir" > "$out/$arm.log" 2>&1
      $PY bench/peers/judge.py evotorch "$dir" > "$dir/gym-12345.txt"
      ;;
    sac)
      $PY bench/peers/sac_ant.py --minutes "$minutes" --out "$dir" > "$out/$arm.log" 2>&1
      $PY bench/peers/judge.py sac "$dir" > "$dir/gym-12345.txt"
      ;;
  esac
  grep '^Gymnasium' "$dir/gym-12345.txt"
done
$PY bench/peers/table.py "$out" | tee "$out/table.md"
