#!/usr/bin/env bash
# The bench harness: runs the TechEmpower test types of services/bench under each concurrency model, instance
# count and metrics setting with wrk, and writes results.csv, summary.md and PNG charts.
#
#   bench/run.sh                                   # the full matrix (about 20 minutes on 2 cores)
#   bench/run.sh --models event-loop --instances "1 2" --tests json --duration 5s
#
# Options (each takes a space-separated list where it says so):
#   --models "event-loop worker virtual-thread"   concurrency models (bench.model)
#   --instances "1 2"                             HTTP instances (default: 1 and the number of processors)
#   --metrics "on off"                            metrics on, off, or both (the cost of observability); also
#                                                 traced-R: metrics on and tracing at sampling ratio R, its
#                                                 spans exported to a local sink (traced-0.1 traced-1)
#   --tests "plaintext json db queries fortunes updates cached-queries"
#   --connections "64"                            wrk connections, each count a run of its own
#   --duration 8s  --warmup 3s  --threads 2       wrk settings per run
#   --repeat 1                                    rounds over the whole matrix; charts use each median
#   --pg-url URL                                  PostgreSQL (default $SURGE_BENCH_PG_URL or the local one)
#   --out DIR                                     where results go (default bench/results/<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

models="event-loop worker virtual-thread"
instances="1 $(nproc)"
metrics="on off"
tests="plaintext json db queries fortunes updates cached-queries"
connections="64"
duration="8s"
warmup="3s"
threads="2"
repeat="1"
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_bench}"
out="bench/results/$(date -u +%Y%m%d-%H%M%S)"
port=18082

parse_options bench 20 "$@"

need wrk wrk
need gnuplot gnuplot-nox
need gawk gawk

jar=services/bench/target/bench.jar
build_if_stale bench

database="${pg_url##*/}"
server_url="${pg_url%/*}/postgres"
if command -v psql >/dev/null 2>&1 && ! psql "$pg_url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql "$server_url" -qc "CREATE DATABASE $database" >/dev/null
fi

url_of() {
  case "$1" in
    queries) echo "/queries?queries=20" ;;
    updates) echo "/updates?queries=20" ;;
    cached-queries) echo "/cached-queries?count=100" ;;
    *) echo "/$1" ;;
  esac
}

# wrk's latency figures come as 812.00us, 3.21ms or 1.02s: milliseconds out.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.3f", v }'; }

mkdir -p "$out"
csv="$out/results.csv"
echo "model,instances,metrics,test,connections,round,requests_per_s,p50_ms,p99_ms,errors" > "$csv"

# Rounds outermost, so that a slow minute of the machine spreads over every configuration.
for round in $(seq 1 "$repeat"); do
for model in $models; do
  for n in $instances; do
    for m in $metrics; do
      [ "$m" = off ] && metrics_enabled=false || metrics_enabled=true
      tracing=(SURGE_TRACING_ENABLED=false)
      if [[ "$m" == traced-* ]]; then
        [ -n "${otlp_sink_pid:-}" ] || start_otlp_sink $((port + 1))
        tracing=(SURGE_TRACING_ENABLED=true SURGE_TRACING_SAMPLING_RATIO="${m#traced-}"
          SURGE_TRACING_ENDPOINT="http://127.0.0.1:$((port + 1))/v1/traces")
      fi
      start_service "$out/service-$model-$n-$m.log" $port -- env SURGE_PG_URL="$pg_url" \
        SURGE_REDIS_URL="${SURGE_BENCH_REDIS_URL:-redis://127.0.0.1:6379}" SURGE_HTTP_PORT=$port \
        SURGE_HTTP_INSTANCES="$n" SURGE_BENCH_MODEL="$model" SURGE_METRICS_ENABLED="$metrics_enabled" \
        "${tracing[@]}" SURGE_LOG_ACCESS=off SURGE_PG_POOL_SIZE=16 java -jar "$jar"
      for t in $tests; do
        path=$(url_of "$t")
        wrk -t"$threads" -c64 -d"$warmup" "http://127.0.0.1:$port$path" >/dev/null 2>&1
        for c in $connections; do
          report=$(wrk -t"$threads" -c"$c" -d"$duration" --latency "http://127.0.0.1:$port$path")
          rps=$(echo "$report" | awk '/^Requests\/sec:/ { print $2 }')
          p50=$(echo "$report" | awk '$1 == "50%" { print $2 }' | to_ms)
          p99=$(echo "$report" | awk '$1 == "99%" { print $2 }' | to_ms)
          errors=$(wrk_errors "$report")
          echo "$model,$n,$m,$t,$c,$round,$rps,$p50,$p99,$errors" | tee -a "$csv"
        done
      done
      stop_service
    done
  done
done
done

bench/charts.sh "$csv"
echo "bench: results in $out"
