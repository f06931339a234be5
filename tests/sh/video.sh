# Headless video of rollout and eval: files that ffprobe decodes with the expected frame counts,
# PNG frames without ffmpeg, clear errors.
source "$(dirname "$0")/lib.sh"
# Under ASan: fast unwinding for Mesa's many allocations (see CMakeLists.txt), but not for Open MPI.
mpi_asan=${ASAN_OPTIONS:-}
export ASAN_OPTIONS=${mpi_asan/fast_unwind_on_malloc=0/fast_unwind_on_malloc=1}
frames() { ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
small=(--width 160 --height 120)
"$HEBES" rollout tests/configs/ant-learn.json --set env.max_steps=30 --video "$TMP/a.mp4" "${small[@]}" > "$TMP/a.log"
check "rollout --video: an mp4 of 30 frames" test "$(frames "$TMP/a.mp4")" = 30
check "rollout says where the frames went" grep -q "30 frames written to $TMP/a.mp4" "$TMP/a.log"
"$HEBES" rollout tests/configs/ant-learn.json --set env.max_steps=260 --set env.healthy_z_min=-1e6 --set env.healthy_z_max=1e6 --frames "$TMP/png" "${small[@]}" > /dev/null 2> "$TMP/count.log"
check "a long film says how far it got" test "$(cat "$TMP/count.log")" = "filming: 250 frames"
rm -rf "$TMP/png"
"$HEBES" rollout tests/configs/ant-learn.json --set env.max_steps=12 --frames "$TMP/png" "${small[@]}" > /dev/null
check "rollout --frames: 12 PNG files" test "$(ls "$TMP/png" | grep -c '^frame_0000[0-9][0-9].png$')" = 12
check "the PNG frames are 160 x 120 pictures" test "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$TMP/png/frame_000011.png")" = "160,120"

check "a finished film leaves no temporary beside it" test "$(ls "$TMP" | grep -c '\.tmp\.')" = 0
# A film stopped halfway never appears under its name (ffmpeg would finish a playable file from the
# frames it got, which a results script would take as made): it is written as NAME.tmp.PID.mp4 and
# renamed when whole. A good film already at the name is left as it was.
cp "$TMP/a.mp4" "$TMP/k.mp4"
"$HEBES" rollout tests/configs/ant-learn.json --set env.max_steps=3000 --set env.healthy_z_min=-1e6 \
  --set env.healthy_z_max=1e6 --video "$TMP/k.mp4" "${small[@]}" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do ls "$TMP" | grep -q '^k\.mp4\.tmp\.[0-9]*\.mp4$' && break; sleep 0.1; done
sleep 1
kill -TERM $pid
wait $pid || true
check "a film stopped halfway: the earlier film at its name is untouched" cmp -s "$TMP/a.mp4" "$TMP/k.mp4"
check "... and the part written is under the temporary name" test "$(ls "$TMP" | grep -c '^k\.mp4\.tmp\.[0-9]*\.mp4$')" = 1
rm -f "$TMP"/k.mp4*

ASAN_OPTIONS=$mpi_asan np 1 train tests/configs/ant-learn.json --set run.generations=1 --set es.population=4 --set env.max_steps=25 \
  --set run.out_dir="$TMP" --set run.name=v > /dev/null
"$HEBES" eval "$TMP/v/checkpoint.h5" --episodes 2 --model envs/ant.xml --model envs/ant-damaged-right.xml \
  --video "$TMP/e.gif" "${small[@]}" > "$TMP/e.log"
check "eval --video: episode 0 of both models one after another, 50 frames" test "$(frames "$TMP/e.gif")" = 50

# a recorded episode replays exactly and films without the network; another model does not replay
"$HEBES" eval "$TMP/v/checkpoint.h5" --episodes 1 --trace "$TMP/t.h5" > /dev/null
"$HEBES" replay "$TMP/t.h5" --video "$TMP/r.mp4" "${small[@]}" > "$TMP/r.log"
check "replay reproduces the recorded states" grep -q "replay of 25 steps on envs/ant.xml reproduces the recorded qpos and qvel exactly" "$TMP/r.log"
check "replay --video films the 25 recorded states" test "$(frames "$TMP/r.mp4")" = 25
check "the trace carries its format, version, origin, model and states" \
  bash -c "h5dump -A -H '$TMP/t.h5' | grep -c -E 'ATTRIBUTE \"(format|format_version|checkpoint|which|episode_seed)\"|DATASET \"(qpos|qvel|torso_pos|torso_quat|model_xml)\"' | grep -qx 10"

expect_fail() { # expect_fail CODE PATTERN ARGS...
  local code=$1 pat=$2; shift 2
  set +e
  "$HEBES" "$@" > "$TMP/out" 2>&1
  local rc=$?
  set -e
  if [ $rc = "$code" ] && grep -q -- "$pat" "$TMP/out"; then ok "$* -> $code"; else bad "$* -> $rc: $(head -c 300 "$TMP/out")"; fi
}
expect_fail 1 "unknown video format '.avi'" rollout tests/configs/ant-learn.json --video "$TMP/x.avi"
expect_fail 2 "needs a whole number in \[16, 4096\]" rollout tests/configs/ant-learn.json --video "$TMP/x.mp4" --width 8
expect_fail 1 "must be even" rollout tests/configs/ant-learn.json --video "$TMP/x.mp4" --width 161
expect_fail 2 "give one of --video and --frames" rollout tests/configs/ant-learn.json --video "$TMP/x.mp4" --frames "$TMP/f"
expect_fail 1 "does not reproduce the recorded states" replay "$TMP/t.h5" --model envs/ant-damaged-left.xml
# from another folder the trace replays on the model text it stores
(cd "$TMP" && mkdir -p away && cd away && "$HEBES" replay ../t.h5 > ../away.log 2> ../away.err)
check "replay from another folder uses the trace's own model, and says so" \
  test "$(grep -c "reproduces the recorded qpos and qvel exactly" "$TMP/away.log")$(grep -c "not found; using the copy stored in the trace" "$TMP/away.err")" = 11
# a NaN written into the recorded qpos at step 5 is a difference, not a match
cp "$TMP/t.h5" "$TMP/nan.h5"
/usr/bin/python3 -c "
import h5py, sys
with h5py.File(sys.argv[1], 'r+') as f:
    q = f['qpos'][:]
    q[4, 2] = float('nan')
    del f['qpos']
    f.create_dataset('qpos', data=q)" "$TMP/nan.h5"
expect_fail 1 "1 values differ, the first at step 5 (largest difference nan, a NaN)" replay "$TMP/nan.h5"
expect_fail_env() { local code=$1 pat=$2; shift 2; __EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json expect_fail "$code" "$pat" "$@"; }
expect_fail_env 1 "cannot make a headless OpenGL context: eglInitialize" rollout tests/configs/ant-learn.json --frames "$TMP/nogl"
check "failed films left no file" test ! -e "$TMP/nogl"
check "failed films left no file" test ! -e "$TMP/x.avi" -a ! -e "$TMP/x.mp4"
finish
