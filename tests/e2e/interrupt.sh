#!/usr/bin/env bash
# interrupt.sh BUILD_DIR SOURCE_DIR: an interrupted run still writes a
# complete, XSD-valid report (the case under way finishes, the rest are
# skipped as "not run: the run was interrupted") and exits 1.
set -u
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-interrupt.XXXXXX")
trap '"$src/tests/lib/refserver-stop.sh" "$work/server" >/dev/null 2>&1; rm -rf "$work"' EXIT
port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/server" \
       --stateless --fault rasa-slow --fault-delay-ms 1000) || exit 1
cat >"$work/conform.yaml" <<EOF2
targets:
  rc: {base_url: "http://127.0.0.1:$port"}
EOF2
{
  printf 'suite: interrupt\ntarget: rc\ncases:\n'
  for i in 1 2 3 4 5 6; do
    printf '  - {id: slow-%s, method: POST, path: /api/apps/public/646b8e7d-f1e1-419e-9478-10d0f5bc74d9/incoming, request: {headers: {X-Auth-Token: demo-auth-token, X-User-Id: demo-user-id}, body: {action: close-chat, sessionId: r}}}\n' "$i"
  done
} >"$work/suite.yaml"
cd "$work" || exit 1
"$build/conform" run --jobs 1 --timeout 5000 -o junit.xml suite.yaml >out.txt 2>err.txt &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
fail=0
[ "$rc" -eq 1 ] || { echo "FAIL: exit $rc, expected 1"; fail=1; }
[ -f junit.xml ] || { echo "FAIL: no report"; fail=1; }
grep -q 'not run: the run was interrupted' junit.xml || { echo "FAIL: no interrupted skips in the report"; fail=1; }
grep -q 'name="slow-1"' junit.xml || { echo "FAIL: the finished case is missing"; fail=1; }
n=$(grep -c '<testcase ' junit.xml)
[ "$n" -eq 6 ] || { echo "FAIL: $n testcases in the report, expected 6"; fail=1; }
grep -q 'interrupted: finishing the cases under way' err.txt || { echo "FAIL: no message on stderr"; fail=1; }
xsd="$src/../shared/data/junit/jenkins-xunit-junit-10.xsd"
if [ -f "$xsd" ] && command -v xmllint >/dev/null; then
  xmllint --noout --schema "$xsd" junit.xml 2>/dev/null || { echo "FAIL: report does not validate"; fail=1; }
fi
[ $fail -eq 0 ] || { echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt; exit 1; }
echo "ok: interrupted run exited 1 with a complete report ($n cases)"
