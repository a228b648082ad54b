#!/usr/bin/env bash
# formats.sh BUILD SRC PROFILE EXIT: every report format on the shipped suites
# against the reference server with PROFILE, agreeing with each other: the
# console summary, JUnit, JSON (valid against docs/results.schema.json by
# conform's own validator), HTML and TAP count the same cases.
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) profile=$3 want=$4
. "$src/tests/report/lib.sh"
conform="$build/conform"
schema="$src/docs/results.schema.json"
start_server --profile "$profile"
cd "$src" || exit 1

"$conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit.xml" --json "$work/r.json" \
  --html "$work/r.html" >"$work/stdout" 2>"$work/stderr"
rc=$?
[ "$rc" -eq "$want" ] || { cat "$work/stderr"; fail "exit $rc, expected $want"; }
read -r cases passed failed errored skipped <<<"$(summary_counts "$work/stdout")"
[ -n "${cases:-}" ] || fail "no summary line on stdout"
[ -s "$work/stderr" ] && { cat "$work/stderr"; fail "stderr is not empty"; }
grep -q "^conform: JSON report: $work/r.json$" "$work/stdout" || fail "JSON report not announced"

# JSON: valid against the published schema, same counts.
"$conform" validate --schema "$schema" "$work/r.json" >"$work/validate" 2>&1 ||
  { cat "$work/validate"; fail "the JSON report does not validate against $schema"; }
totals=$(tr -d ' \n' <"$work/r.json" | grep -o '"totals":{"cases":[0-9]*,"passed":[0-9]*,"failed":[0-9]*,"errored":[0-9]*,"skipped":[0-9]*' | head -1)
[ "$totals" = "\"totals\":{\"cases\":$cases,\"passed\":$passed,\"failed\":$failed,\"errored\":$errored,\"skipped\":$skipped" ] ||
  fail "JSON totals $totals differ from the console's $cases $passed $failed $errored $skipped"
n=$(grep -c '"outcome": "failed"' "$work/r.json")
[ "$n" -eq "$failed" ] || fail "JSON has $n failed cases, the totals say $failed"
# The schema can fail: an unknown outcome and a missing member are refused.
sed 's/"outcome": "passed"/"outcome": "fine"/' "$work/r.json" >"$work/bad.json"
"$conform" validate --schema "$schema" "$work/bad.json" >/dev/null 2>&1 && fail "the schema accepts outcome \"fine\""
sed 's/"format_version": 1,//' "$work/r.json" >"$work/bad.json"
"$conform" validate --schema "$schema" "$work/bad.json" >/dev/null 2>&1 && fail "the schema accepts a missing format_version"

# JUnit: same counts.
grep -q "<testsuites name=\"conform\" tests=\"$cases\" failures=\"$failed\" errors=\"$errored\"" "$work/junit.xml" ||
  fail "JUnit totals differ: $(grep -o '<testsuites[^>]*>' "$work/junit.xml")"

# HTML: self-contained, same counts, one element per case.
grep -q "id=\"count-cases\">$cases<" "$work/r.html" || fail "HTML case count is not $cases"
grep -q "id=\"count-failed\">$failed<" "$work/r.html" || fail "HTML failed count is not $failed"
n=$(grep -o 'class="case" data-outcome="failed"' "$work/r.html" | wc -l)
[ "$n" -eq "$failed" ] || fail "HTML shows $n failed cases, expected $failed"
n=$(grep -o 'class="case" data-outcome=' "$work/r.html" | wc -l)
[ "$n" -eq "$cases" ] || fail "HTML shows $n cases, expected $cases"
grep -Eqi '<(link|img|iframe)[^>]*(href|src)=|<script[^>]*src=|url\(' "$work/r.html" &&
  fail "the HTML report refers to an external resource"

# TAP: a plan, one test point per case, not ok for each failed or errored.
"$conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit2.xml" --format tap >"$work/tap" 2>&1
head -2 "$work/tap" | tr '\n' ' ' | grep -q "^TAP version 13 1\.\.$cases " || fail "TAP plan is not 1..$cases"
n=$(grep -c '^not ok ' "$work/tap")
[ "$n" -eq $((failed + errored)) ] || fail "TAP has $n 'not ok', expected $((failed + errored))"
n=$(grep -cE '^(not )?ok [0-9]+ - ' "$work/tap")
[ "$n" -eq "$cases" ] || fail "TAP has $n test points, expected $cases"
echo "ok: $profile: $cases cases, $failed failed: console, JUnit, JSON (schema-valid), HTML and TAP agree"
