#!/usr/bin/env bash
# One golden-file test: builds the report cases/NAME.json describes and
# compares the written file with cases/NAME.xml byte for byte.
# Usage: golden.sh JUNIT_GOLDEN CASES/NAME.json OUTDIR
# With CONFORM_UPDATE_GOLDEN=1 the output replaces cases/NAME.xml instead.
# Exit: 0 pass (or updated), 1 fail (with cmp and diff -u output).
set -uo pipefail
prog=$1 case=$2 outdir=$3
name=$(basename "$case" .json)
expected=${case%.json}.xml
out=$outdir/$name.xml

rm -f "$out"
# cf_junit_write creates OUTDIR itself (mkdir -p), so that path is exercised too.
if ! "$prog" "$case" "$out"; then
  echo "FAIL: junit-golden could not build or write $case"
  exit 1
fi
if [ "${CONFORM_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$expected" && echo "updated: $expected"
  exit $?
fi
if [ ! -f "$expected" ]; then
  echo "FAIL: no golden file $expected"
  echo "(create it: CONFORM_UPDATE_GOLDEN=1 ctest -R junit.golden.$name, then review it)"
  exit 1
fi
if cmp -s "$expected" "$out"; then
  echo "ok: $out equals $expected"
  exit 0
fi
echo "FAIL: $out differs from $expected"
cmp "$expected" "$out"
diff -u "$expected" "$out"
echo "(if the change is intended: CONFORM_UPDATE_GOLDEN=1 ctest -R junit.golden.$name, then review git diff)"
exit 1
