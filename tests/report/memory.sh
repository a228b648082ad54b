#!/usr/bin/env bash
# memory.sh BUILD SRC: peak RSS does not grow with --repeat. A run of 10,000
# case results (every report format on) peaks within 1 MiB of a run of 100:
# results are reported and forgotten, not kept (a kept result costs about
# 0.3 KiB, so keeping them would add about 3 MiB).
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
. "$src/tests/report/lib.sh"
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time (Debian package time) is not installed"; exit 77; }
cd "$src" || exit 1
start_server --stateless
peak() { # peak REPEAT: prints the peak RSS in KiB
  /usr/bin/time -f '%M' -o "$work/rss" "$build/conform" run --base-url "http://127.0.0.1:$port" \
    -j 2 -r "$1" -f close-chat-ok -o "$work/junit.xml" --json "$work/r.json" --html "$work/r.html" \
    suites/rocketchat-rasa/close-chat.yaml >"$work/stdout" 2>"$work/stderr" ||
    { tail -3 "$work/stdout" "$work/stderr"; fail "the run of $1 cases failed"; }
  grep -q "^conform: $1 cases: $1 passed" "$work/stdout" || fail "the run of $1 cases did not pass"
  tail -1 "$work/rss"
}
small=$(peak 100)
large=$(peak 10000)
echo "peak RSS: $small KiB at 100 cases, $large KiB at 10000 cases"
[ "$large" -le $((small + 1024)) ] || fail "peak RSS grew by $((large - small)) KiB from 100 to 10000 cases"
n=$(grep -c '<testcase ' "$work/junit.xml")
[ "$n" -eq 10000 ] || fail "the JUnit report holds $n cases, not 10000"
echo "ok: memory flat in the number of cases"
