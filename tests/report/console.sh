#!/usr/bin/env bash
# console.sh BUILD SRC: the console on a terminal (a pseudo-terminal from
# script(1)) and off one: colour and the live progress line only on a
# terminal, NO_COLOR and --color honoured, and CMOCKA_MESSAGE_OUTPUT changing
# nothing of what is printed.
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
. "$src/tests/report/lib.sh"
command -v script >/dev/null || { echo "skipped: script(1) (bsdutils) is not installed"; exit 77; }
conform="$build/conform"
esc=$(printf '\033')
sgr="$esc\[[0-9;]*m"
cd "$src" || exit 1

# One case that takes 1.5 s: long enough for the progress line, which starts
# after a second.
start_server --fault rasa-slow --fault-delay-ms 1500
run=("$conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit.xml" -j 1
     -f close-chat-ok suites/rocketchat-rasa/close-chat.yaml)
on_tty() { # on_tty OUT [ENV...]: runs the case on a pseudo-terminal
  local out=$1
  shift
  env -u NO_COLOR TERM=xterm "$@" script -qec "$(printf '%q ' "${run[@]}" "${extra[@]}")" /dev/null >"$out" 2>&1
}

extra=()
on_tty "$work/tty"
[ $? -eq 0 ] || fail "exit status on a terminal is not 0: $(cat -v "$work/tty")"
grep -q "${esc}\[32mPASS" "$work/tty" || fail "no green PASS on a terminal: $(cat -v "$work/tty")"
grep -q "${esc}\[K.*\[0/1\].*cases/s.*ETA" "$work/tty" || fail "no progress line on a terminal: $(cat -v "$work/tty")"
grep -q "${esc}\[1;32m1 case: 1 passed" "$work/tty" || fail "summary not coloured on a terminal"

on_tty "$work/nocolor" NO_COLOR=1
grep -q "$sgr" "$work/nocolor" && fail "NO_COLOR=1 still coloured: $(cat -v "$work/nocolor")"
grep -q "\[0/1\].*cases/s" "$work/nocolor" || fail "NO_COLOR=1 removed the progress line too"
extra=(--color never)
on_tty "$work/never"
grep -q "$sgr" "$work/never" && fail "--color never still coloured"
extra=(--color always)
on_tty "$work/always" NO_COLOR=1
grep -q "${esc}\[32mPASS" "$work/always" || fail "--color always did not beat NO_COLOR"

# Failures in red, on a terminal, when the server drifts.
start_server --profile rasa-1.2.1
run=("$conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit.xml" -j 1
     -f close-chat-ok suites/rocketchat-rasa/close-chat.yaml)
extra=()
on_tty "$work/red"
[ $? -eq 1 ] || fail "exit status of a failing run on a terminal is not 1"
grep -q "${esc}\[1;31mFAIL" "$work/red" || fail "no red FAIL on a terminal: $(cat -v "$work/red")"
grep -q "${esc}\[1;31m1 case: 0 passed, 1 failed" "$work/red" || fail "failing summary not red"

# Off a terminal: no escape sequence, no carriage return, nothing on stderr.
TERM=xterm "${run[@]}" >"$work/file" 2>"$work/err"
grep -q "$esc" "$work/file" && fail "escape sequences in a file: $(cat -v "$work/file")"
grep -q $'\r' "$work/file" && fail "carriage returns (a progress line) in a file"
[ -s "$work/err" ] && fail "stderr is not empty: $(cat "$work/err")"
grep -q "^  FAIL  close-chat-ok  suites/rocketchat-rasa/close-chat.yaml:[0-9]*$" "$work/file" ||
  fail "no FAIL line naming the case and its place: $(cat "$work/file")"
"${run[@]}" --color always >"$work/file2" 2>&1
grep -q "${esc}\[1;31mFAIL" "$work/file2" || fail "--color always not coloured in a file"
grep -q $'\r' "$work/file2" && fail "a progress line in a file with --color always"

# CMOCKA_MESSAGE_OUTPUT changes nothing: same stdout, empty stderr, no file.
start_server --profile rasa-1.2.1
run=("$conform" run --base-url "http://127.0.0.1:$port" -o "$work/junit.xml" -j 2)
norm() { sed -E 's/\([0-9.]+ s\)/(T s)/' "$1"; }
"${run[@]}" >"$work/base" 2>"$work/base.err"
for mode in STDOUT SUBUNIT TAP XML; do
  CMOCKA_MESSAGE_OUTPUT=$mode CMOCKA_XML_FILE="$work/cmocka.xml" "${run[@]}" >"$work/$mode" 2>"$work/$mode.err"
  diff <(norm "$work/base") <(norm "$work/$mode") >"$work/diff" || { cat "$work/diff"; fail "CMOCKA_MESSAGE_OUTPUT=$mode changed stdout"; }
  [ -s "$work/$mode.err" ] && fail "CMOCKA_MESSAGE_OUTPUT=$mode wrote to stderr: $(head -5 "$work/$mode.err")"
  [ -e "$work/cmocka.xml" ] && fail "CMOCKA_MESSAGE_OUTPUT=$mode wrote $work/cmocka.xml"
done
grep -Eq '\[ *(RUN|OK|FAILED|PASSED|LINE|ERROR) *\]|Failure!|^(not )?ok [0-9]' "$work/base" &&
  fail "cmocka's own lines on the console: $(grep -E 'RUN|Failure|^ok' "$work/base" | head -3)"
echo "ok: colour and progress on a terminal only, NO_COLOR and --color honoured, CMOCKA_MESSAGE_OUTPUT ignored"
