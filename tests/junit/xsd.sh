#!/usr/bin/env bash
# Validates every golden JUnit file, and a report built from hostile bytes,
# against the Jenkins xunit schema.
# Usage: xsd.sh JUNIT_GOLDEN SHARED_DATA CASES_DIR OUTDIR
# Exit: 0 all valid, 1 a file is invalid, 77 skipped (no schema or xmllint).
set -uo pipefail
prog=$1 shared=$2 cases=$3 outdir=$4
xsd=$shared/junit/jenkins-xunit-junit-10.xsd

if [ ! -f "$xsd" ]; then
  echo "skipped: $xsd not found (the shared test data lives in ../shared/data)"
  exit 77
fi
if ! command -v xmllint >/dev/null 2>&1; then
  echo "skipped: xmllint not found (Debian: apt-get install libxml2-utils)"
  exit 77
fi

shopt -s nullglob
files=("$cases"/*.xml)
if [ ${#files[@]} -eq 0 ]; then
  echo "FAIL: no golden files in $cases"
  exit 1
fi
rm -f "$outdir/hostile.xml"
if ! "$prog" --hostile "$outdir/hostile.xml"; then
  echo "FAIL: junit-golden --hostile could not write $outdir/hostile.xml"
  exit 1
fi
files+=("$outdir/hostile.xml")

# xmllint prints "FILE validates" or the errors for each file and exits
# nonzero when any file is not well-formed or not valid.
if ! xmllint --noout --schema "$xsd" "${files[@]}"; then
  echo "FAIL: not valid against $xsd"
  exit 1
fi
echo "ok: ${#files[@]} files valid against $xsd"
