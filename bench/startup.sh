#!/usr/bin/env bash
# Start-up and idle memory of each service's fat jar: from `java -jar` to the first 200 on /health/ready (ready,
# not only live) on an already-migrated database, and the resident memory (VmRSS) 5 s after, idle. Each service
# alone, unclustered, with the JVM's defaults; five runs each, interleaved; medians.
#
#   bench/startup.sh
#   bench/startup.sh --runs 3 --services "catalog gateway" --jvm "-XX:TieredStopAtLevel=1"
#
# Options:
#   --runs 5            runs of each service
#   --services "catalog orders jobs gateway bench"
#   --jvm OPTS          JAVA_TOOL_OPTIONS for every run
#   --aot on            (JDK 25) first records an AOT cache per service, with the same OPTS, on a training start that
#                       migrates and answers 300 requests, as ./surge does on a build's first run; the runs use it
#   --idle 5            seconds idle before RSS is read
#   --pg-url URL        PostgreSQL (default the local one, database surge_startup, dropped and created)
#   --redis-url URL     Redis (default redis://127.0.0.1:6379)
#   --out DIR           logs, startup.csv and startup.md (default bench/results/startup-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

runs=5
services="catalog orders jobs gateway bench"
jvm=""
aot=""
idle=5
pg_url="postgresql://postgres@127.0.0.1:5432/surge_startup"
redis_url="redis://127.0.0.1:6379"
out="bench/results/startup-$(date -u +%Y%m%d-%H%M%S)"
parse_options startup 18 "$@"
case "$aot" in on) ;; ""|off) aot="" ;; *) echo "startup: --aot is on or off" >&2; exit 2 ;; esac
need psql postgresql-client
for s in $services; do build_if_stale "$s"; done
mkdir -p "$out"
fresh_database "$pg_url"

port=18180
start() { # $1 service, $2 log, $3 more JVM options: starts it in the background; its pid in $started
  local env=(SURGE_HTTP_PORT=$port JAVA_TOOL_OPTIONS="$jvm ${3:-}")
  case "$1" in
    gateway) env+=(SURGE_REDIS_URL="$redis_url" SURGE_GATEWAY_UPSTREAMS_CATALOG=127.0.0.1:18181
      SURGE_GATEWAY_UPSTREAMS_ORDERS=127.0.0.1:18182 SURGE_GATEWAY_UPSTREAMS_JOBS=127.0.0.1:18183) ;;
    catalog) env+=(SURGE_PG_URL="$pg_url" SURGE_REDIS_URL="$redis_url") ;;
    *) env+=(SURGE_PG_URL="$pg_url") ;;
  esac
  env -u SURGE_BENCH_PG_URL -u SURGE_BENCH_REDIS_URL "${env[@]}" java -jar "services/$1/target/$1.jar" > "$2" 2>&1 &
  started=$!
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
trap 'stop "${started:-}"' EXIT

# A first start of each migrates the database: the runs measured start on a migrated one. With --aot it is also the
# training run: the JVM writes the cache as it exits (SIGTERM, not SIGKILL).
cache() { [ -n "$aot" ] && echo "-XX:AOTCache=$out/$1.aot"; true; }
for s in $services; do
  start "$s" "$out/$s-migrate.log" "${aot:+-XX:AOTCacheOutput=$out/$s.aot}"
  await_ready $port "$started" "$out/$s-migrate.log"
  if [ -n "$aot" ]; then
    path=/health/ready; [ "$s" = catalog ] && path="/products?limit=20"
    for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
  fi
  stop "$started"
  [ -z "$aot" ] || [ -s "$out/$s.aot" ] || { echo "startup: no AOT cache for $s (JDK 25 needed), see $out/$s-migrate.log" >&2; exit 1; }
done

csv="$out/startup.csv"
echo "service,run,ready_ms,rss_mib" > "$csv"
for run in $(seq 1 "$runs"); do
  for s in $services; do
    t0=$(date +%s%N)
    start "$s" "$out/$s-$run.log" "$(cache "$s")"
    until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
      kill -0 "$started" 2>/dev/null || { echo "startup: $s exited, see $out/$s-$run.log" >&2; exit 1; }
      sleep 0.01
    done
    ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    sleep "$idle"
    rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$started/status")
    stop "$started"
    echo "$s,$run,$ready_ms,$rss" | tee -a "$csv"
  done
done

python3 - "$csv" > "$out/startup.md" <<'PYTHON'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
services = list(dict.fromkeys(r["service"] for r in rows))
print("| service | ready (ms), median | runs (ms) | RSS idle (MiB), median |")
print("|---|---|---|---|")
for s in services:
    mine = [r for r in rows if r["service"] == s]
    ready = [int(r["ready_ms"]) for r in mine]
    rss = [int(r["rss_mib"]) for r in mine]
    print(f"| {s} | {statistics.median(ready):,.0f} | {' '.join(str(x) for x in ready)} | {statistics.median(rss):,.0f} |")
PYTHON
cat "$out/startup.md"
echo "startup: results in $out"
