#!/usr/bin/env bash
# The job queue benchmark: no-op jobs per second through one node of services/jobs, and enqueue-to-start latency
# at low load. Writes results.csv and summary.md.
#
#   bench/jobs.sh                                  # 100,000 jobs, 4 warm-up and 3 counted rounds, then 600 at 20/s
#   bench/jobs.sh --jobs 20000 --rounds 1 --warmup-rounds 1
#
# Options:
#   --jobs 100000        no-op jobs per round, inserted in one batch before the node claims them
#   --rounds 3           counted throughput rounds; the summary gives each and the median
#   --warmup-rounds 4    rounds of the same size run first and not counted: the rate climbs for four to five
#                        rounds of 50,000 while the JIT compiles the claim and completion paths (25,000 to 41,000
#                        jobs/s a round, docs/BENCHMARKS.md), so fewer would count a rise, not the rate
#   --limit 1000         the queue's concurrency on the node (jobs.queues=default=N; 1,000 at most). River's own
#                        benchmark, whose 46,000 jobs/s the issue compares with, runs 2,000 workers (its comment:
#                        about 1,000 was best); with fewer, each claim takes fewer jobs a round trip
#   --latency-jobs 600   jobs enqueued one at a time over POST /jobs for the latency run (after a third as many
#                        not counted)
#   --latency-warmup 5000  jobs enqueued over POST /jobs as fast as one client sends them before the latency run,
#                        so that it measures the service as it runs after minutes at 20 a second: without them the
#                        HTTP enqueue path had run 100 times when measuring began, and the JIT compiler's threads
#                        (100 or more compilations in the 30 s measured) kept the database backend and the event
#                        loops off the two cores for up to 4 ms at a time (a scheduler trace, docs/BENCHMARKS.md)
#   --rate 20            latency-run enqueues per second
#   --pg-url URL         PostgreSQL (default $SURGE_BENCH_PG_URL or the local one, database surge_jobs_bench)
#   --out DIR            where results go (default bench/results/jobs-<timestamp>)
#
# Throughput is counted by PostgreSQL's clocks: jobs / (last finished_at - first attempted_at), so the time to
# insert the batch is not in it. Latency is attempted_at - inserted_at of each job: from the enqueue's
# transaction to the claim that started it, notification and claim included.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

jobs=100000
rounds=3
warmup_rounds=4
limit=1000
latency_jobs=600
latency_warmup=5000
rate=20
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_jobs_bench}"
out="bench/results/jobs-$(date -u +%Y%m%d-%H%M%S)"
port=18083

parse_options bench 30 "$@"

need psql postgresql-client
need python3 python3
build_if_stale jobs
fresh_database "$pg_url"
mkdir -p "$out"
sql() { psql "$pg_url" -qAtX -c "$1"; }
# Until no job is left to run, asked every $1 s through the claim and lease indexes: a count over the table read
# every row of it, up to a quarter of a core taken from the queue under test with 200,000 jobs.
await_done() {
  while [ "$(sql "SELECT EXISTS (SELECT 1 FROM surge_jobs WHERE state = 'available' AND queue = 'default')
                         OR EXISTS (SELECT 1 FROM surge_jobs WHERE state = 'running')")" = "t" ]; do
    sleep "$1"
  done
}

start_service "$out/service.log" $port -- env SURGE_PG_URL="$pg_url" SURGE_REDIS_URL="${SURGE_BENCH_REDIS_URL:-redis://127.0.0.1:6379}" \
  SURGE_HTTP_PORT=$port SURGE_LOG_ACCESS=off \
  SURGE_LOG_LEVEL=warn SURGE_JOBS_QUEUES="default=$limit" SURGE_JOBS_DATA_DIR="$out/data" SURGE_SHUTDOWN_GRACE=5s \
  java -jar services/jobs/target/jobs.jar

echo "round,jobs,seconds,jobs_per_second" > "$out/results.csv"
# Warm-up rounds of the same size, so the JIT has compiled the claim and completion paths before the counted
# rounds (after a tenth of one, the first counted round still ran at half the speed of the others; after one, the
# next four still climbed).
for round in $(seq $((1 - warmup_rounds)) "$rounds"); do
  n=$jobs
  # Each round starts from an empty, vacuumed table, so the rounds compare.
  sql "DELETE FROM surge_jobs"
  sql "VACUUM ANALYZE surge_jobs"
  sql "INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
       SELECT 'noop', 'default', 'available', 20, 60000 FROM generate_series(1, $n);
       SELECT pg_notify('surge_jobs', 'default');" >/dev/null
  await_done 0.5
  seconds=$(sql "SELECT round(extract(epoch FROM max(finished_at) - min(attempted_at))::numeric, 3) FROM surge_jobs")
  rate_done=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  # A round that took long: a slower rate throughout, or a few jobs late (run again after a lost attempt)? The time
  # by which 99% had finished, and the jobs that took more than one attempt, tell them apart.
  tail_info=$(sql "SELECT round(extract(epoch FROM percentile_disc(0.99) WITHIN GROUP (ORDER BY finished_at)
                                 - min(attempted_at))::numeric, 3) || 's to 99%, '
                          || count(*) FILTER (WHERE attempt > 1) || ' run more than once' FROM surge_jobs")
  if [ "$round" -le 0 ]; then
    echo "bench: warm-up $n jobs in ${seconds}s ($rate_done jobs/s; $tail_info)"
  else
    echo "bench: round $round: $n jobs in ${seconds}s ($rate_done jobs/s; $tail_info)"
    echo "$round,$n,$seconds,$rate_done" >> "$out/results.csv"
  fi
done

sql "DELETE FROM surge_jobs"
sql "VACUUM ANALYZE surge_jobs"
# One client process on one kept-alive connection, paced by the clock: a curl started per job took the CPU from
# the notification and the claim it was measuring, on two cores.
# $1 jobs at $2 a second (0: as fast as the one client goes).
enqueue_at_rate() {
  python3 - "$port" "$2" "$1" <<'PY'
import http.client, sys, time
port, rate, n = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
client = http.client.HTTPConnection("127.0.0.1", port)
due = time.monotonic()
for _ in range(n):
    client.request("POST", "/jobs", body='{"type":"noop"}', headers={"Content-Type": "application/json"})
    response = client.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit(f"bench: POST /jobs answered {response.status}")
    if rate > 0:
        due += 1 / rate
        time.sleep(max(0.0, due - time.monotonic()))
PY
}
# The HTTP enqueue path has not run before this point: --latency-warmup jobs at full speed, so the JIT compiles
# it, then a third as many at the measured rate, none of them counted.
enqueue_at_rate "$latency_warmup" 0
await_done 0.2
enqueue_at_rate $((latency_jobs / 3)) "$rate"
await_done 0.2
sql "DELETE FROM surge_jobs"
enqueue_at_rate "$latency_jobs" "$rate"
await_done 0.2
latency=$(sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) || ',' ||
                      round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2) || ',' ||
                      round(max(ms)::numeric, 2)
               FROM (SELECT extract(epoch FROM attempted_at - inserted_at) * 1000 AS ms FROM surge_jobs) l")
echo "latency_p50_ms,latency_p99_ms,latency_max_ms" > "$out/latency.csv"
echo "$latency" >> "$out/latency.csv"

median=$(tail -n +2 "$out/results.csv" | cut -d, -f4 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
{
  echo "# Job queue: $jobs no-op jobs per round, queue limit $limit, one node, after $warmup_rounds warm-up rounds"
  echo
  echo "| round | jobs | seconds | jobs/s |"
  echo "|---|---|---|---|"
  tail -n +2 "$out/results.csv" | awk -F, '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
  echo
  echo "Median: **$median jobs/s**."
  echo
  echo "Enqueue-to-start latency, $latency_jobs jobs over POST /jobs at $rate/s, after $latency_warmup at full speed and" \
    "$((latency_jobs / 3)) at $rate/s not counted:" \
    "p50 **$(cut -d, -f1 <<<"$latency") ms**, p99 $(cut -d, -f2 <<<"$latency") ms, max $(cut -d, -f3 <<<"$latency") ms."
  echo
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), PostgreSQL $(sql 'SHOW server_version')."
} > "$out/summary.md"
cat "$out/summary.md"
