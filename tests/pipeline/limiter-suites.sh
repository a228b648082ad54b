#!/usr/bin/env bash
# limiter-suites.sh BUILD_DIR SOURCE_DIR: every shipped suite passes against
# the reference server with its Rocket.Chat-like rate limiter on (10 calls per
# route and client, as a stock Rocket.Chat, in a window scaled down from 60 s
# to 300 ms), and the same run with no waiting allowed (--max-wait 0) fails:
# the limiter really bites, and conform's waiting is what gets through it.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-limiter.XXXXXX")
trap '"$src/tests/lib/refserver-stop.sh" "$work/server" >/dev/null 2>&1; rm -rf "$work"' EXIT
port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/server" --port 0 \
       --rate-limit 10/300 --access-log "$work/access.log") || { echo "FAIL: server did not start"; exit 1; }
cd "$src"
fail=0
"$build/conform" run -b "http://127.0.0.1:$port" -o "$work/junit.xml" suites >"$work/out" 2>&1
rc=$?
grep -E '^conform: [0-9]+ cases|waited' "$work/out"
[ $rc -eq 0 ] || { echo "FAIL: with the limiter on, conform exited $rc"; grep -E 'error|failure' "$work/out" | head; fail=1; }
grep -q '^conform: waited ' "$work/out" || { echo "FAIL: no rate-limit wait counted"; fail=1; }
sleep 0.4 # a fresh window for the second run
"$build/conform" run -b "http://127.0.0.1:$port" --max-wait 0 -o "$work/junit0.xml" suites >"$work/out0" 2>&1
rc0=$?
echo "with --max-wait 0: exit $rc0, $(grep -c 'error rate-limited' "$work/out0") rate-limited errors"
[ $rc0 -eq 1 ] && grep -q 'error rate-limited' "$work/out0" || { echo "FAIL: --max-wait 0 should fail on the limiter"; fail=1; }
exit $fail
