#!/usr/bin/env bash
# `berth agent` against the machine's dockerd and a real etcd
# (bench/agent_bench.cc): docker start -> key in etcd and docker stop -> key
# gone, p50/p90/p99 over berth/nginx containers started one at a time.
#
#   scripts/bench-agent.sh [ARGS...]     e.g. --containers 100
#
# BUILD (default build) is the build directory; it is configured if needed
# and berth and bench_agent are built in it.  Needs dockerd (the berth/nginx
# image is built when missing), etcd and etcdctl.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_BENCH=ON >/dev/null
fi
ninja -C "$build" berth bench_agent >/dev/null
exec "$build/bench/bench_agent" "$@"
