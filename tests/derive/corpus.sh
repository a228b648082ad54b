#!/usr/bin/env bash
# corpus.sh CONFORM CORPUS_DIR: every real-world document of the corpus
# loads (a defect disables only its part, with a warning), lints (problems are
# counted, not failed on; exit 2, unreadable, fails), derives, and its derived
# suite loads with `conform list`. Prints the figures (documents, operations,
# cases, times, lint findings by kind). Skips (77) without the corpus.
set -uo pipefail
conform=$1 corpus=$2
if [ ! -d "$corpus" ]; then
  echo "skipped: $corpus not found (the corpus lives in ../shared/data)"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
docs=("$corpus"/*.yaml "$corpus"/*.json)
docs=($(ls "${docs[@]}" 2>/dev/null))
fail=0
t0=$(date +%s%N)
"$conform" derive -o "$work/out" "${docs[@]}" >"$work/derive.txt" 2>"$work/warnings.txt" ||
  { echo "FAIL: derive exited $?"; cat "$work/warnings.txt"; fail=1; }
t1=$(date +%s%N)
{ echo "targets:"; for d in "${docs[@]}"; do n=$(basename "$d"); echo "  ${n%%.*}: {base_url: \"http://127.0.0.1:1\"}"; done; } >"$work/conform.yaml"
# All derived suites in one `conform list` (one process: the time is the
# loading); file by file only to name the ones that fail.
listed=0
if "$conform" list -c "$work/conform.yaml" "$work"/out/*.yaml >"$work/list.out" 2>"$work/list.err"; then
  listed=$(ls "$work"/out/*.yaml | wc -l)
else
  for s in "$work"/out/*.yaml; do
    if "$conform" list -c "$work/conform.yaml" "$s" >/dev/null 2>"$work/list.err"; then
      listed=$((listed + 1))
    else
      echo "FAIL: the suite derived from $(basename "$s") does not load:"; head -3 "$work/list.err"; fail=1
    fi
  done
fi
t2=$(date +%s%N)
lint_docs=0
if "$conform" lint --help >/dev/null 2>&1; then
  "$conform" lint "${docs[@]}" >"$work/lint.txt" 2>"$work/lint.err"
  rc=$?
  if [ $rc -gt 1 ]; then echo "FAIL: lint exited $rc"; tail -3 "$work/lint.err"; fail=1; fi
  lint_docs=${#docs[@]}
fi
t3=$(date +%s%N)
ops=$(awk '{n += $2} END {print n + 0}' "$work/derive.txt")
cases=$(awk '{n += $4} END {print n + 0}' "$work/derive.txt")
neg=$(sed -n 's/.*(\([0-9]*\) negative.*/\1/p' "$work/derive.txt" | awk '{n += $1} END {print n + 0}')
echo "documents: ${#docs[@]}, derived suites loaded: $listed, operations: $ops, derived cases: $cases ($neg negative)"
echo "load warnings: $(grep -c 'warning:' "$work/warnings.txt")"
grep 'warning:' "$work/warnings.txt" | sed "s|$corpus/||" | head -20
echo "time: load+derive $(( (t1 - t0) / 1000000 )) ms, list of the derived suites $(( (t2 - t1) / 1000000 )) ms, lint $(( (t3 - t2) / 1000000 )) ms"
if [ "$lint_docs" -gt 0 ]; then
  echo "lint findings: $(grep -c . "$work/lint.txt" || true) over $lint_docs documents, by kind:"
  sed -n 's/^[^ ]*: \[\([a-z-]*\)\].*/\1/p' "$work/lint.txt" | sort | uniq -c | sort -rn
fi
[ "$listed" -eq "${#docs[@]}" ] || { echo "FAIL: $listed of ${#docs[@]} derived suites loaded"; fail=1; }
exit $fail
