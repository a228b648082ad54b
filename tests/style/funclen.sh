#!/usr/bin/env bash
# funclen.sh SOURCE_DIR [LIMIT]: no function of the product code (runner/,
# cli/, refserver/) is longer than LIMIT lines (80; docs/INTERNALS.md),
# counted from its opening to its closing brace, unless it is listed in
# tests/style/funclen.allow as "FILE FUNCTION reason..." (one line each, the
# reason required). Prints every long function (and fails) and every stale
# allow-list line (a note only: whoever splits a listed function need not
# also edit this list in the same step).
#
# A brace scanner, not a parser: it skips comments, strings and character
# literals, and takes a top-level "{" whose preceding declaration has a "("
# and no "=" as the start of a function body (the code is clang-formatted,
# so preprocessor lines never hold a function's braces).
set -u
cd "$1" || exit 1
limit=${2:-80}
files=$(git ls-files 'runner/*.c' 'cli/*.c' 'refserver/*.c' 2>/dev/null ||
  find runner cli refserver -name '*.c' | sort)
# shellcheck disable=SC2086
perl -e '
  my ($limit, $allowf, @files) = @ARGV;
  my (%allow, $bad);
  if (open my $a, "<", $allowf) {
    while (<$a>) {
      next if /^\s*(#|$)/;
      my ($f, $fn, $why) = /^(\S+)\s+(\S+)\s*(.*?)\s*$/;
      if (!defined $why || $why eq "") { print "allow-list line without a reason: $_"; $bad = 1; next }
      $allow{"$f $fn"} = 0;
    }
  }
  my ($long, $allowed) = (0, 0);
  for my $f (@files) {
    open my $fh, "<", $f or die "$f: $!";
    my ($depth, $decl, $start, $name, $in_comment) = (0, "", 0, "", 0);
    while (my $line = <$fh>) {
      my $s = $line;
      if ($in_comment) { if ($s =~ s{^.*?\*/}{}) { $in_comment = 0 } else { next } }
      next if $depth == 0 && $s =~ /^\s*#/;
      $s =~ s{"(?:\\.|[^"\\])*"}{""}g;
      $s =~ s{\x27(?:\\.|[^\x27\\])*\x27}{0}g;
      $s =~ s{/\*.*?\*/}{ }g;
      $s =~ s{//.*}{};
      if ($s =~ s{/\*.*}{}) { $in_comment = 1 }
      for my $c (split //, $s) {
        if ($c eq "{") {
          if ($depth == 0) {
            $start = 0;
            if ($decl =~ /\(/ && $decl !~ /=/) {
              $start = $.;
              ($name) = $decl =~ /(\w+)\s*\((?:[^()]|\([^()]*\))*\)\s*$/s;
              $name //= "?";
            }
          }
          $depth++;
        } elsif ($c eq "}") {
          $depth-- if $depth > 0;
          if ($depth == 0) {
            if ($start) {
              my $n = $. - $start + 1;
              if ($n > $limit) {
                my $key = "$f $name";
                if (exists $allow{$key}) { $allow{$key}++; $allowed++ }
                else { print "$f:$start: $name is $n lines (limit $limit): split it, or list it with a reason in tests/style/funclen.allow\n"; $bad = 1 }
                $long++;
              }
            }
            $start = 0; $decl = "";
          }
        } elsif ($depth == 0) {
          if ($c eq ";") { $decl = "" } else { $decl .= $c }
        }
      }
    }
  }
  for my $k (sort keys %allow) {
    next if $allow{$k};
    print "note: stale allow-list line: $k is not over $limit lines (any more): remove it from tests/style/funclen.allow\n";
  }
  print "ok: no function over $limit lines outside the allow-list ($allowed allowed)\n" unless $bad;
  exit($bad ? 1 : 0);
' "$limit" tests/style/funclen.allow $files
