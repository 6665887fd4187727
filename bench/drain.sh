#!/usr/bin/env bash
# A service's drain under clients that reconnect at once (wrk, 400 connections): how long its listening socket stays
# open after SIGTERM, and what its log says meanwhile. Vert.x 5.0 accepts connections it has no instance left for in
# that time (eclipse-vertx/vert.x#6087); docs/RELIABILITY.md, round 9, has what this found.
#   bench/drain.sh [--service gateway|catalog] [--runs 5] [--path /health/live]
set -euo pipefail
cd "$(dirname "$0")/.."
service=gateway runs=5 path=/health/live port=28080
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
source scripts/jdk.sh >/dev/null
jar=services/$service/target/$service.jar
[ -f "$jar" ] || { echo "no $jar: ./mvnw -q -pl services/$service -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
env=(SURGE_HTTP_PORT=$port SURGE_PG_URL=${SURGE_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
  SURGE_REDIS_URL=${SURGE_REDIS_URL:-redis://127.0.0.1:6379})
[ "$service" = gateway ] && env+=(SURGE_GATEWAY_ADMIN_PORT=29001 SURGE_GATEWAY_UPSTREAMS_CATALOG=127.0.0.1:28081)
[ "$service" = gateway ] && env=("${env[0]}" "${env[@]:2}")
for run in $(seq 1 "$runs"); do
  env "${env[@]}" "$JAVA_HOME/bin/java" -jar "$jar" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.5; done
  wrk -t2 -c400 -d14s "http://127.0.0.1:$port$path" > /dev/null 2>&1 &
  sleep 6
  t0=$(date +%s%3N)
  kill -TERM "$pid"
  while ss -Hltn "sport = :$port" | grep -q ":$port"; do sleep 0.005; done
  closed=$(( $(date +%s%3N) - t0 ))
  wait "$pid" || true
  wait || true
  echo "run $run: listening socket closed $closed ms after SIGTERM; log lines: $(grep -c 'Failed to register an accepted channel' "$log" || true) 'Failed to register an accepted channel', $(grep -c 'Unhandled exception' "$log" || true) 'Unhandled exception'"
done
