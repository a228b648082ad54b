#!/usr/bin/env bash
# Builds the .deb with CPack, checks its control fields and files, unpacks it
# with dpkg -x into a scratch root and runs what it installed there.
# Usage: deb.sh BUILD_DIR SOURCE_DIR CPACK VERSION
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) cpack=$3 version=$4
command -v dpkg-deb >/dev/null || { echo "skipped: dpkg-deb is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-deb.XXXXXX")
trap '[ -f "$work/rs/pid" ] && "$src/tests/lib/refserver-stop.sh" "$work/rs" >/dev/null 2>&1; rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
. "$src/tests/package/common.sh"

"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { echo "FAIL: cpack:"; cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/conform_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no conform_*.deb made:"; cat "$work/cpack.log"; exit 1; }
echo "ok: $(basename "$deb")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = conform ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version), expected $version"
[ -n "$(field Maintainer)" ] || bad "no Maintainer"
# Captured first: with pipefail, grep -q closing the pipe early would make
# dpkg-deb die of SIGPIPE and fail the check at random.
description=$(field Description)
[[ $description == *OpenAPI* ]] || bad "the Description has no long part"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libc6 libcurl4 libcjson1 libyaml-0-2 libmicrohttpd12; do
  [[ $depends == *"$lib "* || $depends == *"$lib" || $depends == *"$lib,"* ]] ||
    bad "Depends lacks $lib (dpkg-shlibdeps)"
done
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$work/files"
grep -q '^\./usr/local' "$work/files" && bad "files under /usr/local"
echo "files: $(grep -vc '/$' "$work/files")"

dpkg -x "$deb" "$work/root" || { echo "FAIL: dpkg -x"; exit 1; }
p=$work/root/usr
v=$("$p/bin/conform" --version)
[ "$v" = "conform $version" ] || bad "conform --version: $v"
echo "ok: $v"
check_tree "$p"
check_man "$p"
check_run "$p"
exit $fail
