#!/usr/bin/env bash
# Runs one libFuzzer harness over its seed corpus.
#   run.sh SRCDIR FUZZ_BUILD_DIR NAME RUNS SEED
# As a CTest (the gate) it is deterministic: RUNS inputs from random seed SEED,
# so a red run is reproduced by running it again and a green one stays green.
# To explore, set CONFORM_FUZZ_SECONDS=N: N seconds from a fresh random seed
# (CONFORM_FUZZ_SEED=K repeats a seed the output printed).
# The clang sub-build in FUZZ_BUILD_DIR is configured and built once, under a
# lock, whichever fuzz test gets there first. Exit 77 without clang or
# libFuzzer's runtime. New inputs go to a temporary corpus, never into the
# repository; a crash leaves its input in FUZZ_BUILD_DIR/crash-* (printed):
# fix it, and add the input to corpus/NAME/ so the gate keeps it.
set -euo pipefail
src=$1 bin=$2 name=$3 runs=${4:-4000} seed=${5:-1}

command -v clang >/dev/null || { echo "skipped: clang is not installed (Debian: clang)"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
  echo "skipped: clang cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev)"
  exit 77
fi

mkdir -p "$bin"
(
  flock 9
  if [ ! -f "$bin/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$bin" -DCMAKE_C_COMPILER=clang -DCONFORM_FUZZ=ON -DCONFORM_WERROR=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$bin.configure.log" 2>&1 ||
      { cat "$bin.configure.log"; exit 1; }
  fi
  cmake --build "$bin" --target fuzzers -j2 >"$bin.build.log" 2>&1 || { cat "$bin.build.log"; exit 1; }
) 9>"$bin.lock"

corpus="$probe/corpus"
mkdir -p "$corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -n "${CONFORM_FUZZ_SECONDS:-}" ]; then
  budget=(-max_total_time="$CONFORM_FUZZ_SECONDS" -seed="${CONFORM_FUZZ_SEED:-0}")
  echo "fuzz_$name: ${CONFORM_FUZZ_SECONDS}s over $(ls "$src/tests/fuzz/corpus/$name" | wc -l) seeds"
else
  budget=(-runs="$runs" -seed="$seed" -reload=0) # reloading is timed: not repeatable
  echo "fuzz_$name: $runs runs from seed $seed over $(ls "$src/tests/fuzz/corpus/$name" | wc -l) seeds"
fi
"$bin/fuzz/fuzz_$name" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$bin/crash-$name-" "$corpus" "$src/tests/fuzz/corpus/$name" 2>&1 |
  grep -E "^INFO: Seed|^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::number_of_executed_units|ERROR|WARNING|SUMMARY|artifact|^    #" | tail -60
exit "${PIPESTATUS[0]}"
