# Checkpoints hold their run's model files: eval, rollout and resume work from a folder without
# them, or with a changed copy (with a note), and give the same numbers and bits; a damaged copy is
# refused by name. train --init-from starts a new run from another run's coefficients.
source "$(dirname "$0")/lib.sh"
cfg=(tests/configs/ant-learn.json --set es.population=12 --set env.max_steps=60 --set run.out_dir="$TMP"
     --set 'env.eval_models=["envs/ant.xml","envs/ant-damaged-right.xml"]')
np 2 train "${cfg[@]}" --set run.generations=2 --set run.name=src > /dev/null
np 2 train "${cfg[@]}" --set run.generations=4 --set run.name=straight > /dev/null
ck=$TMP/src/checkpoint.h5
"$HEBES" eval "$ck" --episodes 3 --seed 4 > "$TMP/home.txt"

mkdir -p "$TMP/away/envs"
(cd "$TMP/away" && "$HEBES" eval "$ck" --episodes 3 --seed 4 > "$TMP/away.txt" 2> "$TMP/away.err")
check "eval without the model files: same table" test "$(grep envs/ "$TMP/home.txt")" = "$(grep envs/ "$TMP/away.txt")"
check "eval without the model files: says it used the stored copy" \
  grep -q "envs/ant.xml not found; using the copy stored in the checkpoint" "$TMP/away.err"
sed 's/gear="150"/gear="60"/' envs/ant.xml > "$TMP/away/envs/ant.xml"
(cd "$TMP/away" && "$HEBES" eval "$ck" --episodes 3 --seed 4 > "$TMP/changed.txt" 2> "$TMP/changed.err")
check "eval with a changed model file: the run's model, same table" \
  test "$(grep envs/ "$TMP/home.txt")" = "$(grep envs/ "$TMP/changed.txt")"
check "eval with a changed model file: says so" grep -q "envs/ant.xml differs from the run's model" "$TMP/changed.err"
(cd "$TMP/away" && "$HEBES" rollout --ckpt "$ck" --episode-seed 2 > "$TMP/roll-away.txt" 2> /dev/null)
"$HEBES" rollout --ckpt "$ck" --episode-seed 2 > "$TMP/roll-home.txt"
check "rollout without the model files: same episode" \
  test "$(grep -v '^checkpoint' "$TMP/roll-home.txt")" = "$(grep -v '^checkpoint' "$TMP/roll-away.txt")"
rm "$TMP/away/envs/ant.xml"
cp -r "$TMP/src" "$TMP/resumed"
(cd "$TMP/away" && mpirun -np 2 --oversubscribe "$HEBES" train --resume "$TMP/resumed/checkpoint.h5" \
  --set run.generations=4 > /dev/null 2>&1)
check "resume without the model files gives the bits of a straight run" \
  test "$(hashes "$TMP/resumed/checkpoint.h5")" = "$(hashes "$TMP/straight/checkpoint.h5")"

cp "$ck" "$TMP/damaged.h5"
/usr/bin/python3 - "$TMP/damaged.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    d = f["models/0"]
    attrs = dict(d.attrs)
    text = d[()].decode().replace("torso", "torsO", 1)
    del f["models/0"]
    f["models/0"] = text.encode()
    for k, v in attrs.items():
        f["models/0"].attrs[k] = v
PY
rc=0
"$HEBES" eval "$TMP/damaged.h5" --episodes 1 > /dev/null 2> "$TMP/damaged.err" || rc=$?
check "a damaged stored model is refused (exit 1)" test $rc = 1
check "by name" grep -q "/models/0 is damaged" "$TMP/damaged.err"

# A model that <include>s another file still loads from its text (hebes reads every model file
# into memory and parses that copy): the include is found next to the model on disk.
mkdir -p "$TMP/inc"
/usr/bin/python3 - "$TMP/inc" <<'PY'
import sys
s = open("envs/ant.xml").read()
a, b = s.index("<actuator>"), s.index("</actuator>") + len("</actuator>")
open(sys.argv[1] + "/actuators.xml", "w").write("<mujoco>" + s[a:b] + "</mujoco>")
open(sys.argv[1] + "/ant.xml", "w").write(s[:a] + '<include file="actuators.xml"/>' + s[b:])
PY
"$HEBES" rollout tests/configs/ant-learn.json --model "$TMP/inc/ant.xml" --episode-seed 2 > "$TMP/inc.txt" 2>&1 || true
"$HEBES" rollout tests/configs/ant-learn.json --episode-seed 2 > "$TMP/whole.txt"
check "a model with an <include> loads, and is the same model" \
  test "$(grep -v '^model' "$TMP/inc.txt")" = "$(grep -v '^model' "$TMP/whole.txt")"

# The engine: hebes --version names the MuJoCo it loads (the libmujoco.so.X.Y.Z the loader resolves:
# the venv's wheel for the release build, Debian's for ASan), every checkpoint keeps it, and a resume
# on another engine goes on but says it cannot repeat the run's bits.
engine=$(engine_of_hebes)
loaded=$(ldd "$HEBES" | sed -n 's/^[[:space:]]*libmujoco\.so\.\([0-9.]*\) =>.*/\1/p')
check "--version names the MuJoCo the binary loads ('$engine', ldd: '$loaded')" test -n "$engine" -a "$engine" = "$loaded"
check "inspect names the engine a checkpoint was written on" \
  test "$("$HEBES" inspect "$ck" | grep '^engine')" = "engine       MuJoCo $engine"
check "a checkpoint from before it was kept: not recorded" \
  test "$("$HEBES" inspect tests/data/checkpoint-v4-ant.h5 | grep '^engine')" = \
  "engine       not recorded (written before hebes kept it)"
cp -r "$TMP/src" "$TMP/moved"
/usr/bin/python3 - "$TMP/moved/checkpoint.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["mujoco_version"] = np.bytes_("0.0.1")  # fixed length, as hebes writes it
PY
np 2 train --resume "$TMP/moved/checkpoint.h5" --set run.generations=3 > /dev/null 2> "$TMP/moved.err"
check "resume on another engine: says so" grep -q \
  "checkpoint.h5 was written on MuJoCo 0.0.1, this hebes runs MuJoCo $engine: the run goes on" "$TMP/moved.err"
check "and goes on, its checkpoint now naming this engine" test "$("$HEBES" inspect "$TMP/moved/checkpoint.h5" |
  grep -E '^engine|^generation +[0-9]' | tr -s ' ' | tr '\n' ,)" = "engine MuJoCo $engine,generation 3 of 3,"

# --init-from: generation 0 of the new run evaluates exactly the source's coefficients.
np 2 train "${cfg[@]}" --set es.sigma=0.02 --set run.generations=1 --set run.eval_every=1 --set run.eval_seed=4 \
  --set env.eval_episodes=3 --set run.name=warm --init-from "$ck" > "$TMP/warm.log"
check "init-from says where it starts" grep -q "starting from $ck, current coefficients (generation 2)" "$TMP/warm.log"
first=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "eval_mean_m0") c = i; next } NR == 2 { print $c }' \
  "$TMP/warm/progress.csv")
home=$(awk '$1 == "envs/ant.xml" { print $2 }' "$TMP/home.txt")
check "init-from: the new run starts at the source's coefficients ($first vs $home)" \
  awk -v a="$first" -v b="$home" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }'
check "inspect shows the origin" sh -c "'$HEBES' inspect '$TMP/warm/checkpoint.h5' | grep -q 'started from $ck'"
rc=0
np 1 train "${cfg[@]}" --set 'net.hidden=[8]' --set run.name=other --init-from "$ck" > /dev/null 2> "$TMP/other.err" ||
  rc=$?
check "init-from another network: exit 1" test $rc = 1
check "init-from another network: explained" grep -q "its network (ABCD_lr, 2800 parameters) is not this config's" \
  "$TMP/other.err"
check "and nothing was written" test ! -e "$TMP/other/checkpoint.h5"
rc=0
"$HEBES" train --resume "$ck" --init-from "$ck" > /dev/null 2> "$TMP/both.err" || rc=$?
check "--init-from with --resume is a bad command line (exit 2)" test $rc = 2
finish
