#!/usr/bin/env bash
# The README's first command: install, build, train on the small default config, evaluate the
# final coefficients on 50 held-out episodes, plot.
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
source scripts/env.sh
config=${1:-configs/ant-quick.json}
name="quick-$(date +%Y%m%d-%H%M%S)"
echo "quickstart: mpirun -np $HEBES_CORES build/hebes train $config --set run.name=$name"
mpirun -np "$HEBES_CORES" --bind-to core build/hebes train "$config" --set "run.name=$name"
build/hebes eval "results/$name/checkpoint.h5" --which current --episodes 50 --seed 12345
/usr/bin/python3 tools/plot_run.py "results/$name" && echo "quickstart: plots in results/$name/"
exit
}
