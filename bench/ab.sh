#!/usr/bin/env bash
# Two builds of bench side by side: each jar on its own port, the same wrk lines against each in turn, the order
# swapped every round (A B, B A, ...) and the jars' ports and start order swapped halfway; for each line the median
# of the rounds' ratios B / A, in requests a second and in the JVM's CPU per request (from /proc: this VM has no
# hardware counters). For a change whose gain is smaller than this machine's drift between minutes: a ratio
# within a round is what holds.
#
#   bench/ab.sh --a /tmp/bench-old.jar --b services/bench/target/bench.jar
#   bench/ab.sh --a old.jar --b new.jar --tests "db:16 fortunes:16 json:64" --rounds 6
#
# Options:
#   --a JAR  --b JAR               the two builds (A the reference)
#   --tests "json:64 db:16 db:64 fortunes:16"   path:connections, as bench/compare.sh
#   --rounds 6  --warmup 3s  --duration 6s  --threads 1
#   --settle 15s                   after each start, every line against each JVM for this long, not counted: a
#                                  JVM's JIT compiles for longer than one line's warm-up here, and a JVM that does
#                                  more (tracing on, say) longer still
#   --env ""  --b-env ""           extra VAR=value for both JVMs (SURGE_BENCH_MODEL=worker, say), and for B's alone
#   --pg-url URL                   the database (default $SURGE_BENCH_PG_URL or the local surge_bench)
#   --out DIR                      where results go (default bench/results/ab-<timestamp>)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

a=""
b=""
tests="json:64 db:16 db:64 fortunes:16"
rounds="6"
warmup="3s"
duration="6s"
settle="15s"
threads="1"
env=""
b_env=""
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_bench}"
out="bench/results/ab-$(date -u +%Y%m%d-%H%M%S)"
parse_options ab 20 "$@"
[ -f "$a" ] && [ -f "$b" ] || { echo "ab: --a and --b must name two jars (the same one twice with --b-env)" >&2; exit 2; }

need wrk wrk
need psql postgresql-client
mkdir -p "$out"
ensure_database "$pg_url"

# Each half of the rounds with the two jars in the other's place: the JVM started first, on the first port, ran
# measurably faster on some lines in an A/A run (/fortunes 0.94, 0 rounds of 6 ahead), so a jar keeps neither
# place throughout.
pids=()
stop_all() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap stop_all EXIT
declare -A port=() pid=()
start_pair() { # $1 the side started first, on 18082
  local first=$1 side p=18082 extra
  for side in "$first" $([ "$first" = a ] && echo b || echo a); do
    port[$side]=$p
    refuse_busy_port "$p"
    extra=""; [ "$side" = b ] && extra=$b_env
    # shellcheck disable=SC2086 # --env and --b-env are lists of words
    env -u SURGE_BENCH_PG_URL -u SURGE_BENCH_REDIS_URL SURGE_PG_URL="$pg_url" SURGE_HTTP_PORT="$p" $env $extra \
      java -jar "${!side}" > "$out/bench-$side-$first.log" 2>&1 &
    pid[$side]=$!
    pids+=("${pid[$side]}")
    await_ready "$p" "${pid[$side]}" "$out/bench-$side-$first.log"
    p=$((p + 1))
  done
  for side in a b; do
    for tc in $tests; do
      wrk -t"$threads" -c"${tc##*:}" -d"$settle" "http://127.0.0.1:${port[$side]}/${tc%:*}" >/dev/null 2>&1 || true
    done
  done
}

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system, in clock ticks
hz=$(getconf CLK_TCK)
csv="$out/results.csv"
echo "side,round,test,connections,requests_per_s,cpu_us_per_request,errors" > "$csv"
for round in $(seq 1 "$rounds"); do
  if [ "$round" = 1 ] || [ "$round" = $((rounds / 2 + 1)) ]; then
    stop_all
    start_pair "$([ "$round" = 1 ] && echo a || echo b)"
  fi
  order="a b"; [ $((round % 2)) = 0 ] && order="b a"
  for tc in $tests; do
    t=${tc%:*}; c=${tc##*:}
    for side in $order; do
      base="http://127.0.0.1:${port[$side]}"
      wrk -t"$threads" -c"$c" -d"$warmup" "$base/$t" >/dev/null 2>&1 \
        || { echo "ab: wrk failed against $side ($base/$t); see $out/bench-$side-*.log" >&2; exit 1; }
      before=$(ticks "${pid[$side]}")
      report=$(wrk -t"$threads" -c"$c" -d"$duration" "$base/$t" 2>&1)
      after=$(ticks "${pid[$side]}")
      requests=$(awk '/requests in/ { print $1 }' <<<"$report")
      rps=$(awk '/^Requests\/sec:/ { print int($2) }' <<<"$report")
      cpu=$(awk -v d=$((after - before)) -v n="${requests:-0}" -v hz="$hz" 'BEGIN { printf "%.2f", n ? d / hz * 1e6 / n : 0 }')
      # Counted: a build that fails fast is no faster.
      errors=$(wrk_errors "$report")
      echo "$side,$round,$t,$c,${rps:-0},$cpu,$errors" | tee -a "$csv"
    done
  done
done

python3 - "$csv" <<'PY' | tee "$out/ratios.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
lines = []
for r in rows:
    key = (r["test"], r["connections"])
    if key not in lines:
        lines.append(key)
print("| test (connections) | A req/s | B req/s | B / A req/s | B / A CPU per request | rounds B ahead | errors A / B |")
print("|---|---|---|---|---|---|---|")
for test, conns in lines:
    by = {}
    for r in rows:
        if (r["test"], r["connections"]) == (test, conns):
            by.setdefault(r["round"], {})[r["side"]] = r
    errors = {side: sum(int(v[side]["errors"]) for v in by.values() if side in v) for side in "ab"}
    pairs = [v for v in by.values() if "a" in v and "b" in v and float(v["a"]["requests_per_s"]) > 0
             and float(v["a"]["cpu_us_per_request"]) > 0]
    if not pairs:
        print(f"| `/{test}` ({conns}) | no round with answers | | | | | {errors['a']} / {errors['b']} |")
        continue
    rps = [float(v["b"]["requests_per_s"]) / float(v["a"]["requests_per_s"]) for v in pairs]
    cpu = [float(v["b"]["cpu_us_per_request"]) / float(v["a"]["cpu_us_per_request"]) for v in pairs]
    med = lambda side: statistics.median(float(v[side]["requests_per_s"]) for v in pairs)
    print(f"| `/{test}` ({conns}) | {med('a'):,.0f} | {med('b'):,.0f} | {statistics.median(rps):.3f} | "
          f"{statistics.median(cpu):.3f} | {sum(x > 1 for x in rps)} of {len(rps)} | {errors['a']} / {errors['b']} |")
PY
echo "ab: results in $out"
