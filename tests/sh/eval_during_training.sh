# run.eval_every: held-out evaluation rows in progress.csv that equal `hebes eval` of the same
# coefficients, are the same for any rank count and across a resume, and leave training unchanged;
# `hebes eval --out` writes one row per episode.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set es.population=12 --set env.max_steps=60 --set env.eval_episodes=3
     --set 'env.eval_models=["envs/ant.xml","envs/ant-damaged-right.xml"]' --set run.out_dir="$TMP")
ev=(--set run.eval_every=2 --set run.eval_seed=5)
np 1 train "${cfg[@]}" "${ev[@]}" --set run.generations=5 --set run.name=np1 > "$TMP/np1.log"
np 3 train "${cfg[@]}" "${ev[@]}" --set run.generations=5 --set run.name=np3 > /dev/null
np 2 train "${cfg[@]}" --set run.generations=5 --set run.name=noeval > /dev/null
np 2 train "${cfg[@]}" "${ev[@]}" --set run.generations=3 --set run.name=split > /dev/null
np 2 train --resume "$TMP/split/checkpoint.h5" --set run.generations=5 > /dev/null
np 1 train "${cfg[@]}" --set run.generations=4 --set run.name=gen4 > /dev/null
np 2 train "${cfg[@]}" "${ev[@]}" --set env.eval_max_steps=150 --set run.generations=5 --set run.name=long > /dev/null
csv="$TMP/np1/progress.csv"

col() { # col CSV NAME: that column, one value a line
  awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$1"
}
# every column but wall time, which no two runs share
stable() { awk -F, 'BEGIN { OFS = "," } { $10 = ""; $11 = ""; $15 = ""; print }' "$1"; } # blanks the timing columns

check "header has the evaluation columns" \
  grep -q "eval,eval_steps,eval_time_limit,eval_unhealthy_low,eval_unhealthy_high,eval_early_stop,eval_diverged,eval_mean_m0,eval_std_m0,eval_distance_m0,eval_mean_m1" "$csv"
check "generations 0, 2, 4 evaluated, 1 and 3 not" test "$(col "$csv" eval | tr '\n' ' ')" = "1 0 1 0 1 "
check "rows that did not evaluate leave the columns empty" test "$(col "$csv" eval_mean_m1 | sed -n 2p)" = ""
ends_ok=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["eval"] == 1 { s = $h["eval_time_limit"] + $h["eval_unhealthy_low"] + $h["eval_unhealthy_high"]
                    s += $h["eval_early_stop"] + $h["eval_diverged"]; if (s != 6) bad = 1 }
  END { print bad ? "no" : "yes" }' "$csv")
check "end counts add up to 2 models x 3 episodes" test "$ends_ok" = yes
check "the log prints the evaluation" grep -q "^gen .*  eval [-0-9.]* [-0-9.]*  " "$TMP/np1.log"
check "-np 3 gives the same rows as -np 1" test "$(stable "$csv")" = "$(stable "$TMP/np3/progress.csv")"
check "resumed run gives the same rows" test "$(stable "$csv")" = "$(stable "$TMP/split/progress.csv")"
check "evaluation does not change training" \
  test "$(hashes "$TMP/np1/checkpoint.h5")" = "$(hashes "$TMP/noeval/checkpoint.h5")"

# The row of generation 4 evaluated the coefficients a 4-generation run ends with: hebes eval of
# that checkpoint with the same seed plays the same episodes.
"$HEBES" eval "$TMP/gen4/checkpoint.h5" --seed 5 --episodes 3 --model envs/ant.xml \
  --model envs/ant-damaged-right.xml --out "$TMP/episodes.csv" > "$TMP/eval.log"
check "--out has a header and one row per episode" test "$(wc -l < "$TMP/episodes.csv")" = 7
check "--out names how each episode ended" \
  test "$(awk -F, 'NR > 1 && $7 !~ /^(time_limit|unhealthy_low|unhealthy_high|early_stop|diverged)$/' "$TMP/episodes.csv")" = ""
check "eval prints end-reason counts" grep -q "ends: time_limit unhealthy_low unhealthy_high early_stop diverged" "$TMP/eval.log"
for m in 0 1; do
  from_eval=$(awk -F, -v m=$m 'NR > 1 && int((NR - 2) / 3) == m { s += $4 } END { printf "%.9f", s / 3 }' "$TMP/episodes.csv")
  from_csv=$(col "$csv" "eval_mean_m$m" | sed -n 5p)
  check "model $m: progress.csv's evaluation equals hebes eval ($from_csv vs $from_eval)" \
    awk -v a="$from_csv" -v b="$from_eval" 'BEGIN { d = a - b; exit !(d < 1e-8 && d > -1e-8) }'
done

# env.eval_max_steps: held-out episodes run longer than training's, training is unchanged, and
# hebes eval --set env.eval_max_steps plays the same longer episodes.
check "env.eval_max_steps does not change training" \
  test "$(hashes "$TMP/long/checkpoint.h5")" = "$(hashes "$TMP/noeval/checkpoint.h5")"
longest=$(col "$TMP/long/progress.csv" eval_steps | sort -g | tail -n 1)
check "held-out episodes run past training's 60 steps (mean length $longest)" \
  awk -v s="$longest" 'BEGIN { exit !(s > 60 && s <= 150) }'
"$HEBES" eval "$TMP/gen4/checkpoint.h5" --seed 5 --episodes 3 --model envs/ant.xml \
  --model envs/ant-damaged-right.xml --set env.eval_max_steps=150 --out "$TMP/long.csv" > /dev/null
from_eval=$(awk -F, 'NR > 1 && NR <= 4 { s += $4 } END { printf "%.9f", s / 3 }' "$TMP/long.csv")
from_csv=$(col "$TMP/long/progress.csv" eval_mean_m0 | sed -n 5p)
check "hebes eval --set env.eval_max_steps=150 equals the run's row ($from_csv vs $from_eval)" \
  awk -v a="$from_csv" -v b="$from_eval" 'BEGIN { d = a - b; exit !(d < 1e-8 && d > -1e-8) }'
check "no episode of eval --set env.eval_max_steps=150 is longer" \
  test "$(awk -F, 'NR > 1 && $6 > 150' "$TMP/long.csv")" = ""
# tools/heldout_curve.py: these rows across runs. Two runs of one arm (x-s1, x-s2: 60- and 150-step
# held-out episodes, so their distances on the damaged body differ) give per generation the mean of
# the two rows' distances with an interval; a run of another name is an arm of its own; a run that
# never evaluated is refused.
mkdir -p "$TMP/curve"
cp -r "$TMP/np1" "$TMP/curve/x-s1"; cp -r "$TMP/long" "$TMP/curve/x-s2"; cp -r "$TMP/np3" "$TMP/curve/y-s1"
/usr/bin/python3 tools/heldout_curve.py "$TMP"/curve/x-s[12] "$TMP/curve/y-s1" --out "$TMP/curve.png" > "$TMP/curve.log"
for m in 0 1; do # col's 5th value is generation 4's (0 is the first)
  want=$(awk -v a="$(col "$TMP/np1/progress.csv" eval_distance_m$m | sed -n 5p)" \
    -v b="$(col "$TMP/long/progress.csv" eval_distance_m$m | sed -n 5p)" 'BEGIN { printf "%.2f", (a + b) / 2 }')
  got=$(awk -F' [|] ' '$1 == "| 4" { print $(4 + '$m') }' "$TMP/curve.log" | head -n 1)
  check "heldout_curve: model $m at generation 4 is the mean of the two runs' rows ($want; printed '$got')" \
    test "${got% ± *}" = "$want" -a "${got#* ± }" != "$got"
done
check "heldout_curve: arm x has its 2 runs, arm y its own table" \
  test "$(grep -c '^x: 2 runs (x-s1, x-s2)\|^y: 1 runs (y-s1)' "$TMP/curve.log")" = 2
check "heldout_curve: generations 0, 2, 4 in each table" test "$(grep -c '^| [024] | ' "$TMP/curve.log")" = 6
check "heldout_curve: the figure written" test -s "$TMP/curve.png"
expect 1 "noeval/progress.csv: no evaluations during training" /usr/bin/python3 tools/heldout_curve.py "$TMP/noeval"
expect 1 "heldout_curve: $TMP/none: not a run folder" /usr/bin/python3 tools/heldout_curve.py "$TMP/none"
check "... without a Python traceback" test "$(grep -c Traceback "$TMP/out")" = 0
cp -r "$TMP/np3" "$TMP/curve/z-s1"; cp -r "$TMP/np3" "$TMP/curve/z-s2"
sed -i 's/ant-damaged-right\.xml/ant-damaged-left.xml/' "$TMP/curve/z-s2/config.json"
expect 1 "z-s2: evaluated on .*ant-damaged-left.xml.*, the other runs of arm z on" \
  /usr/bin/python3 tools/heldout_curve.py "$TMP"/curve/z-s[12]
finish
