# Shared by the report tests: a private reference server and a conform run.
# Source it with build and src set; it defines fail() and start_server().
set -uo pipefail
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-report.XXXXXX")
state="$work/server"
cleanup() {
  "$src/tests/lib/refserver-stop.sh" "$state" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
# start_server [refserver args...]: sets port.
start_server() {
  "$src/tests/lib/refserver-stop.sh" "$state" >/dev/null 2>&1
  port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$state" "$@") ||
    fail "the reference server did not start"
}
# The counts of a console summary line: "61 47 14 0 0".
summary_counts() {
  sed -nE 's/.*conform: ([0-9]+) cases?: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) errored, ([0-9]+) skipped.*/\1 \2 \3 \4 \5/p' "$1" | tail -1
}
