#!/usr/bin/env bash
# finding-types.sh SOURCE_DIR: one list of finding types. Every type the code
# records (the 4th argument of cf_case_add_finding, `type = "..."` of a
# transport failure, the names http.c's failure_type returns), every type the
# detection matrix expects (tests/detection/expectations.tsv) and every type
# the reference server's fault catalogue names (.expect in faults.c) must be
# in the table of runner/engine/result.c. Prints each stray name.
set -u
cd "$1" || exit 1
table=$(sed -n '/BEGIN finding types/,/END finding types/p' runner/engine/result.c |
        sed -n 's/^ *{"\([a-z-]*\)",.*/\1/p' | sort -u)
[ -n "$table" ] || { echo "no finding-type table in runner/engine/result.c"; exit 1; }
used=$(
  for f in $(git ls-files 'runner/*.c' 'cli/*.c' 2>/dev/null || find runner cli -name '*.c'); do
    perl -0777 -ne 'while (/cf_case_add_finding\(\s*[^,]+,\s*[^,]+,\s*[^,]+,\s*"([a-z-]+)"/g) { print "$1\n" }
                    while (/(?:fail|f)->type\s*=\s*"([a-z-]+)"/g) { print "$1\n" }
                    if (/failure_type\(CURLcode[^{]*\{(.*?)\n\}/s) { my $b = $1; while ($b =~ /return "([a-z-]+)"/g) { print "$1\n" } }' "$f"
  done
  grep -v '^#' tests/detection/expectations.tsv 2>/dev/null | cut -f5 | grep -vx -- '-' | tr '|' '\n'
  sed -n 's/.*\.expect = "\([a-z|-]*\)".*/\1/p' refserver/core/faults.c | tr '|' '\n'
)
bad=0
for t in $(echo "$used" | grep -v '^$' | sort -u); do
  if ! echo "$table" | grep -qx -- "$t"; then
    echo "finding type '$t' is used but not in the table of runner/engine/result.c"
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "ok: $(echo "$used" | grep -v '^$' | sort -u | wc -l) finding types used, all in the table of $(echo "$table" | wc -l)"
exit $bad
