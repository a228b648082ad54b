#!/usr/bin/env bash
# layers.sh SOURCE_DIR: the runner's folders form a pipeline and includes
# only point backwards along it (docs/INTERNALS.md):
#   base < doc < schema < spec < suite < derive, lint < engine < ledger, coverage
#        < report < cli
# A folder not in this list fails the check: place a new one in the pipeline.
# and no two modules (a .c with its .h) include each other, directly or
# through others (tsort finds the cycles). Prints each violation.
set -u
cd "$1" || exit 1
rank() {
  case "$1" in
    base) echo 0 ;; doc) echo 1 ;; schema) echo 2 ;; spec) echo 3 ;; suite) echo 4 ;;
    derive | lint) echo 5 ;; engine) echo 6 ;; ledger | coverage) echo 7 ;; report) echo 8 ;;
    cli) echo 9 ;; *) echo 99 ;;
  esac
}
bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in $(git ls-files 'runner/*.[ch]' 'cli/*.[ch]' 2>/dev/null || find runner cli -name '*.[ch]'); do
  case "$f" in cli/*) dir=cli ;; *) dir=$(echo "$f" | cut -d/ -f2) ;; esac
  # X_internal.h belongs to module X (private declarations of one module).
  mod="$dir/$(basename "${f%.*}")"
  mod=${mod%_internal}
  r=$(rank "$dir")
  if [ "$r" -eq 99 ]; then
    echo "unplaced folder: $f (add runner/$dir to the pipeline in tests/style/layers.sh and docs/INTERNALS.md)"
    bad=1
  fi
  while read -r inc; do
    case "$inc" in */*) idir=${inc%%/*} ;; *) idir=$dir ;; esac
    imod="$idir/$(basename "${inc%.*}")"
    imod=${imod%_internal}
    ir=$(rank "$idir")
    if [ "$ir" -eq 99 ]; then continue; fi
    if [ "$ir" -gt "$r" ]; then
      echo "layer violation: $f includes $inc ($idir comes after $dir)"
      bad=1
    fi
    [ "$imod" != "$mod" ] && echo "$mod $imod" >>"$edges"
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "module cycle:"; sed 's/^/  /' "$edges.err"
  bad=1
fi
rm -f "$edges.err"
[ $bad -eq 0 ] && echo "ok: $(sort -u "$edges" | wc -l) module dependencies, all backwards along the pipeline, no cycle"
exit $bad
