# Shared by install.sh and deb.sh: checks of an installed tree under ROOT
# (bin/, share/...), run from an empty folder outside any checkout.
# Needs: build, src, work, fail, bad() from the caller.

# check_tree PREFIX: the files every installation has.
check_tree() {
  local p=$1 f
  for f in bin/conform bin/conform-refserver share/conform/conform.yaml \
           share/conform/examples/conform.real.yaml share/conform/specs/rocketchat-rasa.yaml \
           share/conform/specs/oracle-b2c-chat-consumer.yaml \
           share/conform/suites/oracle-b2c-chat/session-flow.yaml \
           share/man/man1/conform.1.gz share/man/man1/conform-refserver.1.gz \
           share/man/man5/conform-suite.5.gz share/bash-completion/completions/conform \
           share/bash-completion/completions/conform-refserver share/doc/conform/README.md \
           share/doc/conform/changelog.gz; do
    [ -e "$p/$f" ] || bad "$f is not installed"
  done
  if [ -d "$src/deviations" ]; then
    [ -n "$(ls "$p/share/conform/deviations" 2>/dev/null)" ] || bad "deviations/ is not installed"
  fi
}

# check_run PREFIX: the installed conform finds its data from an empty
# folder, lists and runs the shipped suites against the installed server.
check_run() {
  local p=$1 out=$work/run
  mkdir -p "$work/empty"
  (
    cd "$work/empty" || exit 1
    unset CONFORM_DATA_DIR
    got=$("$p/bin/conform" --data-dir)
    [ "$got" = "$p/share/conform" ] || { echo "FAIL: --data-dir printed '$got', not $p/share/conform"; exit 1; }
    want=$(cd "$src" && "$build/conform" list suites | tail -1)
    got=$("$p/bin/conform" list --builtin | tail -1)
    [ "$got" = "$want" ] || { echo "FAIL: list --builtin: '$got', the checkout lists '$want'"; exit 1; }
    "$p/bin/conform" list >"$out.list" 2>&1
    [ $? = 2 ] && grep -q "add --builtin" "$out.list" ||
      { echo "FAIL: list without PATH outside a checkout:"; cat "$out.list"; exit 1; }
    port=$("$src/tests/lib/refserver-start.sh" "$p/bin/conform-refserver" "$work/rs") || exit 1
    "$p/bin/conform" run --builtin -b "http://127.0.0.1:$port" >"$out.stdout" 2>"$out.stderr"
    rc=$?
    "$src/tests/lib/refserver-stop.sh" "$work/rs" >/dev/null || { echo "FAIL: the server died"; exit 1; }
    [ $rc = 0 ] || { echo "FAIL: run --builtin exited $rc:"; tail -20 "$out.stdout" "$out.stderr"; exit 1; }
    [ -s reports/junit.xml ] || { echo "FAIL: no reports/junit.xml in the current folder"; exit 1; }
    echo "ok: installed conform run --builtin against the installed conform-refserver: $(grep -E '^conform: [0-9]+ case' "$out.stdout")"
  ) || fail=1
}

# check_man PREFIX: every man page renders without a warning.
check_man() {
  command -v man >/dev/null || { echo "note: man is not installed, pages not rendered"; return; }
  local page
  for page in "$1"/share/man/man*/*.gz; do
    MANWIDTH=80 man --warnings -l "$page" >"$work/man.out" 2>"$work/man.err"
    if [ -s "$work/man.err" ] || [ ! -s "$work/man.out" ]; then
      bad "man -l $(basename "$page") warns:"; cat "$work/man.err"
    fi
  done
}

# check_completion PREFIX: commands, options, case ids and tags.
check_completion() {
  local p=$1
  (
    PATH=$p/bin:$PATH
    cd "$work/empty" || exit 1
    # shellcheck source=/dev/null
    . "$p/share/bash-completion/completions/conform"
    compopt() { :; }
    complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); }
    r=0
    complete_words conform r; _conform
    [[ " ${COMPREPLY[*]} " == *" run "* ]] || { echo "FAIL: 'conform r<TAB>': ${COMPREPLY[*]}"; r=1; }
    complete_words conform run --ca; _conform
    [[ "${COMPREPLY[*]}" == "--cacert" ]] || { echo "FAIL: 'run --ca<TAB>': ${COMPREPLY[*]}"; r=1; }
    complete_words conform run --builtin -f close-chat-o; _conform
    [[ " ${COMPREPLY[*]} " == *" close-chat-ok "* ]] || { echo "FAIL: case ids: ${COMPREPLY[*]}"; r=1; }
    complete_words conform list --builtin -t ""; _conform
    for t in smoke oracle rasa flow; do
      [[ " ${COMPREPLY[*]} " == *" $t "* ]] || { echo "FAIL: tag $t not completed: ${COMPREPLY[*]}"; r=1; }
    done
    # run's options before -f are left out of the `conform list` behind it
    # (list refuses them).
    complete_words conform run --builtin -j 2 --known x.yaml --rerun=2 -x -f close-chat-o; _conform
    [[ " ${COMPREPLY[*]} " == *" close-chat-ok "* ]] || { echo "FAIL: case ids after run options: ${COMPREPLY[*]}"; r=1; }
    complete_words conform list --kn; _conform
    [ -z "${COMPREPLY[*]}" ] || { echo "FAIL: 'list --kn<TAB>' offers run's --known: ${COMPREPLY[*]}"; r=1; }
    complete_words conform run --builtin ora; _conform
    [[ "${COMPREPLY[*]}" == "oracle-b2c-chat" ]] || { echo "FAIL: builtin paths: ${COMPREPLY[*]}"; r=1; }
    complete_words conform-refserver --fault rasa-sl; _conform_refserver
    [[ "${COMPREPLY[*]}" == "rasa-slow" ]] || { echo "FAIL: fault names: ${COMPREPLY[*]}"; r=1; }
    [ $r = 0 ] && echo "ok: bash completion of commands, options, case ids, tags, faults"
    exit $r
  ) || fail=1
}
