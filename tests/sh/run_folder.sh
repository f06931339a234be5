# One training per run folder (a lock held for the run; a crashed holder's lock is taken over and
# said), a resume cannot relabel a folder, eval --set cannot change what coefficients mean.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set run.generations=100000 --set es.population=8 --set env.max_steps=20
     --set run.checkpoint_every=1000 --set run.out_dir="$TMP")
np 1 train "${cfg[@]}" > "$TMP/first.log" 2>&1 &
first=$!
wait_rows "$TMP/ant-learn/progress.csv" 1
before=$(md5sum < "$TMP/ant-learn/config.json")
set +e
np 1 train tests/configs/ant-learn.json --set run.out_dir="$TMP" --set run.seed=7 --set run.checkpoint_every=1000 \
  > "$TMP/second.log" 2>&1
rc=$?
set -e
check "a second train of the same run.name exits 1 ($rc)" test $rc = 1
check "it says who holds the folder" grep -q "is in use by another hebes train (pid [0-9]*)" "$TMP/second.log"
check "the first run's config.json is untouched" test "$before" = "$(md5sum < "$TMP/ant-learn/config.json")"
pkill -9 -f "run.out_dir=$TMP" || true
wait $first || true
# killed before its first checkpoint: the same run starts afresh and takes the lock over
np 1 train "${cfg[@]}" --set run.generations=3 > "$TMP/again.log" 2>&1
check "after kill -9 the next start takes the lock over and says so" grep -q "did not end cleanly (pid [0-9]*); taking it over" "$TMP/again.log"
check "a clean end leaves the lock file empty" test ! -s "$TMP/ant-learn/.lock"

set +e
np 1 train --resume "$TMP/ant-learn/checkpoint.h5" --set run.name=other --set run.generations=5 > "$TMP/rename.log" 2>&1
rc=$?
"$HEBES" eval "$TMP/ant-learn/checkpoint.h5" --episodes 1 --set es.population=8 > "$TMP/evalset.log" 2>&1
rc2=$?
set -e
check "resume with another run.name is refused ($rc)" bash -c "test $rc = 1 && grep -q \"run.name 'other' differs from the checkpoint's 'ant-learn'\" '$TMP/rename.log'"
check "nothing was written under the other name" test ! -e "$TMP/other"
check "eval --set of a key that changes the coefficients' meaning exits 2 ($rc2)" \
  bash -c "test $rc2 = 2 && grep -q 'changes what the coefficients mean' '$TMP/evalset.log'"
finish
