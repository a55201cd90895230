#!/usr/bin/env bash
# One-shot render benchmark (issue 2): process CPU time (user+sys) and peak RSS
# of `berth confd -onetime -backend file` on the seed's haproxy template at
# 0, 10k and 100k keys, and the nested ls/gets template at 10k keys.
# Best of RUNS runs.  With CONFD=/path/to/confd the same runs are made with
# that binary side by side (compare in one run, never across days).
#
#   scripts/bench-onetime.sh [BERTH]      (default build/berth)
set -euo pipefail
cd "$(dirname "$0")/.."
berth=${1:-build/berth}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen_data() {  # gen_data N FILE
  awk -v n="$1" 'BEGIN {
    print "app:\n  servers:";
    for (i = 0; i < n; i++)
      printf "    s%06d: 10.%d.%d.%d:8080\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' > "$2"
}
make_confdir() {  # make_confdir DIR TEMPLATE
  mkdir -p "$1/conf.d" "$1/templates" "$1/out"
  printf '[template]\nsrc = "t.tmpl"\ndest = "%s/out/haproxy.cfg"\nkeys = ["/app/servers"]\n' "$1" \
    > "$1/conf.d/t.toml"
  printf '%s' "$2" > "$1/templates/t.tmpl"
}
haproxy='{{range gets "/app/servers/*"}}    server {{base .Key}} {{.Value}} check
{{end}}'
nested='{{range $n := ls "/app/servers"}}{{range gets (printf "/app/servers/%s" $n)}}    server {{base .Key}} {{.Value}} check
{{end}}{{end}}'

measure() {  # measure LABEL BINARY DIR DATA -> best "cpu_ms rss_kib"
  local best_cpu=999999 best_rss=0 i out cpu rss
  for ((i = 0; i < runs; i++)); do
    rm -f "$3/out/haproxy.cfg"
    /usr/bin/time -o "$work/time" -f "%U %S %M" "$2" -onetime -backend file -file "$4" \
      -confdir "$3" -log-level error >/dev/null 2>&1 || true
    out=$(tail -1 "$work/time")
    cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' <<<"$out")
    rss=$(awk '{print $3}' <<<"$out")
    if ((cpu < best_cpu)); then best_cpu=$cpu; best_rss=$rss; fi
  done
  printf '%-28s %-8s %8d ms %8.1f MiB\n' "$1" "$5" "$best_cpu" "$(awk -v k="$best_rss" 'BEGIN{print k/1024}')"
}

gen_data 0 "$work/d0.yaml"
gen_data 10000 "$work/d10k.yaml"
gen_data 100000 "$work/d100k.yaml"
make_confdir "$work/h" "$haproxy"
make_confdir "$work/n" "$nested"

printf '%-28s %-8s %11s %12s\n' case binary cpu peak-rss
for bin in berth ${CONFD:+confd}; do
  if [ "$bin" = berth ]; then cmd=("$berth" confd); else cmd=("$CONFD"); fi
  wrapper="$work/$bin"
  printf '#!/bin/sh\nexec %s "$@"\n' "${cmd[*]}" > "$wrapper"
  chmod +x "$wrapper"
  measure "haproxy, no keys" "$wrapper" "$work/h" "$work/d0.yaml" "$bin"
  measure "haproxy, 10k keys" "$wrapper" "$work/h" "$work/d10k.yaml" "$bin"
  measure "haproxy, 100k keys" "$wrapper" "$work/h" "$work/d100k.yaml" "$bin"
  measure "nested ls/gets, 10k keys" "$wrapper" "$work/n" "$work/d10k.yaml" "$bin"
done
