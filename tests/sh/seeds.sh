# scripts/seeds.sh: one config for several training seeds, each evaluated on two evaluation seeds,
# and the table across seeds; run again, it resumes what is unfinished and redoes nothing else.
source "$(dirname "$0")/lib.sh"
export HEBES HEBES_RANKS=2 HEBES_EVAL_EPISODES=3
cfg=(tests/configs/ant-learn.json --set run.generations=2 --set es.population=8 --set env.max_steps=40)
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" > "$TMP/first.log"
for k in 1 2; do
  check "seed $k: its own run folder, seed and generations" \
    test "$("$HEBES" inspect "$TMP/s/ant-learn-s$k/checkpoint.h5" | sed -n 's/^run *//p')" = "ant-learn-s$k (seed $k, task ant)"
  check "seed $k: evaluated on seeds 12345 and 777" \
    test "$(ls "$TMP/s/ant-learn-s$k" | grep -c '^eval-\(12345\|777\)\.csv$')" = 2
  check "seed $k: per-step speed for both evaluation seeds" \
    test "$(ls "$TMP/s/ant-learn-s$k" | grep -c '^per-step-\(12345\|777\)\.csv$')" = 2
done
check "the two seeds trained differently" \
  test "$(hashes "$TMP/s/ant-learn-s1/checkpoint.h5")" != "$(hashes "$TMP/s/ant-learn-s2/checkpoint.h5")"
check "the table names both runs and both evaluation seeds" \
  grep -q "| envs/ant.xml | .* ± .* | .* ± .* |" "$TMP/first.log"
# two arms in one folder: one table each, never pooled
mkdir -p "$TMP/arms"
cp -r "$TMP/s/ant-learn-s1" "$TMP/arms/a-s1"; cp -r "$TMP/s/ant-learn-s2" "$TMP/arms/a-s2"
cp -r "$TMP/s/ant-learn-s1" "$TMP/arms/b-s1"
/usr/bin/python3 tools/seeds_table.py "$TMP/arms" > "$TMP/arms.log"
check "arms: a table per arm" test "$(grep -c ': a: 2 training runs (a-s1, a-s2)\|: b: 1 training runs (b-s1)' "$TMP/arms.log")" = 2
# --compare: arm c is a with 1000 m added to every episode's distance, so its interval lies far above
# a's; arm d is a copy of a, so theirs overlap; b has one seed, so no interval
for k in 1 2; do
  cp -r "$TMP/arms/a-s$k" "$TMP/arms/d-s$k"; cp -r "$TMP/arms/a-s$k" "$TMP/arms/c-s$k"
  for f in "$TMP/arms/c-s$k"/eval-*.csv; do
    awk -F, 'BEGIN { OFS = "," } NR > 1 { $5 += 1000 } { print }' "$f" > "$f.new" && mv "$f.new" "$f"
  done
done
cmp_row() { # cmp_row A B: the comparison table's "apart" cell of the distance on envs/ant.xml
  /usr/bin/python3 tools/seeds_table.py "$TMP/arms" --compare "$1" "$2" |
    awk -F'|' '/ against / { on = 1 } on && /^\| envs\/ant.xml \|/ { print $5; exit }'
}
check "compare: c ahead of a with the intervals apart" test "$(cmp_row c a)" = " **yes** "
check "compare: a against its copy d: the intervals overlap" test "$(cmp_row a d)" = " no "
check "compare: a against b (one seed): no interval" test "$(cmp_row a b)" = " - (fewer than 2 seeds) "
expect 1 "no arm named e or \*-e to compare (arms: a, b, c, d)" /usr/bin/python3 tools/seeds_table.py "$TMP/arms" --compare a e
rm -r "$TMP"/arms/[cd]-s[12]
# --reach F: episodes reaching F x their own run's mean on the first model, at their own evaluation
# seed. By hand: at 12345 A's mean is 10, so B's 6 and 20 reach 5 (2 of 4); at 777 A's mean is 20,
# so only B's 20 reaches 10 (1 of 4): 3 of 8. One threshold from both seeds (15 -> 7.5) would give 4.
mkdir -p "$TMP/reach/e-s1"
printf 'model,episode,distance\nA,0,10\nA,1,10\nB,0,0\nB,1,4\nB,2,6\nB,3,20\n' > "$TMP/reach/e-s1/eval-12345.csv"
printf 'model,episode,distance\nA,0,20\nA,1,20\nB,0,0\nB,1,4\nB,2,8\nB,3,20\n' > "$TMP/reach/e-s1/eval-777.csv"
reach_cell() { # reach_cell F MODEL: the last cell of MODEL's row
  /usr/bin/python3 tools/seeds_table.py "$TMP/reach" --reach "$1" | awk -F'|' -v m=" $2 " '$2 == m { print $(NF - 1) }'
}
check "reach: each seed against its own standard: 3 of 8" test "$(reach_cell 0.5 B)" = " 3 of 8 (3) "
check "reach: 0 counts the episodes that go forward at all" test "$(reach_cell 0 B)" = " 8 of 8 (8) "
check "reach: no column without --reach" test "$(/usr/bin/python3 tools/seeds_table.py "$TMP/reach" | grep -c 'episodes at')" = 0
expect 1 "seeds_table: --reach -0.5: must be 0 or more" /usr/bin/python3 tools/seeds_table.py "$TMP/reach" --reach -0.5
# the speed tool: two files under one label are summarised as one arm, with an interval
/usr/bin/python3 tools/adaptation.py x="$TMP/s/ant-learn-s1/per-step-12345.csv" x="$TMP/s/ant-learn-s2/per-step-12345.csv" \
  --out "$TMP/speed.png" > "$TMP/speed.log"
check "speed: one summary row for the label, over its 2 files" grep -q "^| x | ant.xml | 2 | " "$TMP/speed.log"
check "speed: the figure written" test -s "$TMP/speed.png"
/usr/bin/python3 tools/adaptation.py "$TMP/s/ant-learn-s1/per-step-12345.csv" --min-speed 1000 --out "$TMP/speed.png" > "$TMP/slow.log"
check "speed: under --min-speed there is no onset step" grep -q "| no walk (< 1000 m/s) |$" "$TMP/slow.log"
for k in 1 2; do
  "$HEBES" eval "$TMP/s/ant-learn-s$k/checkpoint.h5" --episodes 2 --seed 5 --set env.damage_leg=front_left \
    --set env.damage_step=20 --out "$TMP/dmg-$k.csv" > /dev/null
done
/usr/bin/python3 tools/adaptation.py "$TMP/s/ant-learn-s1/per-step-12345.csv" --out "$TMP/speed.png" \
  --episodes x="$TMP/dmg-1.csv" x="$TMP/dmg-2.csv" > "$TMP/dmg.log"
before=$(awk -F, 'NR > 1 { s += $NF } END { printf "%.2f", s / (NR - 1) }' "$TMP/dmg-1.csv")
check "damage: the distance before it is the mean x_at_damage" grep -q "^| x | ant.xml | 2 | $before | " "$TMP/dmg.log"
check "damage: summarised over the label's 2 files" grep -q "^| x | ant.xml | 2 | .* ± .* | .* ± .* |" "$TMP/dmg.log"
# the network fixed after K steps (tools/plastic_table.py): per K, the mean over runs of each run's mean
# over its evaluation seeds, beside the plastic evaluation (K = 0, eval-SEED.csv)
for k in 1 2; do
  for s in 12345 777; do
    "$HEBES" eval "$TMP/s/ant-learn-s$k/checkpoint.h5" --episodes 3 --seed $s --set net.plastic_steps=1 \
      --out "$TMP/s/ant-learn-s$k/plastic-1-$s.csv" > /dev/null
  done
done
/usr/bin/python3 tools/plastic_table.py "$TMP"/s/ant-learn-s[12] > "$TMP/plastic.log"
by_hand() { # by_hand PATTERN: the mean over runs of each run's mean over the seeds' files of mean distance
  for k in 1 2; do
    for s in 12345 777; do awk -F, 'NR > 1 { d += $5; n++ } END { printf "%.17g\n", d / n }' "$TMP/s/ant-learn-s$k/$(printf "$1" $s)"; done |
      awk '{ m += $1 } END { printf "%.17g\n", m / NR }'
  done | awk '{ m += $1 } END { printf "%.2f", m / NR }'
}
fixed=$(by_hand plastic-1-%s.csv) plastic=$(by_hand eval-%s.csv)
check "plastic table: fixed after 1 step, the mean over 2 runs ($fixed)" grep -q "^| 1 | $fixed ± " "$TMP/plastic.log"
check "plastic table: the plastic row from eval-SEED.csv ($plastic)" grep -q "^| 0 (plastic) | $plastic ± .* (100%) |$" "$TMP/plastic.log"
check "plastic table: a fixed network walks otherwise than the plastic one" test "$fixed" != "$plastic"
expect 1 "b-s1: needs eval-SEED.csv and plastic-K-SEED.csv files" \
  /usr/bin/python3 tools/plastic_table.py "$TMP/arms/b-s1"
rm "$TMP"/s/ant-learn-s[12]/plastic-*.csv # the resume checks below count the folder's files
# seed 1 again with run.seed 1 by hand gives the same bits
np 2 train "${cfg[@]}" --set run.out_dir="$TMP/h" --set run.name=by-hand --set run.seed=1 > /dev/null
check "seed 1 is run.seed 1" test "$(hashes "$TMP/h/by-hand/checkpoint.h5")" = "$(hashes "$TMP/s/ant-learn-s1/checkpoint.h5")"
# a second call: nothing left to train; raising the generations resumes both
before=$(stat -c %Y "$TMP/s/ant-learn-s1/checkpoint.h5")
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" > "$TMP/again.log" 2>&1
check "run again: no training, no complaint" test "$(grep -c "^seeds.sh: seed\\|expected" "$TMP/again.log")" = 0
check "run again: the checkpoint untouched" test "$before" = "$(stat -c %Y "$TMP/s/ant-learn-s1/checkpoint.h5")"
echo "a Gymnasium judgement of generation 2" > "$TMP/s/ant-learn-s1/gym-12345.txt" # as results/judge-common.sh writes
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" --set run.generations=3 > "$TMP/more.log" 2>&1
check "raising run.generations resumes both runs" \
  test "$(generation_of "$TMP/s/ant-learn-s1/checkpoint.h5") $(generation_of "$TMP/s/ant-learn-s2/checkpoint.h5")" = "3 3"
check "... keeps generation 2's evaluations under their generation and evaluates generation 3" \
  test "$(ls "$TMP/s/ant-learn-s1" | grep -c '^eval-\(12345\|777\)-gen2\.\(csv\|txt\)$\|^per-step-\(12345\|777\)-gen2\.csv$') $(ls "$TMP/s/ant-learn-s1" | grep -c '^eval-\(12345\|777\)\.\(csv\|txt\)$')" = "6 4"
check "... and a Gymnasium judgement of generation 2 too (no gym-12345.txt left to stand for generation 3)" \
  test "$(cat "$TMP/s/ant-learn-s1/gym-12345-gen2.txt") $(ls "$TMP/s/ant-learn-s1" | grep -c '^gym-12345\.txt$')" = "a Gymnasium judgement of generation 2 0"
expect 2 "keep-judged.sh: usage" bash scripts/keep-judged.sh "$TMP/s/ant-learn-s1" two
check "... and the table reads generation 3's alone" \
  test "$(grep -c 'eval seed 12345 | eval seed 777 | both' "$TMP/more.log") $(grep -c gen2 "$TMP/more.log")" = "1 0"
# An evaluation stopped halfway (its .csv part-written, no .txt) is done again, not taken for done.
head -2 "$TMP/s/ant-learn-s2/eval-777.csv" > "$TMP/part.csv" && mv "$TMP/part.csv" "$TMP/s/ant-learn-s2/eval-777.csv"
rm "$TMP/s/ant-learn-s2/eval-777.txt"
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" --set run.generations=3 > /dev/null 2>&1
check "an evaluation stopped halfway is done again: 3 episodes and its table" \
  test "$(($(wc -l < "$TMP/s/ant-learn-s2/eval-777.csv") - 1)) $(grep -c '^envs/ant.xml' "$TMP/s/ant-learn-s2/eval-777.txt")" = "3 1"
set +e
bash scripts/seeds.sh "${cfg[@]:0:1}" two > /dev/null 2> "$TMP/bad.log"
rc=$?
set -e
check "a bad N is refused (exit 2)" test $rc = 2 -a "$(grep -c "N must be a whole number" "$TMP/bad.log")" = 1
seeds_refuses() { # seeds_refuses CODE PATTERN ARGS...: exit code and message, nothing trained
  local code=$1 pattern=$2; shift 2
  expect "$code" "$pattern" bash scripts/seeds.sh "$@" --out "$TMP/refused"
  check "... and nothing trained" test ! -e "$TMP/refused"
}
seeds_refuses 2 "N must be at least 1" "${cfg[@]:0:1}" 0
seeds_refuses 2 "seeds.sh: --set needs KEY=VALUE" "${cfg[@]:0:1}" 1 --set
seeds_refuses 2 "seeds.sh: --first needs K" "${cfg[@]:0:1}" 1 --first --set
printf '{"run": {"name": "x",}\n' > "$TMP/broken.json"
seeds_refuses 1 "broken.json: not a JSON config" "$TMP/broken.json" 1
check "... without a Python traceback" test "$(grep -c Traceback "$TMP/out")" = 0
seeds_refuses 1 "es.population" "${cfg[@]:0:1}" 1 --set es.population=0
check "... hebes's reason, not a complaint about the missing run folder" test "$(grep -c wall.txt "$TMP/out")" = 0
HEBES_RANKS=two seeds_refuses 2 "HEBES_RANKS must be a whole number" \
  "${cfg[@]:0:1}" 1
# A week-long seeds.sh must not change under an edit (a git checkout, an editor saving in place) while
# it trains: a copy of it in a tree of its own is overwritten in place mid-training, and still
# evaluates and prints the table. Read as it goes (no braces), it stopped after training, exit 0.
mkdir -p "$TMP/tree/scripts"
cp scripts/seeds.sh scripts/env.sh "$TMP/tree/scripts/"
ln -s "$PWD/tools" "$TMP/tree/tools"; ln -s "$PWD/envs" "$TMP/tree/envs"
HEBES_RANKS=1 HEBES_EVAL_EPISODES=2 bash "$TMP/tree/scripts/seeds.sh" "$PWD/${cfg[0]}" 1 --out "$TMP/edited" \
  --set run.generations=20 --set es.population=8 --set env.max_steps=200 > "$TMP/edited.log" 2>&1 &
pid=$!
wait_rows "$TMP/edited/ant-learn-s1/progress.csv" 1
printf '# edited\n' > "$TMP/tree/scripts/seeds.sh"
check "edited mid-training: still training (generation 1 done, 20 to go)" kill -0 $pid
rc=0; wait $pid || rc=$?
check "edited mid-training: the running copy finishes (exit 0), both evaluations and the table" \
  test "$rc $(ls "$TMP/edited/ant-learn-s1" | grep -c '^eval-.*\.csv$') $(grep -c '| envs/ant.xml |' "$TMP/edited.log")" = "0 2 1"
# adaptation.py: a file of another kind is named with the columns it lacks; --out onto an input is refused
ps=$TMP/s/ant-learn-s1/per-step-12345.csv
before=$(sha256sum < "$ps")
rc=0; /usr/bin/python3 tools/adaptation.py tests/configs/ant-learn.json > "$TMP/a.log" 2>&1 || rc=$?
check "adaptation.py names a file that is not a --per-step CSV (exit 1, no traceback)" \
  test $rc = 1 -a "$(grep -c "ant-learn.json: not a hebes eval --per-step file" "$TMP/a.log")" = 1 -a "$(grep -c Traceback "$TMP/a.log")" = 0
rc=0; /usr/bin/python3 tools/adaptation.py "$ps" --out "$ps" > "$TMP/a.log" 2>&1 || rc=$?
check "adaptation.py refuses --out onto its input (exit 2), which stays as it was" \
  test $rc = 2 -a "$(grep -c "is one of the input files" "$TMP/a.log")" = 1 -a "$(sha256sum < "$ps")" = "$before"
finish
