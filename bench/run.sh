#!/usr/bin/env bash
# Benchmark: conform side by side with Step CI, Newman and wrk, in one run,
# against one loopback conform-refserver (--stateless) answering the
# documented Rasa close-chat example.
#
#   bench/run.sh [--runs N] [--cases N] [--big N] [--skip-peers]
#
# Every tool does the same work per case: POST close-chat with a fixed
# sessionId, check status 200, the documented response schema and the
# documented example text. Prints medians of wall time, cases/s and peak RSS,
# and the ratios. Not part of the test gate (speed is never asserted in tests).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=5 cases=1000 big=20000 skip_peers=0 rss_cases=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --big) big=$2; shift 2 ;;
    --skip-peers) skip_peers=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

scripts/deps
missing=()
for p in wrk time nodejs npm; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null && missing=("${missing[@]/nodejs}") && missing=("${missing[@]/npm}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]}" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

build=${CONFORM_BUILD_DIR:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target conform conform-refserver >/dev/null

out=bench/out
mkdir -p "$out"
state=$(mktemp -d)
trap 'tests/lib/refserver-stop.sh "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
port=$(tests/lib/refserver-start.sh "$build/conform-refserver" "$state" --stateless)
base="http://127.0.0.1:$port"
app=646b8e7d-f1e1-419e-9478-10d0f5bc74d9
url="$base/api/apps/public/$app/incoming"
echo "bench: conform-refserver --stateless on $base; $(nproc) CPUs; medians of $runs runs"

# measure LABEL CASES CMD...: appends "label cases wall_s rss_kb" per run to $out/raw.
measure() {
  local label=$1 n=$2; shift 2
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %M" -o "$out/.time" "$@" >"$out/.stdout" 2>"$out/.stderr" || {
      echo "bench: $label failed (run $i):" >&2; tail -5 "$out/.stderr" >&2; tail -5 "$out/.stdout" >&2; return 1; }
    read -r wall rss <"$out/.time"
    echo "$label $n $wall $rss" >>"$out/raw"
  done
}
: >"$out/raw"

conform_run() {
  "$build/conform" run --config bench/conform.yaml --base-url "$base" --junit "$out/junit.xml" "$@" \
    bench/suites/rasa-close.yaml
}
measure "conform-j1" "$cases" conform_run --repeat "$cases" --jobs 1
measure "conform-j4" "$big" conform_run --repeat "$big" --jobs 4
measure "conform-rss" "$rss_cases" conform_run --repeat "$rss_cases" --jobs 1
# Start-up: time from exec to the first request, from strace's timestamps.
if command -v strace >/dev/null; then
  for ((i = 0; i < runs; i++)); do
    strace -f -ttt -e trace=execve,connect -o "$out/.strace" \
      "$build/conform" run --config bench/conform.yaml --base-url "$base" --junit "$out/junit.xml" \
      --jobs 1 bench/suites/rasa-close.yaml >/dev/null 2>&1 || true
    awk '/execve\(/ && !t0 { t0 = $2 } /connect\(.*sin_port=htons\('"$port"'\)/ && !t1 { t1 = $2 }
         END { if (t0 && t1) printf "%.1f\n", (t1 - t0) * 1000 }' "$out/.strace" >>"$out/startup"
  done
fi

if [ $skip_peers -eq 0 ]; then
  peers=bench/.peers
  if [ ! -x "$peers/node_modules/.bin/stepci" ] || [ ! -x "$peers/node_modules/.bin/newman" ]; then
    mkdir -p "$peers" && cp bench/peers/package.json "$peers/"
    (cd "$peers" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  # Step CI: one workflow with $cases tests doing the same checks.
  {
    echo "version: \"1.1\""; echo "name: rasa-close"; echo "tests:"
    for ((i = 0; i < cases; i++)); do cat <<EOF
  close$i:
    steps:
      - name: close
        http:
          url: $url
          method: POST
          headers: {X-Auth-Token: demo-auth-token, X-User-Id: demo-user-id, Content-Type: application/json}
          json: {action: close-chat, sessionId: bench-room}
          check:
            status: 200
            schema: {type: object, properties: {msg: {type: string}}}
            jsonpath:
              $.msg: " Close chat request handled successfully"
EOF
    done
  } >"$out/stepci.yaml"
  measure "stepci" "$cases" "$peers/node_modules/.bin/stepci" run "$out/stepci.yaml"
  # Newman: one request, $cases iterations, the same checks in its test script.
  cat >"$out/newman.json" <<EOF
{"info": {"name": "rasa-close", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
 "item": [{"name": "close",
   "request": {"method": "POST", "url": "$url",
     "header": [{"key": "X-Auth-Token", "value": "demo-auth-token"}, {"key": "X-User-Id", "value": "demo-user-id"},
                {"key": "Content-Type", "value": "application/json"}],
     "body": {"mode": "raw", "raw": "{\"action\":\"close-chat\",\"sessionId\":\"bench-room\"}"}},
   "event": [{"listen": "test", "script": {"exec": [
     "pm.test('status', () => pm.response.to.have.status(200));",
     "pm.test('schema', () => pm.response.to.have.jsonSchema({type: 'object', properties: {msg: {type: 'string'}}}));",
     "pm.test('example', () => pm.expect(pm.response.json().msg).to.eql(' Close chat request handled successfully'));"
   ]}}]}]}
EOF
  measure "newman" "$cases" "$peers/node_modules/.bin/newman" run "$out/newman.json" -n "$cases" --reporters cli
fi

# wrk: the raw rate over 8 connections (what the wire allows).
cat >"$out/wrk.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"action":"close-chat","sessionId":"bench-room"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = "demo-auth-token"
wrk.headers["X-User-Id"] = "demo-user-id"
EOF
: >"$out/wrk"
for ((i = 0; i < runs; i++)); do
  wrk -t2 -c8 -d3s -s "$out/wrk.lua" "$url" | awk '/Requests\/sec/ { print $2 }' >>"$out/wrk"
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
col() { awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$out/raw" | median; }
printf '\n%-14s %8s %10s %12s %12s\n' tool cases wall_s cases_per_s peak_rss_MiB
for label in conform-j1 conform-j4 conform-rss stepci newman; do
  w=$(col "$label" 3); [ -z "$w" ] && continue
  n=$(col "$label" 2); r=$(col "$label" 4)
  awk -v l="$label" -v n="$n" -v w="$w" -v r="$r" 'BEGIN { printf "%-14s %8d %10.3f %12.0f %12.1f\n", l, n, w, (w > 0 ? n / w : 0), r / 1024 }'
done
wrk_rate=$(median <"$out/wrk")
echo "wrk -c8         rate ${wrk_rate} req/s"
[ -s "$out/startup" ] && echo "conform start to first request: $(median <"$out/startup") ms (median, strace)"
c1=$(col conform-j1 3) c4=$(col conform-j4 3) s=$(col stepci 3) nw=$(col newman 3)
echo
[ -n "$s" ] && awk -v a="$s" -v b="$c1" 'BEGIN { printf "Step CI / conform (%s cases, --jobs 1): %.0fx\n", "'"$cases"'", a / b }'
[ -n "$nw" ] && awk -v a="$nw" -v b="$c1" 'BEGIN { printf "Newman / conform (%s cases, --jobs 1): %.0fx\n", "'"$cases"'", a / b }'
awk -v n="$big" -v w="$c4" -v r="$wrk_rate" 'BEGIN { printf "conform --jobs 4 rate / wrk rate: %.0f%%\n", 100 * n / w / r }'
