#!/usr/bin/env bash
# run-private.sh STATE_DIR BINARY "SERVER ARGS" CHECKER [CHECKER ARGS...]
#
# Runs one check against a private conform-refserver: starts it with the
# fixture script (SERVER ARGS split on spaces), runs CHECKER, stops the
# server. Fails when the check fails or when the server died on the way
# (refserver-stop.sh reports that).
set -u
state=$1 bin=$2 server_args=$3
shift 3
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)

# shellcheck disable=SC2086 # the server arguments are words on purpose
"$lib/refserver-start.sh" "$bin" "$state" $server_args >/dev/null || exit 1
"$@"
rc=$?
"$lib/refserver-stop.sh" "$state" || rc=1
exit $rc
