#!/usr/bin/env bash
# format.sh SOURCE_DIR: every C file follows .clang-format (skipped, exit 77,
# when clang-format is not installed).
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "skipped: clang-format is not installed"; exit 77; }
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find runner refserver tests -name '*.[ch]')
bad=0
for f in $files; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f (run clang-format -i $f)"; bad=1; }
done
[ $bad -eq 0 ] && echo "ok: $(echo "$files" | wc -w) files follow .clang-format"
exit $bad
