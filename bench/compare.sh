#!/usr/bin/env bash
# Surge's bench against its peers, interleaved in one run with the same wrk lines, and the ratio table of
# docs/BENCHMARKS.md. The peers (bench/peer/): the Python stack Surge replaces (gunicorn -w 2 with Flask and
# psycopg2, sync workers), and Vert.x core with its PostgreSQL client alone, built as TechEmpower's vertx entry is
# and started with that entry's JVM flags (RawVertx.java): issue 19's yardstick, measured rather than inferred.
#
#   bench/compare.sh                                  # 3 rounds of the 8 TechEmpower lines (about 17 minutes)
#   bench/compare.sh --rounds 1 --tests "json:16 db:64"
#   bench/compare.sh --models "event-loop worker virtual-thread"   # and each model against the event loop
#
# Options:
#   --rounds 3                       rounds; each round runs every line against every server in turn
#   --tests "plaintext:16 json:16 json:64 db:16 db:64 queries?queries=20:16 fortunes:16 updates?queries=20:16"
#   --models "event-loop"            bench's concurrency models (bench.model), each a server of its own
#   --peers "vertx gunicorn"         which peers run beside bench
#   --warmup 5s  --duration 8s       wrk -t1 before each measured run, and the measured run
#   --pg-url URL                     the database (default $SURGE_BENCH_PG_URL or the local surge_bench): bench
#                                    migrates its world and fortune tables, which the peers read
#   --out DIR                        where results go (default bench/results/compare-<timestamp>)
#
# Every server runs with its defaults (bench: chassis handlers and metrics on). Absolute figures on a shared
# 2-core machine are noise; ratios within one interleaved run are not: the table gives medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

rounds="3"
tests="plaintext:16 json:16 json:64 db:16 db:64 queries?queries=20:16 fortunes:16 updates?queries=20:16"
models="event-loop"
peers="vertx gunicorn"
warmup="5s"
duration="8s"
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_bench}"
out="bench/results/compare-$(date -u +%Y%m%d-%H%M%S)"
parse_options compare 22 "$@"

need wrk wrk
need psql postgresql-client
for peer in $peers; do
  [[ "$peer" == vertx || "$peer" == gunicorn ]] || { echo "compare: unknown peer $peer (vertx, gunicorn)" >&2; exit 2; }
done
if [[ " $peers " == *" gunicorn "* ]]; then
  need gunicorn gunicorn
  python3 -c 'import flask, psycopg2' 2>/dev/null || { echo "compare: installing Flask and psycopg2";
    apt-get update -qq >/dev/null && apt-get install -y -qq python3-flask python3-psycopg2 >/dev/null; }
fi

jar=services/bench/target/bench.jar
build_if_stale bench
mkdir -p "$out"

ensure_database "$pg_url"

# Every server up for the whole run, each idle while another is measured.
pids=()
stop_all() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT
servers=()
port=18082
for model in $models; do
  refuse_busy_port $port
  env -u SURGE_BENCH_PG_URL -u SURGE_BENCH_REDIS_URL SURGE_PG_URL="$pg_url" SURGE_HTTP_PORT=$port \
    SURGE_BENCH_MODEL="$model" java -jar "$jar" > "$out/bench-$model.log" 2>&1 &
  pids+=($!)
  await_ready $port "${pids[-1]}" "$out/bench-$model.log"
  servers+=("surge-$model=http://127.0.0.1:$port")
  port=$((port + 1))
done
# After bench, whose start migrated the tables the peers read. await_peer NAME PORT: up within 20 s, or the run
# stops with the peer's log (a peer that never answered would fill the table with zeros).
await_peer() {
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$2/json" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "compare: $1 did not answer on port $2:" >&2; tail -20 "$out/$1.log" >&2; exit 1
}
if [[ " $peers " == *" vertx "* ]]; then
  refuse_busy_port 18210
  # The entry's JVM flags, as its Dockerfile starts it.
  java --enable-native-access=ALL-UNNAMED -Xms2G -Xmx2G -XX:+UseParallelGC -Djava.lang.Integer.IntegerCache.high=10000 \
    -Dvertx.disableMetrics=true -Dvertx.disableWebsockets=true -Dvertx.disableContextTimings=true \
    -Dvertx.disableHttpHeadersValidation=true -Dvertx.cacheImmutableHttpResponseHeaders=true \
    -Dvertx.internCommonHttpRequestHeadersToLowerCase=true \
    -cp "$jar" bench/peer/RawVertx.java 18210 "$pg_url" > "$out/vertx-raw.log" 2>&1 &
  pids+=($!)
  await_peer vertx-raw 18210
  servers+=("vertx-raw=http://127.0.0.1:18210")
fi
if [[ " $peers " == *" gunicorn "* ]]; then
  refuse_busy_port 18200
  PEER_PG="$pg_url" gunicorn -w 2 -b 127.0.0.1:18200 --chdir bench/peer flask_tfb:app > "$out/gunicorn.log" 2>&1 &
  pids+=($!)
  await_peer gunicorn 18200
  servers+=("gunicorn-sync=http://127.0.0.1:18200")
fi

csv="$out/results.csv"
echo "server,round,test,connections,requests_per_s,errors" > "$csv"
for round in $(seq 1 "$rounds"); do
  # The tables as a server with autovacuum keeps them: /updates leaves tens of thousands of dead row versions a
  # round, which every later read walks past on a server without it (this machine's).
  psql "$pg_url" -qAtc "VACUUM ANALYZE world" >/dev/null 2>&1 || true
  for tc in $tests; do
    t=${tc%:*}; c=${tc##*:}
    for server in "${servers[@]}"; do
      name=${server%%=*}; base=${server#*=}
      wrk -t1 -c"$c" -d"$warmup" "$base/$t" >/dev/null 2>&1
      report=$(wrk -t1 -c"$c" -d"$duration" "$base/$t" 2>&1)
      rps=$(awk '/^Requests\/sec:/ { print int($2) }' <<<"$report")
      errors=$(wrk_errors "$report")
      echo "$name,$round,${t%%\?*},$c,${rps:-0},$errors" | tee -a "$csv"
    done
  done
done

python3 bench/compare_table.py "$csv" $models > "$out/ratios.md"
cat "$out/ratios.md"
echo "compare: results in $out"
