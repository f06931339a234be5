#!/usr/bin/env bash
# Fuzzes the config loader and the checkpoint reader with libFuzzer (clang, ASan+UBSan):
#   scripts/fuzz.sh [SECONDS] [--keep]
# SECONDS per target (default 60; on two cores or more both targets fuzz at the same time).
# Starts from tests/fuzz/corpus/{cfg,ckpt}; with --keep, the new inputs it finds that add coverage
# are merged back there. Any crash, leak or sanitizer report fails, and the input that caused it is
# left in build-fuzz/ (crash-*, leak-*).
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
secs=${1:-60}
keep=0
[ "${2:-}" = --keep ] && keep=1
bash scripts/build.sh fuzz > /dev/null
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One target per core: on two cores both fuzz at once, each for its full SECONDS.
source scripts/env.sh
fuzz_one() { # fuzz_one TARGET: fuzzes, prints its lines; the status is the target's
  local t=$1 work max_len=4096 rc=0
  [ $t = ckpt ] && max_len=65536
  work=$(mktemp -d /tmp/hebes-fuzz-XXXXXX)
  cp tests/fuzz/corpus/$t/* "$work/"
  echo "=== fuzz_$t: ${secs} s from $(ls tests/fuzz/corpus/$t | wc -l) inputs"
  if (cd build-fuzz && ./fuzz_$t -max_total_time="$secs" -max_len=$max_len -print_final_stats=1 "$work" \
      > "fuzz_$t.log" 2>&1); then
    grep -E "^stat::number_of_executed_units|^Done" "build-fuzz/fuzz_$t.log" | tail -n 1
    if [ $keep = 1 ]; then
      build-fuzz/fuzz_$t -merge=1 -max_len=$max_len tests/fuzz/corpus/$t "$work" > /dev/null 2>&1
      echo "fuzz_$t: corpus now $(ls tests/fuzz/corpus/$t | wc -l) inputs"
    fi
  else
    echo "fuzz_$t FAILED: see build-fuzz/fuzz_$t.log and the crash-*/leak-* input in build-fuzz/"
    tail -n 30 "build-fuzz/fuzz_$t.log"
    rc=1
  fi
  rm -rf "$work"
  return $rc
}
status=0
if [ "$HEBES_CORES" -ge 2 ]; then
  # each target's lines are printed whole when both are done, in a fixed order
  out=$(mktemp -d /tmp/hebes-fuzz-out-XXXXXX)
  fuzz_one cfg > "$out/cfg" 2>&1 & pid_cfg=$!
  fuzz_one ckpt > "$out/ckpt" 2>&1 & pid_ckpt=$!
  wait $pid_cfg || status=1
  wait $pid_ckpt || status=1
  cat "$out/cfg" "$out/ckpt"
  rm -rf "$out"
else
  for t in cfg ckpt; do fuzz_one $t || status=1; done
fi
exit $status
}
