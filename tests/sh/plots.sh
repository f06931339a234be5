# The Python tools run on a small real run: files produced, no exceptions.
source "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
for s in 1 2; do
  np 2 train tests/configs/ant-learn.json --set run.generations=3 --set es.population=8 --set env.max_steps=30 \
    --set run.eval_every=1 --set env.eval_episodes=2 --set run.seed=$s --set run.out_dir="$TMP" --set run.name=s$s > /dev/null
done
"$HEBES" eval "$TMP/s1/checkpoint.h5" --episodes 4 --seed 9 --out "$TMP/s1/eval-9.csv" > "$TMP/s1/eval.txt"
$py tools/plot_run.py "$TMP/s1" > "$TMP/p1.txt"
check "fitness.png and weight_norms.png" test -s "$TMP/s1/fitness.png" -a -s "$TMP/s1/weight_norms.png"
# what the figure holds: 3 generations, three evaluations and the headline of eval-9.csv, whose
# mean and (n - 1) std are the ones hebes eval printed
head=$(awk '$1 == "envs/ant.xml" { printf "final ant.xml %.3f ± %.3f over 4 episodes", $2, $3 }' "$TMP/s1/eval.txt")
check "plot_run says what fitness.png holds" \
  grep -q "holds 3 generations on x = generations; .*held-out eval of ant.xml at 3 points, .*; $head" "$TMP/p1.txt"
check "fitness.png is a 800 x 450 picture" \
  test "$($py -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24]))' "$TMP/s1/fitness.png")" = "800 450"
check "--x steps and --x time" bash -c "$py tools/plot_run.py '$TMP/s1' --x steps --out '$TMP/xs' | grep -q 'x = steps' &&
  $py tools/plot_run.py '$TMP/s1' --x time --out '$TMP/xt' | grep -q 'x = time'"
# a quadratic run is labelled as one, not as the Ant
np 1 train configs/quadratic.json --set run.generations=3 --set run.out_dir="$TMP" --set run.name=q > /dev/null
$py tools/plot_run.py "$TMP/q" "$TMP/q" --out "$TMP/qq" > "$TMP/qq.txt"
check "runs that never evaluated are drawn as population means, not as an Ant's evaluation" \
  grep -q "holds panel 1: population mean fitness, 1 curve(s)" "$TMP/qq.txt"
check "a quadratic run is not labelled with the Ant" $py -c "
import sys
sys.path.insert(0, 'tools')
import plot_run
cfg = plot_run.config(sys.argv[1])
assert plot_run.fitness_label(cfg).startswith('fitness -|x - t|^2'), plot_run.fitness_label(cfg)" "$TMP/q"
check "the attractor figure" bash -c "'$HEBES' attractor configs/attractor-sequence.json --set attractor.iterations=300 \
  --out '$TMP/a.h5' > /dev/null && $py tools/plot_attractor.py '$TMP/a.h5' --out '$TMP/a.png' | grep -q 'wrote' && test -s '$TMP/a.png'"
rm "$TMP/s1/progress.csv" # the checkpoint's history instead
check "plot_run from the checkpoint alone" $py tools/plot_run.py "$TMP/s1" --out "$TMP/from-h5"
check "plot_run on a glob of seeds" $py tools/plot_run.py "$TMP/s*" --out "$TMP/many"
check "runs.png" test -s "$TMP/many/runs.png"
# Seeds whose env steps differ (an episode that ends early) are still matched generation by
# generation on --x steps: s2's copy has one step more per generation than s1.
cp -r "$TMP/s2" "$TMP/s3"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_steps") c = i; print; next } { $c += NR - 1; print }' \
  "$TMP/s2/progress.csv" > "$TMP/s3/progress.csv"
check "seeds with their own env steps: one curve of 3 generations on --x steps" \
  bash -c "$py tools/plot_run.py '$TMP/s3' '$TMP/s1' --x steps --out '$TMP/apart' | grep -q 'the mean of 2 seeds at 3 generations'"
"$HEBES" eval "$TMP/s2/checkpoint.h5" --episodes 1 --trace "$TMP/t.h5" --trace-weights-every 5 > /dev/null
check "plot_trace" $py tools/plot_trace.py "$TMP/t.h5" --out "$TMP/trace"
check "the weight heatmaps and the episode" test -s "$TMP/trace/t_weights.png" -a -s "$TMP/trace/t_episode.png"
"$HEBES" eval "$TMP/s2/checkpoint.h5" --episodes 3 --out "$TMP/s2/eval.csv" > /dev/null
$py tools/report_figures.py "$TMP/s2" > "$TMP/figures.txt"
check "sensitivity.sh prints three episodes" bash -c "bash tools/sensitivity.sh tests/configs/ant-learn.json --set env.max_steps=20 | grep -c '^[123] ' | grep -qx 3"
check "report_figures reads eval.csv and progress.csv" \
  bash -c "grep -q '3 episodes' '$TMP/figures.txt' && grep -q 'gen    2' '$TMP/figures.txt'"
finish
