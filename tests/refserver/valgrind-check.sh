#!/usr/bin/env bash
# valgrind-check.sh VALGRIND BINARY CHECKER STATE_DIR
#
# Runs conform-refserver under valgrind (memcheck, full leak check) through a
# few of refserver-check's modes, one server per mode, and fails on any
# memory error or definite/indirect leak reported when the server stops.
set -u
valgrind=$1 bin=$2 check=$3 state=$4
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)
mkdir -p "$state"
export REFSERVER_START_TIMEOUT=60
fail=0

# run NAME "SERVER ARGS" MODE [EXTRA]: refserver-check MODE DIR [EXTRA]
run() {
  local name=$1 args=$2 mode=$3 extra=${4:-} dir=$state/$1
  mkdir -p "$dir"
  rm -f "$dir/valgrind.log"
  cat >"$dir/server.sh" <<WRAP
#!/bin/sh
exec "$valgrind" --quiet --leak-check=full --show-leak-kinds=definite,indirect \\
  --errors-for-leak-kinds=definite,indirect --log-file="$dir/valgrind.log" "$bin" "\$@"
WRAP
  chmod +x "$dir/server.sh"
  # shellcheck disable=SC2086 # server arguments are words on purpose
  if ! "$lib/refserver-start.sh" "$dir/server.sh" "$dir" $args >/dev/null; then
    echo "FAIL: $name: server did not start"; fail=1; return
  fi
  # shellcheck disable=SC2086
  "$check" "$mode" "$dir" $extra >/dev/null || { echo "FAIL: $name: refserver-check $mode"; fail=1; }
  "$lib/refserver-stop.sh" "$dir" || { echo "FAIL: $name: server did not stop cleanly"; fail=1; }
  # --quiet: the log holds nothing but errors and leaks.
  if [ -s "$dir/valgrind.log" ]; then
    echo "FAIL: $name: valgrind reported:"; cat "$dir/valgrind.log"; fail=1
  else
    echo "ok: $name"
  fi
}

run documented "--threads 2" api documented
run rasa121 "--threads 2 --profile rasa-1.2.1" api rasa-1.2.1
run robust "--threads 2" robust
run stateless "--stateless" stateless
for f in rasa-reset rasa-no-response rasa-body-9mib harmless-oracle-chunked oracle-clientid-string \
         harmless-oracle-key-order harmless-rasa-pretty oracle-truncated; do
  run "fault-$f" "--fault $f" fault "$f"
done
exit $fail
