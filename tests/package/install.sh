#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then the installed tree, moved
# elsewhere (it must not depend on where it was installed), works from an
# empty folder: data found, man pages render, completion, a run against the
# installed reference server.
# Usage: install.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-install.XXXXXX")
trap '[ -f "$work/rs/pid" ] && "$src/tests/lib/refserver-stop.sh" "$work/rs" >/dev/null 2>&1; rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
. "$src/tests/package/common.sh"

cmake --install "$build" --prefix "$work/first" >"$work/install.log" 2>&1 ||
  { echo "FAIL: cmake --install:"; cat "$work/install.log"; exit 1; }
mv "$work/first" "$work/moved"
check_tree "$work/moved"
check_man "$work/moved"
check_run "$work/moved"
check_completion "$work/moved"
[ $fail = 0 ] && echo "ok: cmake --install tree ($(cd "$work/moved" && find . -type f | wc -l) files)"
exit $fail
