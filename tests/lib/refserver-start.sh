#!/usr/bin/env bash
# refserver-start.sh BINARY STATE_DIR [server args...]
#
# Starts conform-refserver in the background on a free port and returns once
# it accepts connections. Files in STATE_DIR: port (the bound port), pid, stdout.log,
# stderr.log. Prints the port on stdout and exits 0; exits 1 with a message on
# stderr when the server does not come up within about 5 seconds
# (REFSERVER_START_TIMEOUT seconds when set, e.g. under valgrind).
#
# A server still running from an earlier start with the same STATE_DIR is
# stopped first, so an aborted test run does not leave the port file stale.
# Needs only bash (its /dev/tcp) and coreutils.
set -u

if [ $# -lt 2 ]; then
  echo "usage: refserver-start.sh BINARY STATE_DIR [server args...]" >&2
  exit 2
fi
bin=$1 dir=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ ! -x "$bin" ]; then
  echo "refserver-start: $bin is not an executable (build conform-refserver first)" >&2
  exit 1
fi
mkdir -p "$dir" || exit 1
dir=$(cd "$dir" && pwd)
[ -f "$dir/pid" ] && "$here/refserver-stop.sh" "$dir" >/dev/null 2>&1
rm -f "$dir/port" "$dir/pid"

# The server's output goes to files: an inherited pipe would keep CTest
# waiting for this fixture test to finish.
"$bin" --port 0 --portfile "$dir/port" "$@" >"$dir/stdout.log" 2>"$dir/stderr.log" </dev/null &
pid=$!
echo "$pid" >"$dir/pid"

# probe PORT: succeeds when a TCP connection to the port is accepted. No
# HTTP request is sent, so the probe does not show in --access-log (tests
# count the requests a server received).
probe() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

timeout=${REFSERVER_START_TIMEOUT:-5}
for _ in $(seq $((timeout * 20))); do
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    echo "refserver-start: conform-refserver exited with status $? before it listened:" >&2
    sed 's/^/  /' "$dir/stderr.log" >&2
    rm -f "$dir/pid"
    exit 1
  fi
  if [ -s "$dir/port" ]; then
    port=$(cat "$dir/port")
    if probe "$port"; then
      echo "$port"
      exit 0
    fi
  fi
  sleep 0.05
done

echo "refserver-start: conform-refserver (pid $pid) did not answer within ${timeout} s" >&2
sed 's/^/  /' "$dir/stderr.log" >&2
"$here/refserver-stop.sh" "$dir" >/dev/null 2>&1
exit 1
