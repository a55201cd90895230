#!/usr/bin/env bash
# Scale events on a running `berth up` system, as an operator makes them, under
# load: ROUNDS times `berth launch` one instance, then `berth kill` it, while
# wrk keeps CONNECTIONS keep-alive connections busy on the frontend.
#
#   scripts/bench-up.sh            (after `make up`; STATE_DIR, ROUNDS, CONNECTIONS)
#
# Prints p50/p90/max of: `berth launch` returning (the instance registered)
# -> its first response through HAProxy (berth/nginx answers with its
# hostname); `berth kill` starting -> the last response from that instance a
# probe saw; the whole `berth kill` (deregister, drain, stop, remove).  Then
# the requests wrk saw fail and the reloads / live updates confd counted.
# ROUNDS=50 makes 100 scale events.
set -euo pipefail
cd "$(dirname "$0")/.."
berth=${BERTH:-build/berth}
state=${STATE_DIR:-/var/lib/berth}
rounds=${ROUNDS:-20}
connections=${CONNECTIONS:-8}

up_json="$state/up.json"
[ -f "$up_json" ] || { echo "bench-up: no $up_json: run make up first" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$up_json" | head -1; }
port=$(field port)
service=$(field service)
etcd=$(field etcd)
metrics=$(field confd_metrics)
socket="$state/run/haproxy.sock"
frontend="http://127.0.0.1:$port/"
metric() { curl -sf "http://$metrics/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

reloads0=$(metric berth_confd_reloads_total)
live0=$(metric berth_confd_live_updates_total)
wrk_out=$(mktemp)
wrk -t1 -c"$connections" -d3600s "$frontend" >"$wrk_out" 2>&1 &
wrk_pid=$!
trap 'kill $wrk_pid 2>/dev/null || true; rm -f "$wrk_out"' EXIT
sleep 1

first=() lasts=() kills=()
for i in $(seq 1 "$rounds"); do
  line=$("$berth" launch --count 1 --service "$service" --etcd "$etcd")
  t0=$(now_ms)
  name=${line%% *}
  host=$(docker inspect -f '{{.Config.Hostname}}' "$name")
  deadline=$((t0 + 10000))
  until [ "$(curl -s "$frontend")" = "$host" ]; do
    [ "$(now_ms)" -lt $deadline ] || { echo "bench-up: $name never answered" >&2; exit 1; }
  done
  first+=($(($(now_ms) - t0)))
  t0=$(now_ms)
  "$berth" kill "$name" --etcd "$etcd" --haproxy-socket "$socket" >/dev/null 2>&1 &
  kill_pid=$!
  last=$t0
  while kill -0 $kill_pid 2>/dev/null; do
    [ "$(curl -s "$frontend")" = "$host" ] && last=$(now_ms)
  done
  wait $kill_pid
  kills+=($(($(now_ms) - t0)))
  lasts+=($((last - t0)))
done
sleep 1
kill -INT $wrk_pid
wait $wrk_pid || true

pct() { # pct P values...: the P-th percentile (nearest rank)
  local p=$1
  shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{ v[NR] = $1 } END { i = int((p * NR + 99) / 100); if (i < 1) i = 1; print v[i] }'
}
echo "berth up system in $state: $rounds launch + kill events under wrk -c$connections on $frontend"
printf '  launch returned -> first response via HAProxy  p50 %s ms  p90 %s ms  max %s ms\n' \
  "$(pct 50 "${first[@]}")" "$(pct 90 "${first[@]}")" "$(pct 100 "${first[@]}")"
printf '  kill started -> last response from it         p50 %s ms  p90 %s ms  max %s ms\n' \
  "$(pct 50 "${lasts[@]}")" "$(pct 90 "${lasts[@]}")" "$(pct 100 "${lasts[@]}")"
printf '  berth kill (deregister, drain, stop, remove)   p50 %s ms  p90 %s ms  max %s ms\n' \
  "$(pct 50 "${kills[@]}")" "$(pct 90 "${kills[@]}")" "$(pct 100 "${kills[@]}")"
echo "  confd: $(($(metric berth_confd_reloads_total) - reloads0)) reload(s), $(($(metric berth_confd_live_updates_total) - live0)) live update(s)"
echo "  wrk:"
grep -E 'requests in|Non-2xx|Socket errors|Requests/sec' "$wrk_out" | sed 's/^/    /'
grep -qE 'Non-2xx|Socket errors' "$wrk_out" || echo "    no failed request"
