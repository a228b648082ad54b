#!/usr/bin/env bash
# detect.sh BUILD_DIR SOURCE_DIR FAULT [--markdown]
#
# One row of the detection matrix: starts conform-refserver with --fault FAULT
# (a harmless-* variation or a planted fault), runs every shipped suite
# against it, and checks the outcome against expectations.tsv:
#   - a fault: exit 1, and exactly the expected cases fail or error, each with
#     the expected element (<failure> for a broken contract, <error> for a
#     transport fault) and type; every other case passes or is skipped;
#   - a harmless variation: exit 0;
#   - always: the JUnit file is written and validates against the XSD; the
#     run ends well within the CTest timeout (no hang past --timeout).
# With --markdown, prints the row for docs/DETECTION.md instead of PASS.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) fault=$3 markdown=${4:-}
expect=$(awk -F'\t' -v f="$fault" '$1 == f' "$src/tests/detection/expectations.tsv")
if [ -z "$expect" ]; then
  echo "FAIL: $fault has no row in tests/detection/expectations.tsv"; exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-detect-$fault.XXXXXX")
trap '"$src/tests/lib/refserver-stop.sh" "$work/server" >/dev/null 2>&1; rm -rf "$work"' EXIT
port=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/server" \
       --fault "$fault" --fault-delay-ms 3000 --threads 16) || { echo "FAIL: server did not start"; exit 1; }
cd "$src"
start=$(date +%s)
"$build/conform" run --base-url "http://127.0.0.1:$port" --timeout 2000 --jobs 2 \
  --junit "$work/junit.xml" suites >"$work/stdout" 2>"$work/stderr"
rc=$?
took=$(( $(date +%s) - start ))
fail=0
err() { echo "FAIL: $fault: $*"; fail=1; }

[ -f "$work/junit.xml" ] || err "no JUnit file was written"
xsd="$src/../shared/data/junit/jenkins-xunit-junit-10.xsd"
if [ -f "$xsd" ] && command -v xmllint >/dev/null && [ -f "$work/junit.xml" ]; then
  xmllint --noout --schema "$xsd" "$work/junit.xml" >"$work/xsd" 2>&1 || { err "JUnit does not validate"; cat "$work/xsd"; }
fi
[ "$took" -le 60 ] || err "the run took ${took}s: something waited past the timeouts"

# Actual: "case-id element type message" for every failed or errored case
# (first finding), read from the JUnit file.
actual=$(awk '
  /<testcase / { match($0, / name="[^"]*"/); id = substr($0, RSTART + 7, RLENGTH - 8); seen = 0 }
  /<(failure|error) / && !seen {
    el = ($0 ~ /<failure /) ? "failure" : "error"
    match($0, /type="[^"]*"/); ty = substr($0, RSTART + 6, RLENGTH - 7)
    match($0, /message="[^"]*"/); msg = substr($0, RSTART + 9, RLENGTH - 10)
    print id "\t" el "\t" ty "\t" msg; seen = 1 }' "$work/junit.xml" 2>/dev/null | sort)

kind=$(cut -f2 <<<"$expect" | head -1)
if [ "$kind" = harmless ]; then
  [ "$rc" -eq 0 ] || err "a harmless variation was flagged (exit $rc): $(cut -f1-3 <<<"$actual" | tr '\n' ';')"
else
  [ "$rc" -eq 1 ] || err "expected exit 1, got $rc"
  want=$(cut -f3 <<<"$expect" | tr ',' '\n' | sort)
  got=$(cut -f1 <<<"$actual" | sort -u)
  [ "$want" = "$got" ] || err "caught by [$(echo $got)], expected exactly [$(echo $want)]"
  want_el=$(cut -f4 <<<"$expect" | head -1) want_ty=$(cut -f5 <<<"$expect" | head -1)
  while IFS=$'\t' read -r id el ty msg; do
    [ -z "$id" ] && continue
    [ "$el" = "$want_el" ] || err "$id: <$el>, expected <$want_el>"
    [[ "$ty" =~ ^($want_ty)$ ]] || err "$id: type $ty, expected $want_ty"
  done <<<"$actual"
fi
if [ $fail -ne 0 ]; then
  echo "--- conform exit $rc, stdout tail:"; tail -40 "$work/stdout"; echo "--- stderr:"; cat "$work/stderr"
  exit 1
fi
if [ "$markdown" = --markdown ]; then
  desc=$("$build/conform-refserver" --list-faults | awk -v f="$fault" '$1 == f { $1 = ""; $2 = ""; sub(/^  */, ""); sub(/ \[expect:.*$/, ""); print }')
  if [ "$kind" = harmless ]; then
    printf '| `%s` | %s | passes (exit 0) | |\n' "$fault" "$desc"
  else
    first=$(head -1 <<<"$actual")
    ids=$(cut -f1 <<<"$actual" | sort -u | sed 's/.*/`&`/' | paste -sd, - | sed 's/,/, /g')
    msg=$(cut -f4 <<<"$first" | sed -e 's/127\.0\.0\.1:[0-9]*/127.0.0.1:PORT/g' -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' -e 's/|/\\|/g')
    printf '| `%s` | %s | %s: `<%s type="%s">` | %s |\n' "$fault" "$desc" "$ids" "$(cut -f2 <<<"$first")" "$(cut -f3 <<<"$first")" "$msg"
  fi
else
  echo "ok: $fault ($kind): exit $rc, ${took}s"
fi
