#!/usr/bin/env bash
# Benchmark: conform side by side with Step CI 2.8.2, Newman 6.2.2 and wrk, in
# one run, against loopback conform-refserver --stateless servers answering
# the documented Rasa close-chat example.
#
#   bench/run.sh [--runs N] [--peer-runs N] [--cases N] [--big N]
#                [--rss-sizes "N..."] [--fail-cases N] [--rss-runs N]
#                [--load-cases N] [--load-mb N] [--skip-peers]
#
#   --runs N        runs of each conform measurement, of the libcurl floor
#                   and of wrk (default 5)
#   --peer-runs N   runs of Step CI and of Newman (default 3: Newman needs
#                   about 20 s for 1000 cases on 2 cores)
#   --cases N       cases of the conform --jobs 1 / floor / Step CI / Newman runs (1000)
#   --big N         cases of the conform --jobs 4 run (20000)
#   --rss-sizes L   passing-case counts of the peak-RSS runs, --jobs 4
#                   (default "2000 200000 2000000")
#   --fail-cases N  cases of the failing peak-RSS run with -v (200000)
#   --rss-runs N    runs of each peak-RSS size above 10,000 cases (default 1:
#                   2,000,000 cases take minutes); smaller sizes run --runs times
#   --load-cases N  cases of the generated suite that `conform list` loads (100000)
#   --load-mb N     size of the generated OpenAPI document, MB (10)
#   --skip-peers    conform, the floor and wrk only (no Node.js, no npm)
#
# Every tool does the same work per case: POST close-chat with a fixed
# sessionId, check status 200, the documented response schema and the
# documented example text " Close chat request handled successfully" (with
# its leading space). Before anything is timed each tool is run against
# servers with a fault (status 401, msg a number, msg without the leading
# space) and must fail, naming that check; a tool that passes a fault, or a
# timed run that does not pass every case, stops the bench with exit 1.
#
# The libcurl floor (bench/floor.c, built here against Debian's libcurl) is
# the reference of the RSS and start-up goals: a program that does one
# request, measured in the same run; with N requests it is the bare libcurl
# loop doing the same checks.
#
# The tools take turns run by run (a round robin), so that load from other
# users of a shared machine hits them alike. Prints one table of medians (wall
# s, cases/s, user+sys CPU s, peak RSS MiB), the start-up times, the load
# times and one line per goal of issue #15 with met / NOT met
# (docs/PERFORMANCE.md); bench/out/ keeps the raw numbers (raw, wrk,
# startup-*) and bench/out/results.txt the table. Not part of the test gate:
# speed is never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 peer_runs=3 cases=1000 big=20000 rss_sizes="2000 200000 2000000" fail_cases=200000
rss_runs=1 load_cases=100000 load_mb=10 skip_peers=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --peer-runs) peer_runs=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --big) big=$2; shift 2 ;;
    --rss-sizes) rss_sizes=$2; shift 2 ;;
    --fail-cases) fail_cases=$2; shift 2 ;;
    --rss-runs) rss_runs=$2; shift 2 ;;
    --load-cases) load_cases=$2; shift 2 ;;
    --load-mb) load_mb=$2; shift 2 ;;
    --skip-peers) skip_peers=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in runs peer_runs cases big fail_cases rss_runs load_cases load_mb; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "bench: --${v//_/-} needs a positive integer" >&2; exit 2; }
done
for v in $rss_sizes; do [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench: --rss-sizes needs positive integers" >&2; exit 2; }; done

die() { echo "bench: FAILED: $*" >&2; exit 1; }

# --- tools ------------------------------------------------------------------
scripts/deps
need=() # Debian package for each missing command
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/bin/time ] || need+=(time)
command -v strace >/dev/null || need+=(strace)
if [ $skip_peers -eq 0 ]; then
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
    die "could not install ${need[*]}"
fi

build=${CONFORM_BUILD_DIR:-build-bench}
# Release, and warnings are not errors: the bench must not depend on warning hygiene.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCONFORM_WERROR=OFF >/dev/null ||
  die "cmake configure of $build"
cmake --build "$build" -j"$(nproc)" --target conform conform-refserver >/dev/null ||
  die "build of conform / conform-refserver in $build"
conform_bin=$build/conform
# The libcurl floor: the same libcurl (Debian's), the same compiler flags as a Release build.
cc -O3 -o "$build/curl-floor" bench/floor.c -lcurl || die "build of bench/floor.c (needs libcurl4-openssl-dev)"
floor_bin=$build/curl-floor

peers=bench/.peers
if [ $skip_peers -eq 0 ]; then
  have() { node -p "require('./$peers/node_modules/$1/package.json').version" 2>/dev/null || true; }
  want() { node -p "require('./bench/peers/package.json').dependencies['$1']"; }
  if [ "$(have stepci)" != "$(want stepci)" ] || [ "$(have newman)" != "$(want newman)" ]; then
    echo "bench: npm install into $peers (stepci $(want stepci), newman $(want newman))" >&2
    mkdir -p "$peers" && cp bench/peers/package.json "$peers/"
    (cd "$peers" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || die "npm install in $peers"
  fi
  [ "$(have stepci)" = "$(want stepci)" ] && [ "$(have newman)" = "$(want newman)" ] ||
    die "$peers holds stepci $(have stepci) / newman $(have newman), not the versions of bench/peers/package.json"
  stepci_bin=$peers/node_modules/.bin/stepci newman_bin=$peers/node_modules/.bin/newman
  # No analytics: Step CI would otherwise post to posthog.com after each run.
  export STEPCI_DISABLE_ANALYTICS=1
fi

# --- servers ------------------------------------------------------------------
out=bench/out
rm -rf "$out" && mkdir -p "$out"
state=$(mktemp -d)
servers=()
cleanup() {
  local s
  for s in "${servers[@]}"; do tests/lib/refserver-stop.sh "$state/$s" >/dev/null 2>&1 || true; done
  rm -rf "$state"
}
trap cleanup EXIT
# start NAME ARGS...: a --stateless server; its port lands in $state/NAME/port.
start() {
  local name=$1; shift
  servers+=("$name")
  tests/lib/refserver-start.sh "$conform_bin-refserver" "$state/$name" --stateless "$@" >/dev/null ||
    die "conform-refserver ($name) did not start"
}
app=646b8e7d-f1e1-419e-9478-10d0f5bc74d9
path=/api/apps/public/$app/incoming
# The timed server logs nothing; "check" counts the requests of the checks.
start bench; port=$(<"$state/bench/port")
start check --access-log "$state/check.log"; port_check=$(<"$state/check/port")
faults=(rasa-status-401 rasa-msg-number rasa-msg-no-leading-space)
declare -A port_fault
for f in "${faults[@]}"; do start "$f" --fault "$f"; port_fault[$f]=$(<"$state/$f/port"); done
base=http://127.0.0.1:$port

# --- the same work for every tool ---------------------------------------------
conform_cmd() { # PORT CASES JOBS [-v]
  echo "$conform_bin" run --config bench/conform.yaml --base-url "http://127.0.0.1:$1" \
    --junit "$out/junit.xml" --repeat "$2" --jobs "$3" ${4:-} bench/suites/rasa-close.yaml
}
floor_cmd() { echo "$floor_bin" "http://127.0.0.1:$1$path" "$2"; } # PORT CASES
stepci_workflow() { # PORT CASES > file: one workflow with CASES tests (Step CI 2.8.2 format)
  local i
  printf 'version: "1.1"\nname: rasa-close\ntests:\n'
  for ((i = 0; i < $2; i++)); do cat <<EOF
  close$i:
    steps:
      - name: close
        http:
          url: http://127.0.0.1:$1$path
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
}
newman_collection() { # PORT > file: one request whose test script does the three checks
  cat <<EOF
{"info": {"name": "rasa-close", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
 "item": [{"name": "close",
   "request": {"method": "POST", "url": "http://127.0.0.1:$1$path",
     "header": [{"key": "X-Auth-Token", "value": "demo-auth-token"}, {"key": "X-User-Id", "value": "demo-user-id"},
                {"key": "Content-Type", "value": "application/json"}],
     "body": {"mode": "raw", "raw": "{\"action\":\"close-chat\",\"sessionId\":\"bench-room\"}"}},
   "event": [{"listen": "test", "script": {"exec": [
     "pm.test('status', () => pm.response.to.have.status(200));",
     "pm.test('schema', () => pm.response.to.have.jsonSchema({type: 'object', properties: {msg: {type: 'string'}}}));",
     "pm.test('example', () => pm.expect(pm.response.json().msg).to.eql(' Close chat request handled successfully'));"
   ]}}]}]}
EOF
}
# TOOL_cmd PORT CASES [JOBS]: the command line (words, no spaces inside).
stepci_cmd() { stepci_workflow "$1" "$2" >"$out/stepci-$1-$2.yaml"; echo "$stepci_bin" run "$out/stepci-$1-$2.yaml"; }
newman_cmd() { newman_collection "$1" >"$out/newman-$1.json"; echo "$newman_bin" run "$out/newman-$1.json" -n "$2" --reporters cli --color off; }

# passed TOOL CASES FILE: succeeds when the tool's own summary in FILE says CASES cases, all passed.
passed() {
  local f=$3
  case $1 in
    conform) grep -q "^conform: $2 cases\{0,1\}: $2 passed, 0 failed, 0 errored, 0 skipped" "$f" ;;
    conform-failing) grep -q "^conform: $2 cases\{0,1\}: 0 passed, $2 failed, 0 errored, 0 skipped" "$f" ;;
    floor) grep -q "^floor: $2 requests: $2 passed, 0 failed" "$f" ;;
    list) grep -q "^$2 cases\{0,1\}" "$f" ;;
    validate) grep -q ": valid$" "$f" ;;
    stepci) grep -q "Tests: 0 failed, $2 passed, $2 total" "$f" ;;
    newman) tr -d ' ' <"$f" | grep -q "^│iterations│$2│0│" &&
            tr -d ' ' <"$f" | grep -q "^│assertions│$((3 * $2))│0│" ;;
  esac
}
# names TOOL CHECK FILE: succeeds when FILE reports a failure of CHECK (status|schema|example).
names() {
  local pat
  case $1:$2 in
    conform:*) pat="failure $2:" ;;
    stepci:status) pat="✕ Status" ;;
    stepci:schema) pat="✕ JSON Schema" ;;
    stepci:example) pat="✕ JSONPath" ;;
    newman:*) pat="AssertionError +$2 *\$" ;;
    floor:*) pat="^floor: 1 requests: 0 passed, 1 failed" ;; # strstr cannot say which check
  esac
  sed 's/\x1b\[[0-9;]*m//g' "$3" | grep -qE -- "$pat"
}

# verify TOOL: 3 cases against the check server must pass and send exactly 3
# requests answered 200; each fault server must make the tool fail, naming the check.
verify() {
  local tool=$1 f check rc cmd
  : >"$state/check.log"
  cmd=$("${tool}_cmd" "$port_check" 3 1)
  rc=0; $cmd >"$out/verify-$tool.out" 2>&1 || rc=$?
  [ $rc -eq 0 ] && passed "$tool" 3 "$out/verify-$tool.out" ||
    die "$tool did not report 3 of 3 cases passed against the documented server (exit $rc); see $out/verify-$tool.out"
  [ "$(awk '$4 == 200' "$state/check.log" | wc -l)" -eq 3 ] && [ "$(wc -l <"$state/check.log")" -eq 3 ] ||
    die "$tool sent $(wc -l <"$state/check.log") requests for 3 cases (want 3 answered 200)"
  for f in "${faults[@]}"; do
    case $f in *status*) check=status ;; *number*) check=schema ;; *) check=example ;; esac
    cmd=$("${tool}_cmd" "${port_fault[$f]}" 1 1)
    rc=0; $cmd >"$out/verify-$tool-$f.out" 2>&1 || rc=$?
    [ $rc -ne 0 ] || die "$tool passed against --fault $f: it does not check the $check; see $out/verify-$tool-$f.out"
    names "$tool" "$check" "$out/verify-$tool-$f.out" ||
      die "$tool failed against --fault $f (exit $rc) without naming the $check check; see $out/verify-$tool-$f.out"
  done
  echo "bench: $tool checks status, schema and example (3 fault servers fail it, 3 requests for 3 cases)" >&2
}

# once LABEL TOOL CASES CMD...: one timed run; appends "label cases wall_s
# rss_kb cpu_s" to $out/raw (wall: the shell's clock; peak RSS and user+sys
# CPU of the tool's process: GNU time). The run must pass all CASES cases.
once() {
  local label=$1 tool=$2 n=$3 t0 t1 rc=0 want=0; shift 3
  [ "$tool" = conform-failing ] && want=1
  t0=$EPOCHREALTIME
  # Only the end of the output is kept: 2,000,000 cases print ~100 MB.
  # (pipefail: the pipeline fails with the tool; PIPESTATUS still holds its code)
  /usr/bin/time -f "%M %U %S" -o "$out/.time" "$@" 2>"$out/$label.err" | tail -n 40 >"$out/$label.out" ||
    rc=${PIPESTATUS[0]}
  t1=$EPOCHREALTIME
  rm -f "$out/junit.xml"
  if [ "$rc" -ne $want ] || ! passed "$tool" "$n" "$out/$label.out"; then
    echo "bench: $label: exit $rc; last lines of its output:" >&2
    tail -n 5 "$out/$label.err" "$out/$label.out" >&2
    die "$label did not $([ $want = 1 ] && echo fail || echo pass) all $n cases"
  fi
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" '{ r = $1; c = $2 + $3 }
    END { printf "%s %d %.4f %d %.2f\n", l, n, b - a, r, c }' "$out/.time" >>"$out/raw"
}

# Start-up: exec to the first request, two ways. strace (seccomp-bpf: only
# execve/connect stop the process): execve to the connect() to the server.
# No tracer: the shell's clock before the command to the server's access-log
# time of the first request (millisecond resolution, after the body was read).
startup() { # TOOL (conform or floor): appends to startup-strace-TOOL and startup-log-TOOL
  local tool=$1 t0 t1
  strace -f --seccomp-bpf -ttt -e trace=execve,connect -o "$out/.strace" \
    $("${tool}_cmd" "$port" 1 1) >/dev/null 2>&1 || die "$tool (1 case, under strace) failed"
  awk '/execve\(/ && !t0 { t0 = $2 } /connect\(.*sin_port=htons\('"$port"'\)/ && !t1 { t1 = $2 }
       END { if (t0 && t1) printf "%.1f\n", (t1 - t0) * 1000 }' "$out/.strace" >>"$out/startup-strace-$tool"
  : >"$state/check.log"
  t0=$EPOCHREALTIME
  $("${tool}_cmd" "$port_check" 1 1) >/dev/null 2>&1 || die "$tool (1 case) failed"
  [ -s "$state/check.log" ] || die "$tool's start-up request is not in the access log"
  t1=$(date -u -d "$(awk 'NR == 1 { print $1 }' "$state/check.log")" +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$out/startup-log-$tool"
}

# Load: a generated suite of --load-cases cases (conform list: loaded,
# validated against its spec and listed) and a generated OpenAPI document of
# about --load-mb MB (conform validate: the whole document loaded, every
# operation's schemas compiled, one body validated). Both are written once.
gen_suite() { # N > file
  awk -v n="$1" -v spec="$PWD/specs/rocketchat-rasa.yaml" 'BEGIN {
    printf "suite: \"bench: %d cases\"\nspec: %s\ntarget: rocketchat\n", n, spec
    print "operation: post-api-apps-public-app-id-incoming"
    print "defaults:\n  path: {app-id: \"{{app_id}}\"}"
    print "  headers: {X-Auth-Token: \"{{auth_token}}\", X-User-Id: \"{{user_id}}\"}\ncases:"
    for (i = 0; i < n; i++)
      printf "  - id: close-chat-%d\n    request:\n      body: {action: close-chat, sessionId: room-%d}\n" \
             "    expect:\n      status: 200\n      example: Close chat\n", i, i
  }'
}
gen_spec() { # MB > file: operations with path parameters, responses, named schemas sharing Meta and Link
  awk -v mb="$1" 'BEGIN {
    print "openapi: 3.0.3\ninfo: {title: bench load, version: \"1\"}\npaths:"
    for (n = 0; bytes < mb * 1000000 * 0.55; n++) {
      s = sprintf("  /items%d/{id}:\n    get:\n      operationId: get-item-%d\n      parameters:\n" \
        "        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}\n" \
        "      responses:\n        \"200\":\n          description: the item\n          content:\n" \
        "            application/json:\n              schema: {$ref: \"#/components/schemas/Item%d\"}\n" \
        "        \"404\": {$ref: \"#/components/responses/NotFound\"}\n", n, n, n)
      printf "%s", s; bytes += length(s)
    }
    print "components:\n  responses:\n    NotFound:\n      description: no such item"
    print "      content:\n        application/json:\n          schema: {$ref: \"#/components/schemas/Error\"}"
    print "  schemas:\n    Error: {type: object, required: [code], properties: {code: {type: integer}, message: {type: string}}}"
    print "    Meta: {type: object, properties: {created: {type: string, format: date-time}, etag: {type: string}}}"
    print "    Link: {type: object, required: [href], properties: {href: {type: string}, rel: {type: string}}}"
    for (i = 0; i < n; i++)
      printf "    Item%d:\n      type: object\n      required: [id, name]\n      properties:\n" \
             "        id: {type: string, format: uuid}\n        name: {type: string, maxLength: 100}\n" \
             "        tags: {type: array, items: {type: string}}\n        meta: {$ref: \"#/components/schemas/Meta\"}\n" \
             "        links: {type: array, items: {$ref: \"#/components/schemas/Link\"}}\n", i
  }'
}
list_cmd() { echo "$conform_bin" list --config bench/conform.yaml "$out/load-suite.yaml"; }
validate_cmd() {
  echo "$conform_bin" validate --spec "$out/load-spec.yaml" --operation get-item-0 --status 200 "$out/load-body.json"
}

# wrk: the raw request rate over 8 connections, same request, no checks.
printf '%s\n' 'wrk.method = "POST"' \
  "wrk.body = '{\"action\":\"close-chat\",\"sessionId\":\"bench-room\"}'" \
  'wrk.headers["Content-Type"] = "application/json"' \
  'wrk.headers["X-Auth-Token"] = "demo-auth-token"' \
  'wrk.headers["X-User-Id"] = "demo-user-id"' >"$out/wrk.lua"
wrk_once() {
  wrk -t2 -c8 -d3s -s "$out/wrk.lua" "$base$path" >"$out/wrk.out" 2>&1 || die "wrk failed: $(tail -3 "$out/wrk.out")"
  ! grep -qE 'Non-2xx|Socket errors' "$out/wrk.out" || die "wrk saw errors: $(grep -E 'Non-2xx|Socket errors' "$out/wrk.out")"
  grep -q 'Requests/sec' "$out/wrk.out" || die "wrk printed no Requests/sec: $(tail -3 "$out/wrk.out")"
  awk '/Requests\/sec/ { print $2 }' "$out/wrk.out" >>"$out/wrk"
}

echo "bench: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg);" \
     "servers on 127.0.0.1:$port (timed) and $((1 + ${#faults[@]})) check servers" >&2
verify conform
verify floor
if [ $skip_peers -eq 0 ]; then verify stepci; verify newman; fi
gen_suite "$load_cases" >"$out/load-suite.yaml"
gen_spec "$load_mb" >"$out/load-spec.yaml"
echo '{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "x", "links": [{"href": "/x"}]}' >"$out/load-body.json"
load_size=$(stat -c %s "$out/load-spec.yaml") suite_size=$(stat -c %s "$out/load-suite.yaml")
echo "bench: generated $out/load-suite.yaml ($load_cases cases, $suite_size bytes), $out/load-spec.yaml ($load_size bytes)" >&2

# The tools take turns (round robin), so a burst of load from other users of
# the machine hits all of them alike rather than one tool's block of runs.
c_j1=$(conform_cmd "$port" "$cases" 1) c_j4=$(conform_cmd "$port" "$big" 4) f_j1=$(floor_cmd "$port" "$cases")
c_fail=$(conform_cmd "${port_fault[rasa-msg-number]}" "$fail_cases" 4 -v)
what="conform ($cases cases --jobs 1, $big --jobs 4, start-up), the libcurl floor ($cases requests, 1 request, start-up), load ($load_cases-case list, ${load_mb} MB document) and wrk -t2 -c8 -d3s in $runs rounds;"
what="$what peak RSS at $rss_sizes passing (--jobs 4) and $fail_cases failing cases (-v, --jobs 4) in $rss_runs round(s) above 10,000 cases"
rounds=$runs
[ "$rss_runs" -gt "$rounds" ] && rounds=$rss_runs
if [ $skip_peers -eq 0 ]; then
  c_stepci=$(stepci_cmd "$port" "$cases") c_newman=$(newman_cmd "$port" "$cases")
  [ "$peer_runs" -gt "$rounds" ] && rounds=$peer_runs
  what="$what; Step CI ($cases tests, its default concurrency: all at once) and Newman ($cases iterations, sequential) in $peer_runs"
fi
echo "bench: $what" >&2
: >"$out/raw"; : >"$out/wrk"
for t in conform floor; do : >"$out/startup-strace-$t"; : >"$out/startup-log-$t"; done
for ((r = 1; r <= rounds; r++)); do
  echo "bench: round $r/$rounds (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  if [ "$r" -le "$runs" ]; then
    once conform-j1 conform "$cases" $c_j1
    once floor-j1 floor "$cases" $f_j1
  fi
  if [ $skip_peers -eq 0 ] && [ "$r" -le "$peer_runs" ]; then
    once stepci stepci "$cases" $c_stepci
    once newman newman "$cases" $c_newman
  fi
  if [ "$r" -le "$runs" ]; then
    once conform-j4 conform "$big" $c_j4
    wrk_once
    once floor-1 floor 1 $(floor_cmd "$port" 1)
    startup conform
    startup floor
    once list-suite list "$load_cases" $(list_cmd)
    once load-spec validate 1 $(validate_cmd)
  fi
  for n in $rss_sizes; do
    if [ "$r" -le "$runs" ] && { [ "$n" -le 10000 ] || [ "$r" -le "$rss_runs" ]; }; then
      once "rss-$n" conform "$n" $(conform_cmd "$port" "$n" 4)
    fi
  done
  if [ "$r" -le "$rss_runs" ]; then once rss-fail-v conform-failing "$fail_cases" $c_fail; fi
done

# --- report ---------------------------------------------------------------------
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
col() { awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$out/raw" | median; }
count() { awk -v l="$1" '$1 == l' "$out/raw" | wc -l; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
{
  echo "conform bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  [ $skip_peers -eq 0 ] && echo "node $(node --version), stepci $(have stepci), newman $(have newman), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  printf '\n%-14s %5s %8s %9s %12s %8s %13s\n' tool runs cases wall_s cases_per_s cpu_s peak_RSS_MiB
  labels="conform-j1 floor-j1 conform-j4 floor-1"
  for n in $rss_sizes; do labels="$labels rss-$n"; done
  for label in $labels rss-fail-v list-suite load-spec stepci newman; do
    [ "$(count "$label")" -gt 0 ] || continue
    awk -v l="$label" -v k="$(count "$label")" -v n="$(col "$label" 2)" -v w="$(col "$label" 3)" -v r="$(col "$label" 4)" \
      -v c="$(col "$label" 5)" 'BEGIN { printf "%-14s %5d %8d %9.3f %12.0f %8.2f %13.1f\n", l, k, n, w, n / w, c, r / 1024 }'
  done
  printf '%-14s %5d %8s %9.3f %12.0f %8s %13s\n' "wrk -c8" "$runs" - 3 "$(median <"$out/wrk")" - -
  echo "(medians; wall: elapsed; cpu_s: user+sys of the tool's process, not the server's; conform-j1: --jobs 1;"
  echo " floor-j1: bench/floor.c, $cases requests on one libcurl handle with the same checks; floor-1: one request;"
  echo " rss-N: conform --repeat N --jobs 4, all passing; rss-fail-v: --repeat $fail_cases --jobs 4 -v against --fault rasa-msg-number, all failing;"
  echo " list-suite: conform list of a generated $load_cases-case suite ($suite_size bytes); load-spec: conform validate against a generated $load_size-byte OpenAPI document;"
  echo " stepci: its default concurrency, all tests at once; newman: sequential iterations; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
  for t in conform floor; do
    echo "$t start to first request: $(median <"$out/startup-strace-$t") ms (strace, execve to connect), $(median <"$out/startup-log-$t") ms (no tracer, shell clock to access log); medians of $runs"
  done
  echo "load: $(awk -v n="$load_cases" -v w="$(col list-suite 3)" 'BEGIN { printf "%.0f cases/s", n / w }') ($load_cases-case suite listed, $(awk -v b="$suite_size" -v w="$(col list-suite 3)" 'BEGIN { printf "%.1f MB/s", b / w / 1e6 }')), $(awk -v b="$load_size" -v w="$(col load-spec 3)" 'BEGIN { printf "%.1f MB/s", b / w / 1e6 }') (OpenAPI document loaded and compiled)"
  echo
  verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = (op == ">=" ? v >= g : v <= g); printf "%s", ok ? "met" : "NOT met" }'; }
  line() { printf '%-58s %9s  (goal %s: %s)\n' "$1" "$2" "$3" "$(verdict "${2%[x%]*}" "$4" "$5")"; }
  c1=$(col conform-j1 3) c4=$(col conform-j4 3) f1=$(col floor-j1 3) wrk_rate=$(median <"$out/wrk")
  floor_rss=$(col floor-1 4) floor_up=$(median <"$out/startup-log-floor")
  big_rss=$(for n in $rss_sizes; do echo "$n"; done | sort -n | tail -1)
  echo "goals of issue #15 (floor: bench/floor.c in this run, peak RSS $(mib "$floor_rss") MiB, start to first request $floor_up ms):"
  line "peak RSS, $big_rss passing cases, MiB:" "$(mib "$(col "rss-$big_rss" 4)")" "<= floor + 2 = $(mib $((floor_rss + 2048)))" "$(mib $((floor_rss + 2048)))" '<='
  line "peak RSS, $fail_cases failing cases with -v, MiB:" "$(mib "$(col rss-fail-v 4)")" "<= floor + 2 = $(mib $((floor_rss + 2048)))" "$(mib $((floor_rss + 2048)))" '<='
  line "conform --jobs 1 / bare libcurl loop, $cases cases:" "$(awk -v a="$c1" -v b="$f1" 'BEGIN { printf "%.2fx", a / b }')" "<= 1.2x" 1.2 '<='
  line "conform --jobs 4 rate / wrk rate:" "$(awk -v n="$big" -v w="$c4" -v x="$wrk_rate" 'BEGIN { printf "%.1f%%", 100 * n / w / x }')" ">= 40%" 40 '>='
  line "start to first request (no tracer), ms:" "$(median <"$out/startup-log-conform")" "<= floor + 3 = $(awk -v f="$floor_up" 'BEGIN { print f + 3 }')" "$(awk -v f="$floor_up" 'BEGIN { print f + 3 }')" '<='
  line "$load_cases-case suite loaded and listed, s:" "$(col list-suite 3)" "<= 1" 1 '<='
  line "$(awk -v b="$load_size" 'BEGIN { printf "%.1f", b / 1e6 }') MB OpenAPI document loaded, s:" "$(col load-spec 3)" "<= 1" 1 '<='
  if [ $skip_peers -eq 0 ]; then
    echo "comparisons of issue #6:"
    line "Step CI / conform wall, $cases cases:" "$(awk -v a="$(col stepci 3)" -v b="$c1" 'BEGIN { printf "%.1fx", a / b }')" ">= 50x" 50 '>='
    line "Newman / conform wall, $cases cases:" "$(awk -v a="$(col newman 3)" -v b="$c1" 'BEGIN { printf "%.1fx", a / b }')" ">= 200x" 200 '>='
  else
    echo "Step CI, Newman: skipped (--skip-peers)"
  fi
} | tee "$out/results.txt"
