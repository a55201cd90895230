#!/usr/bin/env bash
# The berth command line as an operator meets it:
#
#   cli_test.sh PATH/TO/berth
#
# Runs berth (and a link to it named confd) in a scratch directory and checks
# exit statuses, what goes to stdout and stderr, and the files written.
# Prints one "FAIL name: reason" line per failed check and "N passed, M
# failed"; exits 0 iff every check passed.  Needs bash, coreutils, grep.
set -u
export LC_ALL=C

[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/berth" >&2; exit 2; }
berth=$(readlink -f "$1")
[ -x "$berth" ] || { echo "not an executable: $1" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $1: $2"
  if [ -s "$work/stderr" ]; then sed -n '1,5s/^/    stderr: /p' "$work/stderr"; fi
}

# run CMD...: runs under a time limit with stdin from /dev/null; sets $rc and
# leaves the output in $work/stdout and $work/stderr.
run() {
  timeout 20 "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
}

# expect_rc NAME WANT
expect_rc() {
  if [ "$rc" -eq "$2" ]; then pass; else fail "$1" "exit status $rc, want $2"; fi
}
# expect_line NAME FILE LINE_NUMBER TEXT: line N of FILE is exactly TEXT.
expect_line() {
  local got
  got=$(sed -n "${3}p" "$work/$2")
  if [ "$got" = "$4" ]; then pass; else fail "$1" "$2 line $3 is '$got', want '$4'"; fi
}
# expect_grep NAME FILE PATTERN: FILE has a line matching the fixed string.
expect_grep() {
  if grep -qF -- "$3" "$work/$2"; then pass; else fail "$1" "$2 lacks '$3'"; fi
}
# expect_file NAME PATH CONTENT
expect_file() {
  local got
  if [ ! -f "$2" ]; then
    fail "$1" "$2 is missing"
    return
  fi
  got=$(cat "$2"; echo x)
  if [ "$got" = "$3"x ]; then pass; else fail "$1" "$2 holds '${got%x}', want '$3'"; fi
}

# A confdir with one resource and a data file for the file backend.
mkdir -p confdir/conf.d confdir/templates out bin
cat >confdir/conf.d/haproxy.toml <<EOF
[template]
src = "haproxy.cfg.tmpl"
dest = "$work/out/haproxy.cfg"
keys = ["/app/servers"]
EOF
# (no newline after the last {{end}}: it would be output too)
printf '%s' 'backend web
{{range gets "/app/servers/*"}}    server {{base .Key}} {{.Value}} check
{{end}}' >confdir/templates/haproxy.cfg.tmpl
cat >data.yaml <<'EOF'
app:
  servers:
    web1: 10.0.0.1:32768
    web2: 10.0.0.2:32769
EOF
rendered='backend web
    server web1 10.0.0.1:32768 check
    server web2 10.0.0.2:32769 check
'
# Every confd run names its own (missing) config file: a real
# /etc/confd/confd.toml must not change the results.
confd_args=(-onetime -backend file -file "$work/data.yaml" -confdir "$work/confdir"
            -config-file "$work/none.toml")

# --- berth itself
run "$berth"
expect_rc "no arguments" 2
expect_grep "no arguments: usage" stderr "Usage: berth COMMAND"

run "$berth" version
expect_rc "version" 0
expect_grep "version: output" stdout "berth "

run "$berth" frobnicate
expect_rc "unknown command" 2
expect_grep "unknown command: message" stderr "unknown command frobnicate"

# --- berth confd: flags
run "$berth" confd -version
expect_rc "confd -version" 0
expect_grep "confd -version: output" stdout "confd "

for help in -h -help --help; do
  run "$berth" confd "$help"
  expect_rc "confd $help" 0
  expect_line "confd $help: usage" stderr 1 "Usage of berth confd:"
  expect_grep "confd $help: flags listed" stderr "  -backend string"
done

run "$berth" confd -nope
expect_rc "unknown flag" 2
expect_line "unknown flag: Go's message" stderr 1 "flag provided but not defined: -nope"
expect_line "unknown flag: then the usage" stderr 2 "Usage of berth confd:"

run "$berth" confd -interval ten
expect_rc "bad int flag" 2
expect_line "bad int flag: message" stderr 1 \
  'invalid value "ten" for flag -interval: parse error'

run "$berth" confd -backend
expect_rc "missing flag value" 2
expect_line "missing flag value: message" stderr 1 "flag needs an argument: -backend"

# --- a link named confd runs berth confd
ln -s "$berth" bin/confd
run bin/confd -version
expect_rc "confd link -version" 0
expect_grep "confd link -version: output" stdout "confd "

run bin/confd -h
expect_rc "confd link -h" 0
expect_line "confd link -h: usage names confd" stderr 1 "Usage of confd:"

run bin/confd "${confd_args[@]}"
expect_rc "confd link one-shot render" 0
expect_file "confd link one-shot render: dest" out/haproxy.cfg "$rendered"
if [ "$(stat -c %a out/haproxy.cfg 2>/dev/null)" = 644 ]; then pass; else
  fail "one-shot render: mode" "out/haproxy.cfg has mode $(stat -c %a out/haproxy.cfg 2>/dev/null)"
fi

run "$berth" confd "${confd_args[@]}" -log-level error
expect_rc "in sync again" 0
expect_file "in sync again: dest unchanged" out/haproxy.cfg "$rendered"

# --- backends and levels
run "$berth" confd "${confd_args[@]}" -backend nope
if [ "$rc" -ne 0 ]; then pass; else fail "unknown backend" "exit status 0"; fi
expect_grep "unknown backend: message" stderr "backend: nope"

run "$berth" confd -onetime -backend file -confdir "$work/confdir" -config-file "$work/none.toml"
if [ "$rc" -ne 0 ]; then pass; else fail "file backend without -file" "exit status 0"; fi
expect_grep "file backend without -file: message" stderr "-file"

run "$berth" confd "${confd_args[@]}" -log-level bogus
if [ "$rc" -ne 0 ]; then pass; else fail "bad log level" "exit status 0"; fi
expect_grep "bad log level: message" stderr '"bogus"'

# --- -noop: a diff on stdout, nothing written
printf 'backend web\n    server web1 10.0.0.1:32768 check\n' >out/haproxy.cfg
chmod 0640 out/haproxy.cfg
before=$(ls -A out)
run "$berth" confd "${confd_args[@]}" -noop
expect_rc "noop" 0
expect_line "noop: old label" stdout 1 "--- $work/out/haproxy.cfg"
expect_line "noop: new label" stdout 2 "+++ $work/out/haproxy.cfg (rendered)"
expect_grep "noop: hunk" stdout "@@ -1,2 +1,3 @@"
expect_grep "noop: added line" stdout "+    server web2 10.0.0.2:32769 check"
expect_file "noop: dest untouched" out/haproxy.cfg \
  'backend web
    server web1 10.0.0.1:32768 check
'
if [ "$(ls -A out)" = "$before" ]; then pass; else
  fail "noop: no stage file left" "out/ holds: $(ls -A out | tr '\n' ' ')"
fi

# --- a failing resource makes the run fail, the others are still written
cat >confdir/conf.d/broken.toml <<EOF
[template]
src = "broken.tmpl"
dest = "$work/out/broken.cfg"
keys = ["/app"]
EOF
printf '{{getv "/app/missing"}}\n' >confdir/templates/broken.tmpl
rm -f out/haproxy.cfg
run "$berth" confd "${confd_args[@]}"
expect_rc "failing resource" 1
expect_file "failing resource: the other is written" out/haproxy.cfg "$rendered"
if [ ! -e out/broken.cfg ]; then pass; else fail "failing resource: no output" "out/broken.cfg exists"; fi
expect_grep "failing resource: message" stderr "key does not exist"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
