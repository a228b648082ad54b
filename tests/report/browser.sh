#!/usr/bin/env bash
# browser.sh BUILD SRC: the HTML report of the rasa-1.2.1 run, rendered by
# headless Chromium (Debian's chromium package): the DOM after the page's
# script ran shows the counts and a failing case's finding. Skipped with a
# message where Chromium is absent (scripts/deps installs it).
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
. "$src/tests/report/lib.sh"
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "skipped: chromium is not installed (apt-get install chromium)"; exit 77; }
cd "$src" || exit 1
start_server --profile rasa-1.2.1
"$build/conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit.xml" --html "$work/r.html" \
  >"$work/stdout" 2>&1
[ $? -eq 1 ] || fail "the rasa-1.2.1 run did not exit 1: $(tail -3 "$work/stdout")"
read -r cases passed failed errored skipped <<<"$(summary_counts "$work/stdout")"

# Offline and isolated: a fresh profile, nothing fetched, no sandbox (root in CI).
timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --dump-dom "file://$work/r.html" >"$work/dom.html" 2>"$work/chrome.err"
[ -s "$work/dom.html" ] || { tail -5 "$work/chrome.err"; fail "Chromium produced no DOM"; }
grep -q "id=\"count-cases\">$cases<" "$work/dom.html" || fail "DOM: case count is not $cases"
grep -q "id=\"count-failed\">$failed<" "$work/dom.html" || fail "DOM: failed count is not $failed"
grep -q "id=\"count-passed\">$passed<" "$work/dom.html" || fail "DOM: passed count is not $passed"
# The script ran: the filter bar, hidden without JavaScript, is shown.
grep -q '<div id="filters">' "$work/dom.html" || fail "DOM: the filter script did not run"
# A failing case: open, its finding with the JSON Pointer of the difference.
case=$(tr -d '\n' <"$work/dom.html" | grep -o '<details class="case" data-outcome="failed" open=""><summary><span class="badge failed">FAIL</span> <code class="id">close-chat-ok</code>.*' | sed 's|</details>\(<div\|<details class="case"\).*||')
[ -n "$case" ] || fail "DOM: close-chat-ok is not an open failed case"
grep -q '<b>failure example</b>: body does not match the example' <<<"$case" || fail "DOM: close-chat-ok lacks its example finding"
grep -q '<code class="ptr">/msg</code>: missing' <<<"$case" || fail "DOM: the finding does not show the pointer /msg"
grep -q '<details class="transcript"><summary>' <<<"$case" || fail "DOM: no collapsed transcript"
echo "ok: Chromium renders $cases cases, $failed failed, and close-chat-ok's finding at /msg"
