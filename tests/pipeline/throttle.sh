#!/usr/bin/env bash
# throttle.sh BUILD_DIR SOURCE_DIR: --rate N holds the rate the server sees
# within 10 %: judged from the reference server's access log (its own
# timestamps), not from timings taken by the test.
#   - no window of two seconds holds more than 1.1 * 2N requests (two seconds,
#     so that scheduling jitter of a loaded machine is not mistaken for a burst);
#   - the mean rate over the run is within 10 % of N.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
rate=${THROTTLE_RATE:-40} total=${THROTTLE_REQUESTS:-300}
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-throttle.XXXXXX")
trap '"$src/tests/lib/refserver-stop.sh" "$work/server" >/dev/null 2>&1; rm -rf "$work"' EXIT
port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/server" --port 0 \
       --access-log "$work/access.log") || { echo "FAIL: server did not start"; exit 1; }
cat >"$work/suite.yaml" <<YAML
suite: throttle
target: rc
cases:
  - {id: room, method: GET, path: /api/v1/livechat/room, request: {query: {token: t}}, expect: {status: 400}}
YAML
printf 'targets:\n  rc:\n    base_url: http://127.0.0.1:%s\n' "$port" >"$work/conform.yaml"
(cd "$work" && "$build/conform" run --rate "$rate" --jobs 4 --repeat "$total" -o junit.xml suite.yaml \
   >stdout 2>stderr) || { echo "FAIL: conform exited $?"; tail -5 "$work/stdout" "$work/stderr"; exit 1; }
# "2026-12-01T12:12:54.450Z GET /path 400": seconds of the day, with ms.
awk -v rate="$rate" -v total="$total" '
  { split(substr($1, 12, 12), t, ":"); s[n++] = t[1] * 3600 + t[2] * 60 + t[3] }
  END {
    if (n != total) { printf "FAIL: %d requests logged, expected %d\n", n, total; exit 1 }
    worst = 0; j = 0
    for (i = 0; i < n; i++) {            # the log is in time order (O_APPEND, one write)
      while (j < n && s[j] < s[i] + 2.0) j++
      if (j - i > worst) worst = j - i
    }
    mean = (n - 1) / (s[n - 1] - s[0])
    printf "rate %d/s: %d requests in %.3f s: mean %.2f/s, busiest 2 s window %d (limit %d)\n", rate, n, s[n - 1] - s[0], mean, worst, rate * 2.2
    if (worst > rate * 2.2) { print "FAIL: a two-second window exceeds the rate by more than 10 %"; exit 1 }
    if (mean > rate * 1.1 || mean < rate * 0.9) { print "FAIL: the mean rate is off by more than 10 %"; exit 1 }
  }' "$work/access.log"
