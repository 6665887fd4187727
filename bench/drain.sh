#!/usr/bin/env bash
# A service's drain under clients that reconnect at once (wrk, 400 connections): how long its listening socket stays
# open after SIGTERM, and what its log says meanwhile. Vert.x 5.0 accepts connections it has no instance left for in
# that time (eclipse-vertx/vert.x#6087); docs/RELIABILITY.md, round 9, has what this found.
#
#   bench/drain.sh
#   bench/drain.sh --service catalog --runs 3
#
# Options:
#   --service gateway   the jar to drain (gateway, catalog, orders, jobs, bench)
#   --runs 5            drains, one service start each
#   --path /health/live what wrk asks while the service drains
#   --out DIR           each run's service log (default bench/results/drain-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh >/dev/null
source bench/lib.sh

service=gateway
runs=5
path=/health/live
out="bench/results/drain-$(date -u +%Y%m%d-%H%M%S)"
parse_options drain 13 "$@"
need wrk wrk
build_if_stale "$service"
mkdir -p "$out"
port=28080
env=(SURGE_HTTP_PORT=$port SURGE_REDIS_URL=${SURGE_REDIS_URL:-redis://127.0.0.1:6379})
if [ "$service" = gateway ]; then # no database of its own; one upstream, never asked
  env+=(SURGE_GATEWAY_ADMIN_PORT=29001 SURGE_GATEWAY_UPSTREAMS_CATALOG=127.0.0.1:28081)
else
  env+=(SURGE_PG_URL=${SURGE_PG_URL:-postgresql://postgres@127.0.0.1:5432/test})
fi
for run in $(seq 1 "$runs"); do
  log="$out/run-$run.log"
  start_service "$log" "$port" -- env "${env[@]}" "$JAVA_HOME/bin/java" -jar "services/$service/target/$service.jar"
  wrk -t2 -c400 -d14s "http://127.0.0.1:$port$path" > /dev/null 2>&1 &
  wrk_pid=$!
  sleep 6
  t0=$(date +%s%3N)
  kill -TERM "$service_pid"
  while ss -Hltn "sport = :$port" | grep -q ":$port"; do sleep 0.005; done
  closed=$(( $(date +%s%3N) - t0 ))
  wait "$service_pid" || true # its drain ends as it would (stop_service would send the SIGTERM that cuts it short)
  service_pid=""
  wait "$wrk_pid" || true
  echo "run $run: listening socket closed $closed ms after SIGTERM; log lines: $(grep -c 'Failed to register an accepted channel' "$log" || true) 'Failed to register an accepted channel', $(grep -c 'Unhandled exception' "$log" || true) 'Unhandled exception'"
done
