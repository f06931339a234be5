# The Python tools run on a small real run: files produced, no exceptions.
source "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
for s in 1 2; do
  np 2 train tests/configs/ant-learn.json --set run.generations=3 --set es.population=8 --set env.max_steps=30 \
    --set run.eval_every=1 --set env.eval_episodes=2 --set run.seed=$s --set run.out_dir="$TMP" --set run.name=s$s > /dev/null
done
check "plot_run on one run" $py tools/plot_run.py "$TMP/s1"
check "fitness.png and weight_norms.png" test -s "$TMP/s1/fitness.png" -a -s "$TMP/s1/weight_norms.png"
rm "$TMP/s1/progress.csv" # the checkpoint's history instead
check "plot_run from the checkpoint alone" $py tools/plot_run.py "$TMP/s1" --out "$TMP/from-h5"
check "plot_run on a glob of seeds" $py tools/plot_run.py "$TMP/s*" --out "$TMP/many"
check "runs.png" test -s "$TMP/many/runs.png"
"$HEBES" eval "$TMP/s2/checkpoint.h5" --episodes 1 --trace "$TMP/t.h5" --trace-weights-every 5 > /dev/null
check "plot_trace" $py tools/plot_trace.py "$TMP/t.h5" --out "$TMP/trace"
check "the weight heatmaps and the episode" test -s "$TMP/trace/t_weights.png" -a -s "$TMP/trace/t_episode.png"
"$HEBES" eval "$TMP/s2/checkpoint.h5" --episodes 3 --out "$TMP/s2/eval.csv" > /dev/null
$py tools/report_figures.py "$TMP/s2" > "$TMP/figures.txt"
check "sensitivity.sh prints three episodes" bash -c "bash tools/sensitivity.sh tests/configs/ant-learn.json --set env.max_steps=20 | grep -c '^[123] ' | grep -qx 3"
check "report_figures reads eval.csv and progress.csv" \
  bash -c "grep -q '3 episodes' '$TMP/figures.txt' && grep -q 'gen    2' '$TMP/figures.txt'"
finish
