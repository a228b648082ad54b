#!/usr/bin/env bash
# shards.sh BUILD_DIR SOURCE_DIR: for N = 1..5, `conform list --shard K/N`
# over every shipped suite, K = 1..N together, lists every case of the
# unsharded list exactly once (nothing is sent: list only loads).
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
cd "$src"
# "SUITE-PATH CASE-ID" per case: the header line "NAME (PATH, target T)"
# names the suite file, the indented lines are its cases.
cases() {
  "$build/conform" list "$@" suites | awk '
    /^[^ ].* \(.*, target [^)]*\)$/ { p = $0; sub(/^.* \(/, "", p); sub(/, target [^)]*\)$/, "", p); next }
    /^  / { print p " " $1 }'
}
all=$(cases | sort)
total=$(printf '%s\n' "$all" | wc -l)
[ "$total" -gt 0 ] || { echo "FAIL: no case listed"; exit 1; }
fail=0
for n in 1 2 3 4 5; do
  got=$(for k in $(seq 1 "$n"); do cases --shard "$k/$n"; done | sort)
  dups=$(printf '%s\n' "$got" | uniq -d)
  if [ -n "$dups" ]; then echo "FAIL: N=$n: listed more than once:"; echo "$dups"; fail=1; fi
  if [ "$got" != "$all" ]; then
    echo "FAIL: N=$n: the shards do not cover the cases exactly:"
    diff <(printf '%s\n' "$all") <(printf '%s\n' "$got") || true
    fail=1
  fi
  sizes=$(for k in $(seq 1 "$n"); do cases --shard "$k/$n" | wc -l; done | tr '\n' ' ')
  echo "N=$n: $total cases in shards of $sizes"
done
exit $fail
