#!/usr/bin/env bash
# covered.sh REFSERVER EXPECTATIONS: the matrix and the catalogue name the same faults.
set -u
cat_names=$("$1" --list-faults | awk '{ print $1 }' | sort)
tsv_names=$(awk -F'\t' '/^[a-z]/ { print $1 }' "$2" | sort)
missing=$(comm -23 <(echo "$cat_names") <(echo "$tsv_names"))
extra=$(comm -13 <(echo "$cat_names") <(echo "$tsv_names"))
[ -z "$missing" ] && [ -z "$extra" ] && { echo "ok: $(echo "$cat_names" | wc -l) catalogue entries, all in the matrix"; exit 0; }
[ -n "$missing" ] && echo "FAIL: faults without a row in expectations.tsv: $(echo $missing)"
[ -n "$extra" ] && echo "FAIL: rows naming no fault of the catalogue: $(echo $extra)"
exit 1
