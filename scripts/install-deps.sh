#!/usr/bin/env bash
# Installs the Debian 12 packages berth builds and tests with, when missing.
# Idempotent and quiet when nothing is to do.  Needs root (or sudo) only when
# something is missing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build make pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libspdlog-dev libcli11-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libcurl4-openssl-dev libhiredis-dev libzookeeper-mt-dev
  # sanitizers, fuzzing, formatting
  clang clang-16 libclang-rt-16-dev clang-format
  # test tools
  diffutils coreutils procps iproute2 curl openssl etcd-server etcd-client docker.io nginx-light haproxy wrk
  # the redis and zookeeper backend tests start these themselves (not as services)
  redis-server zookeeper
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
