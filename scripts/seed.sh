#!/usr/bin/env bash
# `make seed`: render the seed article's haproxy.cfg once with the file
# backend (examples/seed/data.yaml) and print it; nothing else runs.
set -euo pipefail
cd "$(dirname "$0")/.."
berth=${BERTH:-build/berth}
state=.state/seed
rm -rf "$state"
mkdir -p "$state/conf.d" "$state/templates"
cp examples/seed/templates/haproxy.cfg.tmpl "$state/templates/"
# The seed writes /etc/haproxy/haproxy.cfg and reloads the system HAProxy;
# here the file goes to the state directory and nothing is reloaded.
sed -e "s#^dest = .*#dest = \"$PWD/$state/haproxy.cfg\"#" -e '/^reload_cmd/d' \
  examples/seed/conf.d/haproxy.toml > "$state/conf.d/haproxy.toml"
"$berth" confd -onetime -backend file -file examples/seed/data.yaml -confdir "$state"
echo "== $state/haproxy.cfg (from examples/seed/data.yaml) =="
cat "$state/haproxy.cfg"
if command -v haproxy >/dev/null; then
  haproxy -c -q -f "$state/haproxy.cfg" && echo "== haproxy -c: configuration is valid =="
fi
