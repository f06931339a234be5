#!/usr/bin/env bash
# The README's second command: install, build twice (release, ASan+UBSan) and run every test under
# both; then fuzz the config loader and the checkpoint reader for 60 s each (libFuzzer).
set -euo pipefail
{ # bash reads a script as it runs; in braces it is read whole first, so an edit cannot reach a running copy
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/env.sh
# Slow unwinding: Open MPI frees its dlopened components before exit, and only full stacks
# attribute their leftovers to the libraries that tests/lsan.supp names.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for kind in release asan; do
  echo "=== build: $kind"
  bash scripts/build.sh "$kind"
  dir=build; [ "$kind" = asan ] && dir=build-asan
  echo "=== tests: $kind"
  HEBES_BUILD_KIND=$kind ctest --test-dir "$dir" --output-on-failure --timeout 900 -j "$HEBES_CORES" || status=1
done
echo "=== fuzz"
bash scripts/fuzz.sh 60 || status=1
exit $status
}
