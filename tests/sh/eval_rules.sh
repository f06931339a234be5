# hebes eval --rules ant-v5 (Gymnasium Ant-v5's reward and termination over any training config),
# the reward terms of --out, --per-step, and the damage keys that eval may set.
source "$(dirname "$0")/lib.sh"
np 1 train tests/configs/ant-learn.json --set run.generations=1 --set es.population=4 --set env.max_steps=50 \
  --set env.fitness=distance --set env.healthy_z_max=1e6 --set run.out_dir="$TMP" --set run.name=r > /dev/null
ck="$TMP/r/checkpoint.h5"
"$HEBES" eval "$ck" --episodes 3 --rules ant-v5 --out "$TMP/v5.csv" --per-step "$TMP/ps.csv" > "$TMP/v5.txt"
check "the table says the rules" grep -q "Gymnasium Ant-v5's rules (mean = Ant-v5 return)" "$TMP/v5.txt"
check "--out carries the reward terms" \
  grep -q '^model,episode,episode_seed,fitness,distance,steps,end,forward,healthy,control_cost,contact_cost,x_at_damage$' \
  "$TMP/v5.csv"
# each return is its terms added up, and the episodes run to Ant-v5's 1000 steps or end unhealthy
check "return = forward + healthy - control - contact, episodes of Ant-v5's length" /usr/bin/python3 - "$TMP/v5.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 3, rows
for r in rows:
    f = float(r["forward"]) + float(r["healthy"]) - float(r["control_cost"]) - float(r["contact_cost"])
    assert abs(f - float(r["fitness"])) < 1e-9 * max(1, abs(f)), (f, r["fitness"])
    assert float(r["forward"]) == float(r["forward"]) and float(r["contact_cost"]) > 0
    assert (r["end"] == "time_limit") == (r["steps"] == "1000"), r
    assert r["end"] in ("time_limit", "unhealthy_low", "unhealthy_high"), r
    assert r["x_at_damage"] == ""
PY
mean=$(awk '$1 == "envs/ant.xml" { print $2 }' "$TMP/v5.txt")
check "the table's mean is the mean return of the rows" /usr/bin/python3 -c "
import csv, sys
rows = list(csv.DictReader(open('$TMP/v5.csv')))
m = sum(float(r['fitness']) for r in rows) / len(rows)
sys.exit(abs(m - $mean) > 5e-4)"
# Ant-v5's 1000 steps give way to an episode length asked for on the command line
"$HEBES" eval "$ck" --episodes 2 --rules ant-v5 --set env.eval_max_steps=30 --out "$TMP/v5short.csv" > /dev/null
check "--rules ant-v5 with --set env.eval_max_steps=30: 30-step episodes" \
  test "$(sed 1d "$TMP/v5short.csv" | cut -d, -f6 | sort -u)" = 30
# without the rules the same checkpoint is judged by its own config: distance fitness, 50 steps
"$HEBES" eval "$ck" --episodes 3 --out "$TMP/own.csv" > /dev/null
check "without --rules, the training config's episode" test "$(sed 1d "$TMP/own.csv" | cut -d, -f6 | sort -u)" = 50
check "--per-step: one row per step taken, 3 episodes at step 1" /usr/bin/python3 - "$TMP/ps.csv" "$TMP/v5.csv" <<'PY'
import csv, sys
ps = list(csv.DictReader(open(sys.argv[1])))
eps = list(csv.DictReader(open(sys.argv[2])))
assert int(ps[0]["step"]) == 1 and int(ps[0]["episodes"]) == 3, ps[0]
assert len(ps) == max(int(r["steps"]) for r in eps), len(ps)
assert all(0.1 < float(r["z_mean"]) < 2 for r in ps)
# the mean velocity integrates to the mean distance while every episode runs
if all(int(r["steps"]) == len(ps) for r in eps):
    d = sum(float(r["vx_mean"]) for r in ps) * 0.05
    m = sum(float(r["distance"]) for r in eps) / len(eps)
    assert abs(d - m) < 1e-6, (d, m)
PY
# damage keys: eval may set them; keys that change the coefficients' meaning stay refused
"$HEBES" eval "$ck" --episodes 2 --set env.damage_leg=front_left --set env.damage_step=10 --set env.damage_gear=0 \
  --out "$TMP/dmg.csv" > "$TMP/dmg.txt"
check "eval with damage says so" grep -q "damage: the front_left leg's motors give 0 of their torque from step 10 on" \
  "$TMP/dmg.txt"
check "x_at_damage is filled" test "$(cut -d, -f12 "$TMP/dmg.csv" | sed -n 2p)" != ""
set +e
"$HEBES" eval "$ck" --set es.sigma=1 > /dev/null 2> "$TMP/refused.txt"
rc1=$?
"$HEBES" eval "$ck" --rules ant-v4 > /dev/null 2> "$TMP/rules.txt"
rc2=$?
set -e
check "eval refuses es.sigma (exit 2)" test $rc1 = 2
check "--rules takes v5 or ant-v5 only (exit 2, says what it takes)" test $rc2 = 2 -a "$(grep -c "takes v5 or ant-v5" "$TMP/rules.txt")" = 1
# a model path with a comma and a quote stays one CSV field
odd="$TMP/odd,\"name.xml"
cp envs/ant.xml "$odd"
"$HEBES" eval "$ck" --episodes 1 --model "$odd" --out "$TMP/odd.csv" > /dev/null
check "eval.csv quotes the model path (RFC 4180)" /usr/bin/python3 -c "
import csv, sys
r = list(csv.DictReader(open('$TMP/odd.csv')))
sys.exit(r[0]['model'] != sys.argv[1] or r[0]['steps'] != '50')" "$odd"
"$HEBES" rollout --ckpt "$ck" --rules ant-v5 > "$TMP/roll.txt"
check "rollout --rules ant-v5 prints the reward terms" grep -q "^reward terms: forward" "$TMP/roll.txt"
# another body (the committed Hopper, on the venv's Gymnasium model): the table names its v5
# environment, and its one leg can be damaged; a leg it does not have is refused, naming its legs
hop=results/bodies/hopper-static-s1/checkpoint.h5
"$HEBES" eval "$hop" --episodes 1 --rules v5 --set env.damage_leg=single --set env.damage_step=5 > "$TMP/hop.txt"
check "a Hopper's table names Hopper-v5's rules" grep -q "Gymnasium Hopper-v5's rules (mean = Hopper-v5 return)" "$TMP/hop.txt"
check "the Hopper's leg damaged" grep -q "damage: the single leg's motors give 0 of their torque from step 5 on" "$TMP/hop.txt"
set +e
"$HEBES" eval "$hop" --episodes 1 --set env.damage_leg=front_left > /dev/null 2> "$TMP/hopleg.txt"
rc3=$?
set -e
check "a leg the Hopper lacks: exit 1, its legs named" \
  test $rc3 = 1 -a "$(grep -c "env.damage_leg front_left is not a leg of the hopper (its legs: single)" "$TMP/hopleg.txt")" = 1
finish
