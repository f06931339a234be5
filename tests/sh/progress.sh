# What a person at the terminal sees while a run trains: one short line per generation with the
# time so far and an estimate of what is left; the full line and rank 0's service time behind
# --verbose; progress.csv with the cumulative env steps and wall time, across a resume.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set es.population=8 --set env.max_steps=40 --set run.eval_every=2
     --set "env.eval_models=[\"envs/ant.xml\",\"envs/ant-damaged-left.xml\",\"envs/ant-damaged-right.xml\"]"
     --set env.eval_episodes=2 --set run.out_dir="$TMP")
np 2 train "${cfg[@]}" --set run.generations=4 > "$TMP/short.log"
lines=$(grep '^gen ' "$TMP/short.log")
check "one line per generation, numbered 1/4 .. 4/4" \
  test "$(echo "$lines" | awk '{ print $2 }' | tr '\n' ' ')" = "1/4 2/4 3/4 4/4 "
check "each says the time so far and ETA" test "$(echo "$lines" | grep -c ' ETA ')" = 4
check "evaluation generations show the held-out means" test "$(echo "$lines" | grep -c '  eval [-0-9.]* [-0-9.]* [-0-9.]*  ')" = 2
check "lines fit 100 characters, even with three evaluation models" \
  test "$(echo "$lines" | awk '{ if (length($0) > m) m = length($0) } END { print (m <= 100) }')" = 1
check "no developer figures by default" test "$(grep -c 'answered\|steps/s  ' "$TMP/short.log")" = 0
np 2 train --resume "$TMP/ant-learn/checkpoint.h5" --set run.generations=6 --verbose > "$TMP/verbose.log"
check "--verbose: the full line" grep -q "^gen     5  mean .* lr .* sigma .* steps/s" "$TMP/verbose.log"
check "--verbose: rank 0's service time" grep -q "^rank 0 answered" "$TMP/verbose.log"
check "progress.csv: cumulative steps and seconds over both sessions" /usr/bin/python3 - "$TMP/ant-learn/progress.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 6, len(rows)
steps = secs = 0
for r in rows:
    steps += int(r["steps"])
    secs += float(r["seconds"])
    assert int(r["total_steps"]) == steps, (r["total_steps"], steps)
    assert abs(float(r["total_seconds"]) - secs) < 2e-3 * len(rows), (r["total_seconds"], secs)
PY
# run.max_env_steps: the run stops after the generation that spends the budget, says so, and a
# resume with a larger budget trains on from there
np 2 train "${cfg[@]}" --set run.name=budget --set run.generations=50 --set run.max_env_steps=1000 > "$TMP/budget.log"
check "a budget of 1000 env steps: stopped by it, said so" grep -q "^hebes train: finished (run.max_env_steps spent)" "$TMP/budget.log"
check "it stops at the first generation whose total reaches 1000" /usr/bin/python3 - "$TMP/budget/progress.csv" 1000 <<'PY'
import csv, sys
rows, b = list(csv.DictReader(open(sys.argv[1]))), int(sys.argv[2])
t = [int(r["total_steps"]) for r in rows]
assert t[-1] >= b and all(x < b for x in t[:-1]) and len(rows) < 50, t
PY
"$HEBES" train --auto-resume "${cfg[@]}" --set run.name=budget --set run.generations=50 --set run.max_env_steps=1000 \
  > "$TMP/budget2.log"
check "an auto-resume with the budget spent has nothing to do" grep -q "has spent its env-step budget" "$TMP/budget2.log"
np 2 train --resume "$TMP/budget/checkpoint.h5" --set run.max_env_steps=2000 > /dev/null
check "a larger budget on resume trains on to it" /usr/bin/python3 - "$TMP/budget/progress.csv" 2000 <<'PY'
import csv, sys
rows, b = list(csv.DictReader(open(sys.argv[1]))), int(sys.argv[2])
t = [int(r["total_steps"]) for r in rows]
assert t[-1] >= b and all(x < b for x in t[:-1]), t
PY
finish
