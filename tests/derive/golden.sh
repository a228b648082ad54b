#!/usr/bin/env bash
# golden.sh CONFORM SOURCE_DIR SPEC: `conform derive specs/SPEC.yaml` equals
# tests/derive/golden/SPEC.yaml byte for byte, twice (deterministic), and the
# suite loads with `conform list` unchanged. CONFORM_UPDATE_GOLDEN=1 rewrites
# the golden file instead.
set -uo pipefail
conform=$1 src=$2 spec=$3
golden=$src/tests/derive/golden/$spec.yaml
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-derive.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$src" || exit 1
"$conform" derive "specs/$spec.yaml" >"$work/a.yaml" 2>"$work/err" || { echo "FAIL: derive"; cat "$work/err"; exit 1; }
"$conform" derive "specs/$spec.yaml" >"$work/b.yaml" 2>/dev/null
cmp -s "$work/a.yaml" "$work/b.yaml" || { echo "FAIL: two derivations differ"; exit 1; }
if [ "${CONFORM_UPDATE_GOLDEN:-}" = 1 ]; then cp "$work/a.yaml" "$golden"; echo "updated: $golden"; exit 0; fi
diff -u "$golden" "$work/a.yaml" || { echo "FAIL: derived suite differs from $golden"; exit 1; }
# The suite as written, next to the specs (its spec path is relative to it).
mkdir -p "$work/specs" && cp specs/*.yaml "$work/specs/" && cp "$work/a.yaml" "$work/suite.yaml"
target=$(sed -n 's/^target: "\(.*\)"$/\1/p' "$work/suite.yaml")
printf 'targets:\n  %s: {base_url: "http://127.0.0.1:1"}\n' "$target" >"$work/conform.yaml"
(cd "$work" && "$conform" list suite.yaml >list.out 2>list.err) || { echo "FAIL: the derived suite does not load:"; cat "$work/list.err"; exit 1; }
echo "ok: $(tail -1 "$work/list.out") derived from specs/$spec.yaml, as golden, and loadable"
