#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: scripts/fuzz.sh BUILD_DIR SECONDS
# Seeds come from the conformance corpus; the growing corpus and any crash
# reproducers land in fuzz-corpus/ (not committed).  Exit status non-zero when
# a target found a crash or a sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-60}
work=fuzz-corpus
mkdir -p "$work"/{template,yaml,toml,json,crashes}

seed() {  # seed TARGET FILES...
  local target=$1; shift
  local f
  for f in "$@"; do
    cp -f "$f" "$work/$target/$(printf '%s' "$f" | md5sum | cut -c1-16)" 2>/dev/null || true
  done
}
shopt -s nullglob globstar
seed template tests/conformance/**/templates/* examples/seed/templates/*
seed yaml tests/conformance/**/data.yaml examples/seed/data.yaml
seed toml tests/conformance/**/conf.d/*toml examples/seed/conf.d/*.toml
printf '%s' '{"a": {"b": [1, 2.5, -0, "x\u00e9", null, true]}}' > "$work/json/seed1"
printf '%s' '[1, "two", {"three": 3}]' > "$work/json/seed2"

status=0
for target in template yaml toml json; do
  echo "== fuzz_$target for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$target" "$work/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$work/crashes/$target-" -print_final_stats=1 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|==|SUMMARY|stat::number_of_executed_units|.*ERROR)' || true
  if compgen -G "$work/crashes/$target-*" > /dev/null; then
    echo "fuzz_$target: crash reproducers in $work/crashes/"
    status=1
  fi
done
exit $status
