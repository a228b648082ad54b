#!/usr/bin/env bash
# refserver-stop.sh STATE_DIR
#
# Stops the conform-refserver that refserver-start.sh started with STATE_DIR:
# SIGTERM, then waits up to 10 s (a *-slow fault may hold a worker that
# long), then SIGKILL. Removes STATE_DIR/pid and STATE_DIR/port.
#
# Exit status: 0 when the server was running and stopped; 1 when it had
# already died (a crash during the tests must not go unnoticed) or did not
# stop; 0 with a note when there is nothing to stop (no pid file).
#
# The pid is only signalled if that process's command line still names
# STATE_DIR/port, so a recycled pid never hits an unrelated process.
set -u

if [ $# -ne 1 ]; then
  echo "usage: refserver-stop.sh STATE_DIR" >&2
  exit 2
fi
dir=$1
if [ ! -f "$dir/pid" ]; then
  echo "refserver-stop: no server recorded in $dir (nothing to stop)"
  exit 0
fi
dir=$(cd "$dir" && pwd)
pid=$(cat "$dir/pid")
rm -f "$dir/pid" "$dir/port"

ours() {
  kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/cmdline" ] || return 0
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$dir/port"
}

if ! ours; then
  echo "refserver-stop: conform-refserver (pid $pid) was no longer running; stderr:" >&2
  sed 's/^/  /' "$dir/stderr.log" >&2 2>/dev/null
  exit 1
fi
kill -TERM "$pid" 2>/dev/null
for _ in $(seq 200); do
  ours || exit 0
  sleep 0.05
done
echo "refserver-stop: pid $pid ignored SIGTERM for 10 s, killing it" >&2
kill -KILL "$pid" 2>/dev/null
exit 1
