#!/usr/bin/env bash
# Runs one data-driven test, tests/data/testNNN (format: docs/tests/FILEFORMAT.md).
# Usage: runtest.sh BUILD_DIR SOURCE_DIR DATA_FILE
# Exit: 0 pass, 1 fail (with a diff), 77 skipped.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) data=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
name=$(basename "$data")
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-$name.XXXXXX")
server_state=""
cleanup() {
  [ -n "$server_state" ] && "$src/tests/lib/refserver-stop.sh" "$server_state" >/dev/null 2>&1
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# section NAME: prints the body of <NAME ...> ... </NAME> (first occurrence).
section() {
  awk -v tag="$1" '
    $0 ~ "^<" tag "( [^>]*)?>$" && !done { on = 1; next }
    $0 ~ "^</" tag ">$" && on { on = 0; done = 1; next }
    on { print }' "$data"
}
has_section() { grep -q "^<$1[ >]" "$data"; }

shared="$src/../shared/data"
if has_section needs-shared && [ ! -d "$shared" ]; then
  echo "skipped: $shared not found (the shared test data lives in ../shared/data)"
  exit 77
fi

port=""
if has_section server; then
  args=$(section server | tr '\n' ' ')
  server_state="$work/server"
  mkdir -p "$server_state"
  server_bin="$build/conform-refserver"
  # <server kind="hostile">: the test's own hostile server (tests/hostile/).
  grep -q '^<server kind="hostile">$' "$data" && server_bin="$build/conform-hostile-server"
  port=$("$src/tests/lib/refserver-start.sh" "$server_bin" "$server_state" \
         --access-log "$server_state/access.log" $args) || { echo "FAIL: server did not start"; exit 1; }
fi

subst() {
  sed -e "s|%SRCDIR|$src|g" -e "s|%PORT|${port:-1}|g" -e "s|%SERVER|http://127.0.0.1:${port:-1}|g" \
      -e "s|%SHARED|$shared|g" -e "s|%WORK|$work|g"
}

# Files: <file name="rel/path"> ... </file>, any number.
awk -v dir="$work" '
  /^<file name="[^"]+">$/ { match($0, /"[^"]+"/); f = dir "/" substr($0, RSTART + 1, RLENGTH - 2);
                            sub(/\/[^\/]*$/, "", f); system("mkdir -p \"" f "\"");
                            match($0, /"[^"]+"/); out = dir "/" substr($0, RSTART + 1, RLENGTH - 2);
                            printf "" > out; on = 1; next }
  /^<\/file>$/ && on { close(out); on = 0; next }
  on { print >> out }' "$data"
# Symbolic links: <symlink name="rel/path" to="target"/>, one a line.
sed -n 's|^<symlink name="\([^"]*\)" to="\([^"]*\)"/>$|\1\t\2|p' "$data" |
  while IFS=$'\t' read -r name target; do
    mkdir -p "$(dirname "$work/$name")" && ln -s "$target" "$work/$name"
  done
for f in $(cd "$work" && find . -type f ! -path './server/*'); do
  subst < "$work/$f" > "$work/$f.tmp" && mv "$work/$f.tmp" "$work/$f"
done

cmdline=$(section command | subst)
envs=$(section env | subst)
(
  cd "$work" || exit 1
  while IFS= read -r kv; do [ -n "$kv" ] && export "$kv"; done <<< "$envs"
  eval "set -- $cmdline"
  "$build/conform" "$@" >"$work/.stdout" 2>"$work/.stderr"
  echo $? >"$work/.exit"
)
rc=$(cat "$work/.exit")
fail=0
check() { # check WHAT EXPECTED_FILE ACTUAL_FILE
  if ! diff -u "$2" "$3" >"$work/.diff"; then
    echo "FAIL: $1 differs (expected vs actual):"; cat "$work/.diff"; fail=1
  fi
}
want_exit=$(section exit | tr -d ' \n')
if [ -n "$want_exit" ] && [ "$want_exit" != "$rc" ]; then
  echo "FAIL: exit status: expected $want_exit, got $rc"; fail=1
fi
if has_section stdout; then section stdout | subst >"$work/.want_stdout"; check stdout "$work/.want_stdout" "$work/.stdout"; fi
if has_section stderr; then section stderr | subst >"$work/.want_stderr"; check stderr "$work/.want_stderr" "$work/.stderr"; fi
# <grep file="F">REGEX</grep> lines: each REGEX must match in F (stdout, stderr or a work file);
# with count="N", exactly N lines of F must match.
while IFS= read -r line; do
  [ -z "$line" ] && continue
  file=${line%%	*} rest=${line#*	}; count=${rest%%	*} re=${rest#*	}
  target="$work/$file"; [ "$file" = stdout ] && target="$work/.stdout"; [ "$file" = stderr ] && target="$work/.stderr"
  if [ -n "$count" ]; then
    got=$(grep -cE -- "$re" "$target" 2>/dev/null)
    [ "${got:-0}" = "$count" ] || { echo "FAIL: /$re/ matches ${got:-0} lines of $file, expected $count"; fail=1; }
  elif ! grep -qE -- "$re" "$target" 2>/dev/null; then echo "FAIL: /$re/ not found in $file"; fail=1; fi
done < <(awk '/^<grep file="[^"]+"( count="[0-9]+")?>/ {
              match($0, /"[^"]+"/); f = substr($0, RSTART + 1, RLENGTH - 2); n = ""
              if (match($0, /^<grep file="[^"]+" count="[0-9]+">/)) { n = substr($0, 1, RLENGTH); sub(/^.* count="/, "", n); sub(/">$/, "", n) }
              sub(/^<grep file="[^"]+"( count="[0-9]+")?>/, ""); sub(/<\/grep>$/, ""); print f "\t" n "\t" $0 }' "$data" | subst)
while IFS= read -r line; do
  [ -z "$line" ] && continue
  file=${line%%	*} re=${line#*	}
  target="$work/$file"; [ "$file" = stdout ] && target="$work/.stdout"; [ "$file" = stderr ] && target="$work/.stderr"
  if grep -qE -- "$re" "$target" 2>/dev/null; then echo "FAIL: /$re/ found in $file, must not be"; fail=1; fi
done < <(awk '/^<nogrep file="[^"]+">/ { match($0, /"[^"]+"/); f = substr($0, RSTART + 1, RLENGTH - 2);
              sub(/^<nogrep file="[^"]+">/, ""); sub(/<\/nogrep>$/, ""); print f "\t" $0 }' "$data" | subst)
if has_section requests; then
  want=$(section requests | tr -d ' \n')
  got=$(wc -l <"$server_state/access.log" 2>/dev/null | tr -d ' ' || echo 0)
  [ "$want" = "$got" ] || { echo "FAIL: requests to the server: expected $want, got $got"; fail=1; }
fi
if has_section xsd; then
  xsd="$shared/junit/jenkins-xunit-junit-10.xsd"
  if [ -f "$xsd" ] && command -v xmllint >/dev/null; then
    for f in $(section xsd); do
      xmllint --noout --schema "$xsd" "$work/$f" >"$work/.xsd" 2>&1 || { echo "FAIL: $f does not validate:"; cat "$work/.xsd"; fail=1; }
    done
  else
    echo "note: XSD check skipped ($xsd or xmllint missing)"
  fi
fi
if [ $fail -ne 0 ]; then
  echo "--- stdout"; cat "$work/.stdout"; echo "--- stderr"; cat "$work/.stderr"
  exit 1
fi
echo "ok: $name: $(section name | head -1)"
