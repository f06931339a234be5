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
done
check "the two seeds trained differently" \
  test "$(hashes "$TMP/s/ant-learn-s1/checkpoint.h5")" != "$(hashes "$TMP/s/ant-learn-s2/checkpoint.h5")"
check "the table names both runs and both evaluation seeds" \
  grep -q "| envs/ant.xml | .* ± .* | .* ± .* |" "$TMP/first.log"
# seed 1 again with run.seed 1 by hand gives the same bits
np 2 train "${cfg[@]}" --set run.out_dir="$TMP/h" --set run.name=by-hand --set run.seed=1 > /dev/null
check "seed 1 is run.seed 1" test "$(hashes "$TMP/h/by-hand/checkpoint.h5")" = "$(hashes "$TMP/s/ant-learn-s1/checkpoint.h5")"
# a second call: nothing left to train; raising the generations resumes both
before=$(stat -c %Y "$TMP/s/ant-learn-s1/checkpoint.h5")
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" > "$TMP/again.log" 2>&1
check "run again: no training, no complaint" test "$(grep -c "^seeds.sh: seed\\|expected" "$TMP/again.log")" = 0
check "run again: the checkpoint untouched" test "$before" = "$(stat -c %Y "$TMP/s/ant-learn-s1/checkpoint.h5")"
bash scripts/seeds.sh "${cfg[@]:0:1}" 2 --out "$TMP/s" "${cfg[@]:1}" --set run.generations=3 > "$TMP/more.log" 2>&1
check "raising run.generations resumes both runs" \
  test "$(generation_of "$TMP/s/ant-learn-s1/checkpoint.h5") $(generation_of "$TMP/s/ant-learn-s2/checkpoint.h5")" = "3 3"
set +e
bash scripts/seeds.sh "${cfg[@]:0:1}" two > /dev/null 2> "$TMP/bad.log"
rc=$?
set -e
check "a bad N is refused (exit 2)" test $rc = 2 -a "$(grep -c "N must be a whole number" "$TMP/bad.log")" = 1
finish
