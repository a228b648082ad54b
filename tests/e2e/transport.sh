#!/usr/bin/env bash
# The transport options against real TLS servers and a real proxy, on loopback.
#
# Usage: transport.sh BUILD_DIR SOURCE_DIR tls|proxy
#   tls:   a CA, a server certificate and a client certificate with an
#          encrypted key are made here with openssl; `openssl s_server`
#          serves a file and requires the client certificate. Checks
#          --cacert, --cert, --key with $CONFORM_KEY_PASSWORD, -k (and its
#          warning), the same as config keys, --connect-timeout (a server
#          that never finishes the handshake), --user-agent and -H (seen by
#          a raw s_server).
#   proxy: tinyproxy on a free loopback port: every suite through --proxy,
#          https through the proxy (CONNECT), and a stopped proxy named in
#          the error.
# Every check also has its failing side (the option left out, or wrong).
# Exit: 0 pass, 1 fail, 77 skipped (openssl or tinyproxy missing).
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) mode=$3
conform=$build/conform
work=$(mktemp -d "${TMPDIR:-/tmp}/conform-transport-$mode.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -f "$work/rs/pid" ] && "$src/tests/lib/refserver-stop.sh" "$work/rs" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# expect WANT_EXIT DESCRIPTION -- conform args: runs conform, keeps out/err.
expect() {
  local want=$1 what=$2
  shift 3
  "$conform" "$@" -j1 -o report.xml >out 2>err </dev/null
  local rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$what: exit $rc, expected $want"
    sed 's/^/    /' out err
    return 1
  fi
  echo "ok: $what"
}
has() { grep -qE -- "$2" "$1" || { bad "/$2/ not in $1:"; sed 's/^/    /' "$1"; }; }
hasnt() { ! grep -qE -- "$2" "$1" || bad "/$2/ must not be in $1"; }

# s_server DIR ARGS...: starts openssl s_server in DIR (-WWW serves files
# from there) on a free port; sets port, spid and slog (its output).
s_server() {
  local dir=$1 log=$work/s_server.$RANDOM
  shift
  # Without -WWW, s_server stops at the end of its stdin: give it a pipe
  # that stays open (fd 5, opened read-write so that neither end blocks).
  [ -p "$work/stdin" ] || { mkfifo "$work/stdin" && exec 5<>"$work/stdin"; }
  (cd "$dir" && exec openssl s_server -accept 127.0.0.1:0 "$@" >"$log" 2>&1 <"$work/stdin") &
  spid=$!
  pids+=("$spid")
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "FAIL: s_server did not start:"; cat "$log"; exit 1; }
  slog=$log
}

make_certs() {
  local q=(-days 2 -sha256) ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
  openssl req -x509 "${ec[@]}" -nodes -keyout ca.key -out ca.pem "${q[@]}" \
    -subj /CN=conform-test-ca 2>/dev/null &&
  openssl req "${ec[@]}" -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 2>/dev/null &&
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >srv.ext &&
  openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem \
    "${q[@]}" -extfile srv.ext 2>/dev/null &&
  openssl req "${ec[@]}" -passout pass:key-pass-5678 -keyout cli.key -out cli.csr \
    -subj /CN=conform-client 2>/dev/null &&
  openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cli.pem \
    "${q[@]}" 2>/dev/null || { echo "FAIL: openssl could not make the certificates"; exit 1; }
}

suite() { # suite TARGET: one GET of /ok.json
  mkdir -p suites
  cat >suites/get.yaml <<EOF
suite: transport
target: $1
cases:
  - id: get-ok
    method: GET
    path: /ok.json
    expect: {status: 200}
EOF
}

run_tls() {
  make_certs
  mkdir -p www && echo '{"ok": true}' >www/ok.json
  # -Verify 1: a client certificate signed by the CA is required.
  s_server www -cert ../srv.pem -key ../srv.key -CAfile ../ca.pem -Verify 1 -WWW
  suite tls
  local url=https://127.0.0.1:$port

  expect 1 "without --cacert the private CA is not trusted" -- run -b tls="$url" suites
  has out "error tls: .*certificate.*\(hint: --cacert FILE or tls.ca_file"
  expect 1 "--cacert alone: the server wants a client certificate" -- \
    run -b tls="$url" --cacert ca.pem suites
  hasnt out "1 passed"
  expect 1 "--cert/--key without the passphrase: refused, never a prompt" -- \
    run -b tls="$url" --cacert ca.pem --cert cli.pem --key cli.key suites
  has out "CONFORM_KEY_PASSWORD"
  CONFORM_KEY_PASSWORD=wrong-pass-0000 \
    expect 1 "a wrong passphrase fails and is not printed" -- \
    run -v -b tls="$url" --cacert ca.pem --cert cli.pem --key cli.key suites
  hasnt out "wrong-pass-0000"
  hasnt report.xml "wrong-pass-0000"
  CONFORM_KEY_PASSWORD=key-pass-5678 \
    expect 0 "--cacert, --cert, --key and \$CONFORM_KEY_PASSWORD: the case passes" -- \
    run -b tls="$url" --cacert ca.pem --cert cli.pem --key cli.key suites
  CONFORM_KEY_PASSWORD=key-pass-5678 \
    expect 0 "-k accepts the untrusted server, with a warning" -- \
    run -b tls="$url" -k --cert cli.pem --key cli.key suites
  has err "warning: TLS verification is off \(--insecure\)"

  mkdir -p cfg/tls && cp ca.pem cli.pem cli.key cfg/tls/
  cat >cfg/conform.yaml <<EOF
targets:
  tls:
    base_url: $url
    tls: {ca_file: tls/ca.pem, cert_file: tls/cli.pem, key_file: tls/cli.key,
          key_password: "\${TEST_KEY_PASS}"}
EOF
  TEST_KEY_PASS=key-pass-5678 expect 0 "the same as config keys (files relative to the config)" -- \
    run -c cfg/conform.yaml suites
  TEST_KEY_PASS=wrong-pass-1111 expect 1 "config key_password wrong: fails, not printed" -- \
    run -v -c cfg/conform.yaml suites
  hasnt out "wrong-pass-1111"

  # A server that never finishes the handshake: s_server serves one
  # connection at a time, and the first one (held open here) never sends
  # a ClientHello, so conform's connection waits in the accept queue.
  s_server . -cert srv.pem -key srv.key
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  expect 1 "--connect-timeout ends a stuck handshake (the request timeout is 60 s)" -- \
    run -b tls="https://127.0.0.1:$port" -k --connect-timeout 300 --timeout 60000 suites
  has out "error timeout: .*(SSL connection timeout|Connection timed out after)"
  hasnt out "Operation timed out after 6"
  exec 3>&-

  # -A and -H as the server sees them: a raw s_server prints what it receives.
  s_server . -cert srv.pem -key srv.key -naccept 1
  expect 1 "--user-agent and -H are sent (the raw server never answers)" -- \
    run -b tls="https://127.0.0.1:$port" -k --timeout 1500 -A 'probe-agent/7.1' \
    -H 'X-Probe: forty two' suites
  for _ in $(seq 40); do grep -q "X-Probe" "$slog" && break; sleep 0.05; done
  has "$slog" "^User-Agent: probe-agent/7.1"
  has "$slog" "^X-Probe: forty two"
  hasnt "$slog" "^User-Agent: conform/"
}

# tinyproxy has no "port 0": try free-looking ports until one binds.
start_proxy() {
  for _ in 1 2 3 4 5 6 7 8; do
    pport=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null && continue
    cat >tinyproxy.conf <<EOF
Port $pport
Listen 127.0.0.1
Timeout 30
LogFile "$work/tinyproxy.log"
LogLevel Connect
MaxClients 16
Allow 127.0.0.1
DisableViaHeader Yes
EOF
    tinyproxy -d -c tinyproxy.conf >tinyproxy.out 2>&1 </dev/null &
    ppid_=$!
    for _ in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null && { pids+=("$ppid_"); return 0; }
      kill -0 "$ppid_" 2>/dev/null || break
      sleep 0.05
    done
    kill "$ppid_" 2>/dev/null; wait "$ppid_" 2>/dev/null
  done
  echo "FAIL: tinyproxy did not start:"; cat tinyproxy.out; exit 1
}

run_proxy() {
  command -v tinyproxy >/dev/null || { echo "skipped: tinyproxy is not installed (scripts/deps)"; exit 77; }
  local rport
  rport=$("$src/tests/lib/refserver-start.sh" "$build/conform-refserver" "$work/rs" \
          --access-log "$work/rs/access.log") || exit 1
  start_proxy
  expect 0 "every suite through --proxy" -- \
    run -c "$src/conform.yaml" -b "http://127.0.0.1:$rport" --proxy "http://127.0.0.1:$pport" \
    "$src/suites"
  local sent proxied
  sent=$(wc -l <rs/access.log)
  proxied=$(grep -c "Request (file descriptor [0-9]*): [A-Z]* http://127.0.0.1:$rport/" tinyproxy.log)
  [ "$sent" -gt 50 ] && [ "$sent" = "$proxied" ] ||
    bad "the server got $sent requests, the proxy passed on $proxied: all must go through it"

  make_certs
  mkdir -p www && echo '{"ok": true}' >www/ok.json
  s_server www -cert ../srv.pem -key ../srv.key -WWW
  local sport=$port
  suite tls
  expect 0 "https through the proxy (CONNECT), with --cacert" -- \
    run -b tls="https://127.0.0.1:$sport" --cacert ca.pem --proxy "http://127.0.0.1:$pport" suites
  has tinyproxy.log "CONNECT 127.0.0.1:$sport"
  https_proxy=http://127.0.0.1:$pport \
    expect 0 "https_proxy from the environment is used the same way" -- \
    run -b tls="https://127.0.0.1:$sport" --cacert ca.pem suites
  [ "$(grep -c "CONNECT 127.0.0.1:$sport" tinyproxy.log)" -ge 2 ] || bad "https_proxy was not used"

  kill "$ppid_"; wait "$ppid_" 2>/dev/null
  expect 1 "a stopped proxy is named in the error" -- \
    run -b tls="https://127.0.0.1:$sport" --cacert ca.pem --proxy "http://127.0.0.1:$pport" suites
  has out "\(via proxy http://127.0.0.1:$pport\): "
}

command -v openssl >/dev/null || { echo "skipped: openssl is not installed"; exit 77; }
case $mode in
tls) run_tls ;;
proxy) run_proxy ;;
*) echo "usage: transport.sh BUILD_DIR SOURCE_DIR tls|proxy" >&2; exit 2 ;;
esac
exit $fail
