#!/usr/bin/env bash
# Resident memory of each service's fat jar, as the Kubernetes manifests (ops/k8s) size them: the four services
# started clustered on this machine's loopback (each on ports of its own), against a PostgreSQL and Redis, RSS read
# from /proc once all are ready, then again after a bounded wrk load through the gateway.
#
#   bench/rss.sh                                    # the JVM's own defaults (heap up to a quarter of the RAM)
#   bench/rss.sh --jvm '-XX:MaxRAM=768m -XX:MaxRAMPercentage=60'   # the JVM as a 768 MiB container limit sizes it
#
# Options:
#   --jvm OPTS        JAVA_TOOL_OPTIONS for every service (-XX:MaxRAM stands for a container's memory limit)
#   --duration 20s    wrk's time on each of the three paths
#   --pg-url URL      PostgreSQL (default the local one, database surge_rss, dropped and created)
#   --redis-url URL   Redis (default redis://127.0.0.1:6379)
#   --out DIR         logs and rss.csv (default bench/results/rss-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

jvm=""
duration=20s
pg_url="postgresql://postgres@127.0.0.1:5432/surge_rss"
redis_url="redis://127.0.0.1:6379"
out="bench/results/rss-$(date -u +%Y%m%d-%H%M%S)"
parse_options rss 15 "$@"
need wrk wrk
for m in catalog orders jobs gateway; do build_if_stale "$m"; done
mkdir -p "$out"
fresh_database "$pg_url"

# name http-port cluster-port event-bus-port; ports apart from the usual ones, a cluster name of its own. The
# gateway joins no cluster (its jar has none).
services=("catalog 18081 15701 15801" "orders 18084 15702 15802" "jobs 18083 15703 15803" "gateway 18080 - -")
members="127.0.0.1:15701,127.0.0.1:15702,127.0.0.1:15703"
# The event bus on mutual TLS, as every deployment runs it: the run's own keys (ops/cluster-keys.sh).
ops/cluster-keys.sh "$out/cluster-keys" > /dev/null
tls=(SURGE_CLUSTER_TLS_CERT="$out/cluster-keys/member.crt" SURGE_CLUSTER_TLS_KEY="$out/cluster-keys/member.key"
  SURGE_CLUSTER_TLS_CA="$out/cluster-keys/ca.crt")
declare -A pid
stop_all() {
  for name in gateway jobs orders catalog; do
    [ -n "${pid[$name]:-}" ] && kill -TERM "${pid[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop_all EXIT

for entry in "${services[@]}"; do
  read -r name http cluster bus <<<"$entry"
  # Each service gets only its own keys: a service refuses a SURGE_ variable it does not know.
  own=(SURGE_CLUSTER_ENABLED=true SURGE_CLUSTER_NAME=surge-rss SURGE_CLUSTER_MEMBERS="$members"
    SURGE_CLUSTER_HOST=127.0.0.1 SURGE_CLUSTER_PORT="$cluster" SURGE_CLUSTER_EVENT_BUS_PORT="$bus" SURGE_PG_URL="$pg_url"
    "${tls[@]}")
  [ "$name" = jobs ] && own+=(SURGE_JOBS_DATA_DIR="$out/jobs-data")
  [ "$name" = gateway ] && own=(SURGE_GATEWAY_UPSTREAMS_CATALOG=127.0.0.1:18081
    SURGE_GATEWAY_UPSTREAMS_ORDERS=127.0.0.1:18084 SURGE_GATEWAY_UPSTREAMS_JOBS=127.0.0.1:18083)
  env SURGE_HTTP_PORT="$http" SURGE_REDIS_URL="$redis_url" "${own[@]}" JAVA_TOOL_OPTIONS="$jvm" \
    java -jar "services/$name/target/$name.jar" > "$out/$name.log" 2>&1 &
  pid[$name]=$!
  await_ready "$http" "${pid[$name]}" "$out/$name.log"
done

# VmRSS: resident now; VmHWM: the most it has been resident since it started.
rss() { awk '/^(VmRSS|VmHWM):/ {printf "%d ", $2 / 1024}' "/proc/$1/status"; }
echo "service,phase,rss_mib,peak_rss_mib" > "$out/rss.csv"
sample() {
  for name in catalog orders jobs gateway; do
    read -r peak now <<<"$(rss "${pid[$name]}")"
    echo "$name,$1,$now,$peak" | tee -a "$out/rss.csv"
  done
}
sleep 5
sample started

# Writes come from loopback: the gateway, with no key configured, takes them.
product=$(curl -fsS http://127.0.0.1:18080/api/catalog/products -H 'Content-Type: application/json' \
  -d '{"sku":"RSS-1","name":"Load","price":100,"currency":"EUR","stock":100000000}' | sed 's/.*"id":\([0-9]*\).*/\1/')
wrk -t2 -c64 -d"$duration" "http://127.0.0.1:18080/api/catalog/products/$product" > "$out/wrk-catalog.txt"
PRODUCT="$product" ORDERS_PATH=/api/orders/orders wrk -t2 -c64 -d"$duration" -s bench/orders-wrk.lua http://127.0.0.1:18080 \
  > "$out/wrk-orders.txt"
wrk -t2 -c64 -d"$duration" http://127.0.0.1:18080/api/jobs/queues > "$out/wrk-jobs.txt"
grep -H 'Requests/sec' "$out"/wrk-*.txt
sleep 5
sample loaded
# The heap after load, and the JVM's own account of its memory when started with -XX:NativeMemoryTracking=summary.
for name in catalog orders jobs gateway; do
  jcmd "${pid[$name]}" GC.heap_info > "$out/$name-heap.txt" 2>&1 || true
  jcmd "${pid[$name]}" VM.native_memory summary > "$out/$name-nmt.txt" 2>&1 || true
done
echo "rss: $out/rss.csv"
