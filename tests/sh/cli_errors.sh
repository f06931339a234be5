# Bad input gives a clear message and a non-zero exit, writes nothing; the commands work on good input.
source "$(dirname "$0")/lib.sh"
out="$TMP/results"
expect 2 "usage: hebes COMMAND" "$HEBES"
expect 0 "usage: hebes COMMAND" "$HEBES" --help
expect 2 "unknown command 'trian'" "$HEBES" trian
expect 0 "auto-resume" "$HEBES" train --help
expect 0 "--trace" "$HEBES" eval --help
expect 0 "--es" "$HEBES" bench --help
expect 0 "--episode-seed" "$HEBES" rollout --help

printf '{"es": {"populaton": 10}, "run": {"out_dir": "%s"}}' "$out" > "$TMP/typo.json"
expect 1 "$TMP/typo.json: es.populaton: unknown key" np 1 train "$TMP/typo.json"
printf '{"env": {"models": ["envs/nope.xml"]}, "run": {"out_dir": "%s"}}' "$out" > "$TMP/model.json"
expect 1 "env.models: model file 'envs/nope.xml' cannot be read" np 1 train "$TMP/model.json"
# a config whose model sits next to it works from another working folder
mkdir -p "$TMP/kit" "$TMP/cwd"
cp envs/ant.xml "$TMP/kit/my-ant.xml"
printf '{"run": {"generations": 1, "out_dir": "%s"}, "env": {"models": ["my-ant.xml"], "eval_models": ["my-ant.xml"], "max_steps": 5}, "es": {"population": 4}, "net": {"hidden": [4]}}' "$TMP/kitruns" > "$TMP/kit/kit.json"
expect 0 "finished" bash -c "cd '$TMP/cwd' && mpirun -np 1 '$HEBES' train '$TMP/kit/kit.json'"
check "the stored config names the model it found" grep -q "$TMP/kit/my-ant.xml" "$TMP/kitruns/hebes/config.json"
# a checkpoint where a config belongs, and the other way round: said so, not "a NUL byte" or "corrupt"
expect 1 "checkpoint-v4-ant.h5: an HDF5 file (a checkpoint or a trace?), not a JSON config: resume a checkpoint" \
  np 1 train tests/data/checkpoint-v4-ant.h5 --set run.out_dir="$out"
expect 1 "ant-quick.json: a JSON file (a config?), not a checkpoint" "$HEBES" eval configs/ant-quick.json
# single-process commands under mpirun -np 2: refused once, nothing written twice
set +e
np 2 eval tests/data/checkpoint-v4-ant.h5 --episodes 1 --out "$TMP/twice.csv" > "$TMP/twice.log" 2>&1
rc=$?
set -e
check "mpirun -np 2 hebes eval: refused (exit 2), said once" \
  test $rc = 2 -a "$(grep -c "hebes eval runs in one process" "$TMP/twice.log")" = 1
check "and no CSV written" test ! -e "$TMP/twice.csv"
# every candidate of a generation diverges (Oja's rule with a huge rate): a clear stop with exit 1,
# not a run that logs a mean of 0; the checkpoint keeps the last good generation
expect 1 "generation 0: every one of the 8 candidates diverged" np 2 train tests/configs/ant-learn.json \
  --set net.rule=oja --set net.eta=1e6 --set net.coevolve_init=true --set es.population=8 --set env.max_steps=30 \
  --set run.out_dir="$TMP/div" --set run.name=d
check "the diverged run's checkpoint keeps generation 0" test "$(generation_of "$TMP/div/d/checkpoint.h5")" = 0
check "and progress.csv logged no generation" test "$(wc -l < "$TMP/div/d/progress.csv")" = 1
# an empty model file (a failed copy, a full disk) and a folder: named, exit 1, never MuJoCo's "Press Enter"
: > "$TMP/empty.xml"
expect 1 "empty.xml: model file cannot be read: empty" timeout 60 mpirun -np 1 "$HEBES" train configs/ant-quick.json \
  --set "env.models=[\"$TMP/empty.xml\"]" --set run.out_dir="$out"
check "no prompt for Enter" test "$(grep -c "Press Enter" "$TMP/out")" = 0
expect 1 "envs: model file cannot be read: a folder, not a model file" timeout 60 mpirun -np 1 "$HEBES" train \
  configs/ant-quick.json --set 'env.models=["envs"]' --set run.out_dir="$out"
check "nothing was written for them" test ! -e "$out/ant-quick"
expect 1 "empty.xml: model file cannot be read: empty" "$HEBES" rollout configs/ant-quick.json --model "$TMP/empty.xml"
expect 1 "es.population: must be even" np 1 train configs/quadratic.json --set es.population=33 --set run.out_dir="$out"
expect 1 "net.stp_u: must be 0 (off) or at least 1e-3" np 1 train configs/ant-quick.json --set net.stp_u=1e-300 --set run.out_dir="$out"
expect 1 "es.sigma: expected a number" np 1 train configs/quadratic.json --set es.sigma=fast --set run.out_dir="$out"
# validated once, after the overrides: --set repairs the file, and the message says so when it cannot
printf '{"es": {"population": 33}, "run": {"task": "quadratic", "generations": 1}}' > "$TMP/odd.json"
expect 0 "finished" np 1 train "$TMP/odd.json" --set es.population=32 --set run.out_dir="$TMP/repaired"
expect 1 "odd.json with --set: es.population: must be even" np 1 train "$TMP/odd.json" --set es.sigma=0.2 --set run.out_dir="$out"
# inspect only reads: the run's model files need not exist here
mkdir -p "$TMP/elsewhere"
printf '{"run": {"generations": 1, "out_dir": "%s"}, "env": {"models": ["envs/ant.xml"], "max_steps": 5}, "es": {"population": 4}, "net": {"hidden": [4]}}' "$TMP/m" > "$TMP/m.json"
np 1 train "$TMP/m.json" > /dev/null
expect 0 "generation   1 of 1" bash -c "cd '$TMP/elsewhere' && '$HEBES' inspect '$TMP/m/hebes/checkpoint.h5'"

# strict JSON: position and reason for what cJSON rejects, and what it would let pass
bad_json() { # bad_json 'TEXT' PATTERN: hebes refuses the config with exit 1 and a message matching PATTERN
  printf "$1" > "$TMP/bad.json"
  expect 1 "$2" np 1 train "$TMP/bad.json" --set run.out_dir="$out"
}
bad_json '{"run": {"seed": 2,}}' 'bad.json: line 1, column 19: not valid JSON: a trailing comma'
bad_json '{"run": {"seed": 2}, // note\n}' 'line 1, column 23: not valid JSON: comments are not JSON'
bad_json '{"run": {"seed": 2}\n "es": {}}' 'line 2, column 2: not valid JSON: a missing comma'
bad_json '{"run": {"seed": 2, "seed": 3}}' 'run.seed: given twice'
bad_json '{"run": {"seed": 2}, "run": {"name": "x"}}' 'bad.json: run: given twice'
bad_json '{"run": {"name": "ab\\uZZZZcd"}}' 'line 1, column 21: invalid .u escape'
bad_json '{"run": {"name": "ab\\u0000cd"}}' 'an escaped NUL'
bad_json '{"run": {"name": "ab"}}\0{"es": 1}' 'line 1, column 24: a NUL byte'
bad_json '{"es": {"sigma": -0.03}}' 'es.sigma: -0.03 is out of range'
check "failed starts wrote nothing" test ! -e "$out"

# a good run, then the same run name again is refused rather than overwritten
np 2 train tests/configs/ant-learn.json --set run.generations=2 --set es.population=8 --set env.max_steps=40 \
  --set run.out_dir="$out" > /dev/null
ck="$out/ant-learn/checkpoint.h5"
before=$(hashes "$ck")
expect 1 "checkpoint.h5 exists: resume it" np 1 train tests/configs/ant-learn.json --set run.out_dir="$out"
check "the existing run was left alone" test "$before" = "$(hashes "$ck")"

expect 0 "generation   2 of 2$" "$HEBES" inspect "$ck"
expect 0 '"population":	8' "$HEBES" inspect "$ck" --config
expect 0 "envs/ant.xml .* 0$" "$HEBES" eval "$ck" --episodes 2
expect 0 "trace of episode 0" "$HEBES" eval "$ck" --episodes 1 --trace "$TMP/trace.h5" --trace-weights-every 10
check "trace has activities, actions, rewards, norms and weights" \
  bash -c "h5dump -H '$TMP/trace.h5' | grep -c -E 'DATASET \"(activity_0|activity_1|activity_2|action|reward|layer_norm|weights_0|weights_1|weights_step)\"' | grep -qx 9"
expect 0 "end " "$HEBES" rollout tests/configs/ant-learn.json --episode-seed 3
expect 0 "fitness " "$HEBES" rollout --ckpt "$ck" --which current
expect 1 "nodir/e.csv: cannot write" "$HEBES" eval "$ck" --episodes 1 --out "$TMP/nodir/e.csv"
# the notebook preset: nothing ends an episode while the notebook's counter is <= 200 (202 steps)
"$HEBES" rollout configs/paper-ant.json --episode-seed 3 > "$TMP/paper.txt"
check "paper-ant.json: the first episode lasts past step 201 ($(grep '^steps' "$TMP/paper.txt"))" \
  awk '$1 == "steps" { found = 1; exit !($2 >= 202) } END { if (!found) exit 1 }' "$TMP/paper.txt"
check "paper-ant.json: its fitness is 60.6 x its distance" \
  awk '$1 == "fitness" { f = $2 } $1 == "distance" { d = $2 } END { r = f - 60.606060606 * d; exit !(r < 1e-4 && r > -1e-4) }' "$TMP/paper.txt"

# command lines that used to be half-accepted (each passed silently before)
many=(); for k in $(seq 65); do many+=(--set run.seed=$k); done
expect 2 "more than 64 --set options" "$HEBES" rollout tests/configs/ant-learn.json "${many[@]}"
expect 2 "expected KEY=VALUE" "$HEBES" rollout tests/configs/ant-learn.json --set es.sigma
expect 2 "expected KEY=VALUE" np 1 train tests/configs/ant-learn.json --set es.sigma
expect 2 "--resume given twice" np 1 train --resume "$ck" --resume "$ck"
expect 2 "needs --trace FILE" "$HEBES" eval "$ck" --trace-weights-every 5
expect 2 "give one" "$HEBES" rollout --ckpt "$ck" --param-seed 3
expect 2 "unexpected argument '--bogus'" "$HEBES" config-docs --bogus
expect 1 "run.task is not ant" "$HEBES" bench configs/quadratic.json
# bench --es where one rank cannot allocate (a memory limit on rank 1 only): every rank leaves
# with the error, none waits for the others (before: rank 0 hung in a barrier). Not under ASan,
# whose shadow memory does not fit under a limit on virtual memory.
if [ "${HEBES_BUILD_KIND:-release}" != asan ]; then
  big=(configs/quadratic.json --es --generations 1 --set task.quadratic_dim=40000000 --set es.population=4)
  expect 1 "rank 1: out of memory" timeout 120 mpirun -np 1 "$HEBES" bench "${big[@]}" : \
    -np 1 bash -c 'ulimit -v 1200000; exec "$0" "$@"' "$HEBES" bench "${big[@]}"
fi
expect 1 "run.name: must be one plain folder name" np 1 train configs/quadratic.json --set run.name=.. --set run.out_dir="$out"
check "a run named .. wrote nothing beside the run folders" test ! -e "$TMP/config.json" -a ! -e "$TMP/progress.csv"

# damaged checkpoints: clear errors, never a crash
head -c 3000 "$ck" > "$TMP/cut.h5"
expect 1 "cut.h5: not a readable HDF5 file" "$HEBES" inspect "$TMP/cut.h5"
expect 1 "cut.h5: not a readable HDF5 file" "$HEBES" eval "$TMP/cut.h5"
expect 1 "cut.h5: not a readable HDF5 file" np 1 train --resume "$TMP/cut.h5"
# a flipped byte inside the coefficients' chunk: the Fletcher-32 checksum refuses it, naming the part
for ds in coefficients/current state/adam_v; do
  cp "$ck" "$TMP/flip.h5"
  at=$(/usr/bin/python3 -c "import h5py, sys; print(h5py.File(sys.argv[1], 'r')[sys.argv[2]].id.get_chunk_info(0).byte_offset + 40)" "$TMP/flip.h5" "$ds")
  printf '\xff' | dd of="$TMP/flip.h5" bs=1 seek="$at" conv=notrunc status=none
  check "the flipped byte is in the file" bash -c "! cmp -s '$ck' '$TMP/flip.h5'"
  expect 1 "flip.h5: $ds missing, damaged or inconsistent" "$HEBES" inspect "$TMP/flip.h5"
  expect 1 "flip.h5: $ds missing, damaged or inconsistent" np 1 train --resume "$TMP/flip.h5"
done
expect 1 "holds 300 coefficients\|needs" "$HEBES" rollout configs/ant-quick.json --ckpt "$ck"
# outputs that are inputs, or each other: refused as a bad command line, nothing written (before:
# eval --out/--per-step overwrote the checkpoint with CSV, attractor --out the config with HDF5)
cp "$ck" "$TMP/keep.h5"
sum=$(sha256sum < "$TMP/keep.h5")
expect 2 "\-\-out $TMP/keep.h5 is the checkpoint $TMP/keep.h5: refusing" "$HEBES" eval "$TMP/keep.h5" --episodes 1 --out "$TMP/keep.h5"
expect 2 "\-\-per-step $TMP/keep.h5 is the checkpoint" "$HEBES" eval "$TMP/keep.h5" --episodes 1 --per-step "$TMP/keep.h5"
ln -sf "$TMP/keep.h5" "$TMP/link.csv"
expect 2 "is the checkpoint" "$HEBES" eval "$TMP/keep.h5" --episodes 1 --out "$TMP/link.csv"
expect 2 "\-\-trace $TMP/keep.h5 is the checkpoint" "$HEBES" eval "$TMP/keep.h5" --episodes 1 --trace "$TMP/keep.h5"
expect 2 "two outputs cannot share a file" "$HEBES" eval "$TMP/keep.h5" --episodes 1 --out "$TMP/o.csv" --per-step "$TMP/o.csv"
check "the checkpoint is unchanged and no output was written" \
  bash -c "[ '$(sha256sum < "$TMP/keep.h5")' = '$sum' ] && [ ! -e '$TMP/o.csv' ]"
cp configs/attractor-sequence.json "$TMP/att.json"
expect 2 "\-\-out $TMP/att.json is the config" "$HEBES" attractor "$TMP/att.json" --out "$TMP/att.json"
check "the attractor config is unchanged" cmp -s configs/attractor-sequence.json "$TMP/att.json"
expect 2 "without --ckpt it has nothing to count" "$HEBES" attractor "$TMP/att.json" --episodes 3
cp configs/ant-quick.json "$TMP/roll.json"
expect 2 "\-\-video $TMP/roll.json is the config" "$HEBES" rollout "$TMP/roll.json" --video "$TMP/roll.json"
# a trace whose stored model is damaged, replayed where its recorded file is missing: the trace's
# copy is named, not envs/ant.xml
"$HEBES" eval "$ck" --episodes 1 --set env.eval_max_steps=5 --trace "$TMP/tr.h5" > /dev/null
/usr/bin/python3 - "$TMP/tr.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:  # the stored text is contiguous: damage a tag of it in place
    d = f["model_xml"]
    at = d.id.get_offset() + d[()].index(b"<worldbody>")
with open(sys.argv[1], "r+b") as f:
    f.seek(at)
    f.write(b"<w#rldbody>")
PY
cd "$TMP"
expect 1 "tr.h5: the model stored in the trace (/model_xml, a copy of envs/ant.xml) is damaged" "$HEBES" replay tr.h5
cd "$OLDPWD"
# rollout takes every 64-bit episode seed eval uses: eval --seed 12345's episode 3 has a seed above 2^63
"$HEBES" eval "$ck" --episodes 4 --seed 12345 --out "$TMP/e4.csv" > /dev/null
seed=$(awk -F, 'NR == 5 { print $3 }' "$TMP/e4.csv")
check "eval's episode 3 seed is above 2^63 ($seed)" test "${#seed}" -eq 20
"$HEBES" rollout --ckpt "$ck" --episode-seed "$seed" > "$TMP/r4.txt"
check "rollout --episode-seed of that seed plays eval's episode 3 (the same fitness)" \
  /usr/bin/python3 -c "import csv, sys; r = list(csv.DictReader(open('$TMP/e4.csv')))[3]; f = [l.split()[1] for l in open('$TMP/r4.txt') if l.startswith('fitness')][0]; sys.exit(abs(float(r['fitness']) - float(f)) > 5e-7 * max(1, abs(float(f))))"
expect 2 "needs a whole number in \[0, 18446744073709551615\], got '-1'" "$HEBES" rollout --ckpt "$ck" --episode-seed -1
expect 2 "got '18446744073709551616'" "$HEBES" rollout --ckpt "$ck" --episode-seed 18446744073709551616
finish
