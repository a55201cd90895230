#!/usr/bin/env bash
# `berth confd -watch` against a real etcd (bench/confd_watch_bench.cc):
# put -> rendered file latency at 100 and 10,000 servers, CPU per update,
# idle CPU and memory, and a burst of 1,000 puts with -wait 50ms:500ms.
#
#   scripts/bench-watch.sh [ARGS...]     e.g. --samples 200 --idle-seconds 10
#
# BUILD (default build) is the build directory; it is configured if needed
# and berth and bench_confd_watch are built in it.  Needs etcd and etcdctl.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C "$build" berth bench_confd_watch >/dev/null
exec "$build/bench/bench_confd_watch" "$@"
