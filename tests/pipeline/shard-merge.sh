#!/usr/bin/env bash
# shard-merge.sh BUILD_DIR SOURCE_DIR: every shipped suite runs against the
# reference server (profile rasa-1.2.1, so that some cases fail) once
# unsharded and once as 3 shards (--shard K/3); `conform merge` of the
# three shard reports holds exactly the test cases of the
# unsharded report (suite, file, case, outcome and the type and message of
# each failure, error or skip), with the same totals, times and run
# properties aside; both validate against the Jenkins XSD.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
xsd="$src/../shared/data/junit/jenkins-xunit-junit-10.xsd"
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-shardmerge.XXXXXX")
trap '"$src/tests/lib/refserver-stop.sh" "$work/server" >/dev/null 2>&1; rm -rf "$work"' EXIT
port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/server" --port 0 \
       --profile rasa-1.2.1) || { echo "FAIL: server did not start"; exit 1; }
cd "$src"
run() { "$build/conform" run -b "http://127.0.0.1:$port" "$@" suites >"$work/out" 2>&1; }
run -o "$work/all.xml"
rc=$?
grep '^conform: [0-9]* cases' "$work/out"
[ $rc -le 1 ] || { echo "FAIL: the unsharded run exited $rc"; cat "$work/out"; exit 1; }
for k in 1 2 3; do
  run --shard "$k/3" -o "$work/shard$k.xml"
  rc=$?
  echo "shard $k/3: $(grep '^conform: [0-9]* cases' "$work/out")"
  [ $rc -le 1 ] || { echo "FAIL: shard $k/3 exited $rc"; cat "$work/out"; exit 1; }
done
"$build/conform" merge -o "$work/merged.xml" "$work"/shard{1,2,3}.xml || { echo "FAIL: merge"; exit 1; }
# One line per test case, sorted: what must be equal apart from times.
cases() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
out = []
for s in root.iter("testsuite"):
    for c in s.iter("testcase"):
        kids = ";".join("%s[%s|%s]" % (k.tag, k.get("type", ""), k.get("message", ""))
                        for k in c if k.tag not in ("system-out", "system-err"))
        out.append("\t".join([s.get("name"), s.get("file", ""), c.get("classname"), c.get("name"), kids]))
t = root
print("totals tests=%s failures=%s errors=%s" % (t.get("tests"), t.get("failures"), t.get("errors")))
print("\n".join(sorted(out)))
PY
}
cases "$work/all.xml" >"$work/all.txt"
cases "$work/merged.xml" >"$work/merged.txt"
fail=0
if ! diff "$work/all.txt" "$work/merged.txt"; then
  echo "FAIL: the merged shards differ from the unsharded report"; fail=1
fi
echo "unsharded: $(head -1 "$work/all.txt"), $(($(wc -l <"$work/all.txt") - 1)) test cases"
echo "merged:    $(head -1 "$work/merged.txt"), $(($(wc -l <"$work/merged.txt") - 1)) test cases"
if [ -f "$xsd" ] && command -v xmllint >/dev/null; then
  for f in all merged; do
    xmllint --noout --schema "$xsd" "$work/$f.xml" 2>"$work/xsd.err" ||
      { echo "FAIL: $f.xml is not valid against the Jenkins XSD"; cat "$work/xsd.err"; fail=1; }
  done
fi
exit $fail
