# Shared by the shell tests: bash tests/sh/NAME.sh PATH/TO/hebes (run from the repo root by CTest).
set -euo pipefail
HEBES=$(readlink -f "${1:?usage: $0 PATH/TO/hebes}")
source scripts/env.sh
TMP=$(mktemp -d /tmp/hebes-sh-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fails=0
passes=0

np() { # np N ARGS...: hebes under mpirun with N ranks (oversubscribed when needed)
  local n=$1; shift
  mpirun -np "$n" --oversubscribe "$HEBES" "$@"
}
ok() { passes=$((passes + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
check() { # check "what" COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
hashes() { "$HEBES" inspect "$1" --hash | grep '^hash'; }
wait_rows() { # wait_rows CSV N: until the progress file has N generation rows (60 s at most)
  for _ in $(seq 600); do
    [ -f "$1" ] && [ "$(($(wc -l < "$1") - 1))" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
signal_and_wait() { # signal_and_wait PID SIGNAL: sends it, waits, leaves the exit code in RC
  kill "-$2" "$1"
  RC=0
  wait "$1" || RC=$?
}
expect() { # expect CODE PATTERN COMMAND...: exit code and a stderr/stdout line matching PATTERN (output in $TMP/out)
  local code=$1 pat=$2; shift 2
  set +e
  "$@" > "$TMP/out" 2>&1
  local rc=$?
  set -e
  if [ $rc = "$code" ] && grep -q -- "$pat" "$TMP/out"; then ok "$* -> $code, '$pat'"
  else bad "$* -> $rc (want $code), output: $(head -c 300 "$TMP/out")"; fi
}
engine_of_hebes() { "$HEBES" --version | sed -n 's/^hebes [^ ]* (MuJoCo \(.*\))$/\1/p'; } # the MuJoCo it runs on
generation_of() { "$HEBES" inspect "$1" | awk '$1 == "generation" && $3 == "of" { print $2 }'; }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
