#!/usr/bin/env bash
# Instances changed under load: wrk reads a product from the catalog while the arbiter adds, removes, restarts and
# recycles its HTTP instances, through the admin API and through signals. Every request must be answered 2xx:
# the script fails on any non-2xx answer or socket error. Writes wrk.txt, actions.log and summary.md.
#
#   bench/instances-under-load.sh                       # 60 s, 64 connections
#   bench/instances-under-load.sh --seconds 20 --connections 128
#
# Options:
#   --seconds 60          how long wrk runs; an action every --every seconds meanwhile
#   --every 2             seconds between actions
#   --connections 64      wrk connections (2 threads)
#   --max-requests 20000  http.maxRequests, so instances are recycled too (jitter 5000); 0 turns recycling off
#   --actions LIST        the actions to cycle through, comma-separated (default: scale 4,scale 1,signal TTIN,
#                         signal TTIN,restart,signal TTOU,scale 3,signal HUP,scale 2)
#   --pg-url URL          PostgreSQL (default $SURGE_BENCH_PG_URL or the local one, database surge_instances_bench)
#   --out DIR             where results go (default bench/results/instances-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

seconds=60
every=2
connections=64
max_requests=20000
actions=("scale 4" "scale 1" "signal TTIN" "signal TTIN" "restart" "signal TTOU" "scale 3" "signal HUP" "scale 2")
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_instances_bench}"
out="bench/results/instances-$(date -u +%Y%m%d-%H%M%S)"
port=18091
admin=19091

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --every) every="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --max-requests) max_requests="$2"; shift 2 ;;
    --actions) IFS=, read -r -a actions <<< "$2"; shift 2 ;;
    --pg-url) pg_url="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

command -v psql >/dev/null 2>&1 || { echo "bench: psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
need wrk wrk
build_if_stale catalog
fresh_database "$pg_url"
mkdir -p "$out"

start_service "$out/service.log" $port -- env SURGE_PG_URL="$pg_url" SURGE_REDIS_URL="${SURGE_BENCH_REDIS_URL:-redis://127.0.0.1:6379}" \
  SURGE_HTTP_PORT=$port SURGE_LOG_ACCESS=off \
  SURGE_HTTP_INSTANCES=2 SURGE_ADMIN_PORT=$admin SURGE_HTTP_MAX_REQUESTS="$max_requests" \
  SURGE_HTTP_MAX_REQUESTS_JITTER=5000 SURGE_SHUTDOWN_GRACE=10s java -jar services/catalog/target/catalog.jar

curl -fs "http://127.0.0.1:$port/products" -H 'Content-Type: application/json' \
  -d '{"sku": "BENCH-1", "name": "Under load", "price": 1000, "currency": "EUR", "stock": 5}' >/dev/null

serving() {
  curl -fs "http://127.0.0.1:$admin/admin/instances" | grep -o '"state":"serving"' | wc -l
}
scale() {
  curl -fs -X PUT "http://127.0.0.1:$admin/admin/instances/http" -H 'Content-Type: application/json' \
    -d "{\"instances\": $1}" >/dev/null
}
act() {
  case "$1" in
    scale) scale "$2" ;;
    restart) curl -fs -X POST "http://127.0.0.1:$admin/admin/restart" >/dev/null ;;
    signal) kill -s "$2" "$service_pid" ;;
  esac
}

wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/products/1" > "$out/wrk.txt" &
wrk_pid=$!
sleep 2
started=$(date +%s)
count=0
while kill -0 "$wrk_pid" 2>/dev/null && [ $(( $(date +%s) - started )) -lt $(( seconds - 4 )) ]; do
  action="${actions[$(( count % ${#actions[@]} ))]}"
  act $action
  count=$((count + 1))
  echo "$(date -u +%H:%M:%S) $action -> $(serving) serving" >> "$out/actions.log"
  sleep "$every"
done
wait "$wrk_pid"

requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
rate=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk.txt")
socket=$(grep -o 'Socket errors:.*' "$out/wrk.txt" || true)
metrics=$(curl -fs "http://127.0.0.1:$port/metrics")
sum() { echo "$metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $NF} END {printf "%d", s}'; }
cat > "$out/summary.md" <<SUMMARY
| | |
|---|---|
| requests | $requests in ${seconds} s ($rate/s), $connections connections |
| actions | $count (scale, TTIN, TTOU, HUP, rolling restart), $(sum surge_instance_restarts_total) instances restarted, $(sum surge_instance_recycles_total) recycled |
| non-2xx answers | ${non2xx:-0} |
| socket errors | ${socket:-none} |
SUMMARY
cat "$out/summary.md"
if [ -n "$non2xx" ] || [ -n "$socket" ]; then
  echo "bench: requests failed while instances changed (see $out)" >&2
  exit 1
fi
