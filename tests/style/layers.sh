#!/usr/bin/env bash
# layers.sh SOURCE_DIR: the runner's folders form a pipeline and includes
# only point backwards along it (docs/INTERNALS.md):
#   base < doc < schema < spec < suite < derive, lint < engine < ledger, coverage
#        < report < cli
# A folder not in this list fails the check: place a new one in the pipeline.
# No two modules (a .c with its .h; X_internal.h belongs to X) include each
# other, directly or through others (tsort finds the cycles). Prints each
# violation.
set -u
cd "$1" || exit 1
files=$(git ls-files 'runner/*.[ch]' 'cli/*.[ch]' 2>/dev/null || find runner cli -name '*.[ch]')
edges=$(mktemp)
trap 'rm -f "$edges" "$edges.err"' EXIT
# One perl pass prints violations on stderr and module edges on stdout.
perl -e '
  my %rank = (base => 0, doc => 1, schema => 2, spec => 3, suite => 4, derive => 5, lint => 5,
              engine => 6, ledger => 7, coverage => 7, report => 8, cli => 9);
  my $bad = 0;
  sub module { my ($dir, $path) = @_; my ($b) = $path =~ m{([^/]+)\.[ch]$}; $b =~ s/_internal$//; "$dir/$b" }
  for my $f (@ARGV) {
    my $dir = $f =~ m{^cli/} ? "cli" : (split m{/}, $f)[1];
    if (!exists $rank{$dir}) {
      print STDERR "unplaced folder: $f (add runner/$dir to the pipeline in tests/style/layers.sh and docs/INTERNALS.md)\n";
      $bad = 1; next;
    }
    my $mod = module($dir, $f);
    open my $fh, "<", $f or die "$f: $!";
    while (<$fh>) {
      next unless /^#include "([^"]+)"/;
      my $inc = $1;
      my $idir = $inc =~ m{^([^/]+)/} ? $1 : $dir;
      next unless exists $rank{$idir};
      if ($rank{$idir} > $rank{$dir}) {
        print STDERR "layer violation: $f includes $inc ($idir comes after $dir)\n"; $bad = 1;
      }
      my $imod = module($idir, $inc);
      print "$mod $imod\n" if $imod ne $mod;
    }
  }
  exit $bad;' $files >"$edges"
bad=$?
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "module cycle:"; sed 's/^/  /' "$edges.err"
  bad=1
fi
[ $bad -eq 0 ] && echo "ok: $(sort -u "$edges" | wc -l) module dependencies, all backwards along the pipeline, no cycle"
exit $bad
