#!/usr/bin/env bash
# The flash-sale load check: one product with S units, B buyers at once, then the books.
#
#   bench/flash-sale.sh                            # S = 10,000 units, B = 100,000 buyers, 256 in flight
#   bench/flash-sale.sh --stock 100 --buyers 2000
#
# Options:
#   --stock 10000        units of the product
#   --buyers 100000      orders sent, each with an Idempotency-Key of its own, one unit each by default
#   --quantity 1         units per order
#   --concurrency 256    orders in flight at once
#   --warmup 100000      buyers of each warm-up sale (a product of a fifth as many units), not measured or
#                        checked: the JIT compiles the paths a sale takes (a cold JVM runs them a few times slower)
#   --warmup-sales 3     warm-up sales before the measured one; after each the service settles (below)
#   --client wrk         the buyers: wrk with bench/flash-sale.lua (light: C and LuaJIT), or jvm, the load client
#                        in services/bench (latency percentiles by outcome, but it takes a third of a core)
#   --pg-url URL         PostgreSQL (default $SURGE_BENCH_PG_URL or the local one, database surge_flash_sale)
#   --redis-url URL      Redis (default redis://127.0.0.1:6379)
#   --out DIR            where results go (default bench/results/flash-sale-<timestamp>)
#
# It runs services/standalone (catalog and orders in one process, one event bus) and the buyers, then checks
# in SQL: no unit sold twice (stock never below zero, units sold = S when the buyers want more), one order per
# successful key and no more, every order's lines held by reservations, and, once the sweeper has run, no
# reservation without its order. Exits 1 if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source bench/lib.sh

stock=10000
buyers=100000
quantity=1
concurrency=256
warmup=100000
warmup_sales=3
client=wrk
pg_url="${SURGE_BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/surge_flash_sale}"
redis_url="redis://127.0.0.1:6379"
out="bench/results/flash-sale-$(date -u +%Y%m%d-%H%M%S)"

parse_options flash-sale 24 "$@"

command -v psql >/dev/null 2>&1 || { echo "flash-sale: psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
case "$client" in
  wrk) need wrk wrk ;;
  jvm) ;;
  *) echo "flash-sale: --client is wrk or jvm" >&2; exit 2 ;;
esac
build_if_stale standalone
build_if_stale bench
fresh_database "$pg_url"
mkdir -p "$out"
sql() { psql "$pg_url" -qAtX -c "$1"; }

sweep_after=5
start_service "$out/service.log" 8081 8084 -- env SURGE_PG_URL="$pg_url" SURGE_REDIS_URL="$redis_url" \
  SURGE_LOG_ACCESS=off SURGE_LOG_LEVEL=warn SURGE_PG_POOL_SIZE="${SURGE_PG_POOL_SIZE:-8}" \
  SURGE_ORDERS_SWEEP_AFTER=${sweep_after}s SURGE_ORDERS_SWEEP_INTERVAL=1s SURGE_JOBS_DATA_DIR="$out/data" \
  java -jar services/standalone/target/standalone.jar

# sale PRODUCT BUYERS OUT: the buyers of one product, the summary as JSON in OUT.
sale() {
  if [ "$client" = "wrk" ]; then
    rm -f "$3".*.done
    PRODUCT=$1 BUYERS=$2 QUANTITY=$quantity THREADS=2 OUT="$3" RUN="$(basename "$3" .json)-$RANDOM$RANDOM" \
      wrk -t2 -c"$concurrency" -d1h --timeout 30s -s bench/flash-sale.lua http://127.0.0.1:8084 > "${3%.json}.log" &
    local wrk_pid=$!
    until [ "$(ls "$3".*.done 2>/dev/null | wc -l)" = 2 ]; do
      kill -0 "$wrk_pid" 2>/dev/null || { echo "flash-sale: wrk exited early, see ${3%.json}.log" >&2; exit 1; }
      sleep 0.2
    done
    kill -INT "$wrk_pid"; wait "$wrk_pid" || true
    rm -f "$3".*.done
  else
    java -cp services/bench/target/bench.jar dev.surge.bench.flashsale.FlashSaleLoad --product "$1" --buyers "$2" \
      --quantity "$quantity" --concurrency "$concurrency" --out "$3" > "${3%.json}.log"
  fi
}
# new_product UNITS: its id
new_product() {
  curl -fsS http://127.0.0.1:8081/products -H 'Content-Type: application/json' -d "{\"sku\": \"FLASH-$RANDOM$RANDOM\",
    \"name\": \"Flash-sale sneaker\", \"price\": 9900, \"currency\": \"EUR\", \"stock\": $1}" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}

compiled() { jstat -compiler "$service_pid" | awk 'NR == 2 {print $1}'; }
# settle: the measured sale starts from the state a service reaches in the minutes after a sale, not in its
# first seconds. The warm-up's orders are fulfilled (their jobs would compete with the measured sale); the JIT is
# quiet (on two busy cores C2 falls behind: its queue grows, HotSpot raises its thresholds to match, and the
# next sale set off a few hundred compilations, seven seconds of a compiler thread, before the warm-up sales
# were three); and its dead rows are vacuumed, which autovacuum does within a minute on any real PostgreSQL but
# not on this machine's, where it is off.
settle() {
  for _ in $(seq 1 240); do
    [ "$(sql "SELECT count(*) FROM orders WHERE status = 'pending'")" = "0" ] && break
    sleep 0.5
  done
  local now previous=-1
  for _ in $(seq 1 30); do
    now=$(compiled)
    [ "$now" = "$previous" ] && break
    previous=$now
    sleep 2
  done
  sql "VACUUM ANALYZE"
}

for round in $(seq 1 "$warmup_sales"); do
  [ "$warmup" -gt 0 ] || break
  echo "flash-sale: warm-up sale $round of $warmup buyers"
  before=$(compiled)
  sale "$(new_product $((warmup / 5)))" "$warmup" "$out/warmup-$round.json"
  settle
  echo "flash-sale: $(( $(compiled) - before )) methods compiled during warm-up sale $round and after"
done
jit_before=$(compiled)
product=$(new_product "$stock")
echo "flash-sale: $buyers buyers of product $product ($stock units), $client client"
sale "$product" "$buyers" "$out/load.json"
field() { python3 -c "import json,sys; d=json.load(open('$out/load.json')); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
placed=$(field 'd["placed"]')
jit_during=$(( $(compiled) - jit_before ))

# Orders still pending have their fulfil job to run; the sweeper needs sweep_after to pass.
for _ in $(seq 1 120); do
  [ "$(sql "SELECT count(*) FROM orders WHERE status = 'pending'")" = "0" ] && break
  sleep 0.5
done
sleep $((sweep_after + 2))

left=$(sql "SELECT stock FROM products WHERE id = $product")
sold=$(sql "SELECT coalesce(sum((l->>'quantity')::int), 0) FROM orders o, jsonb_array_elements(o.lines) l
            WHERE (l->>'productId')::bigint = $product AND o.status <> 'cancelled'")
orders=$(sql "SELECT count(*) FROM orders WHERE lines @> '[{\"productId\": $product}]'")
duplicate_keys=$(sql "SELECT count(*) - count(DISTINCT idempotency_key) FROM orders")
unheld_lines=$(sql "SELECT count(*) FROM orders o, jsonb_array_elements(o.lines) l WHERE NOT EXISTS
                    (SELECT 1 FROM stock_reservations r WHERE r.id = l->>'reservationId' AND r.status = 'reserved')")
orphans=$(sql "SELECT count(*) FROM stock_reservations r WHERE r.status = 'reserved' AND NOT EXISTS
               (SELECT 1 FROM orders o WHERE o.id::text = split_part(r.id, '/', 1))")
reserved_units=$(sql "SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE product_id = $product AND status = 'reserved'")
unconfirmed=$(sql "SELECT count(*) FROM orders WHERE status <> 'confirmed'")

wanted=$((buyers * quantity))
expected_sold=$(( wanted > stock ? stock - stock % quantity : wanted ))
failures=0
check() {
  if [ "$2" = "$3" ]; then echo "PASS  $1: $2"; else echo "FAIL  $1: $2, expected $3"; failures=$((failures + 1)); fi
}
{
  check "units sold" "$sold" "$expected_sold"
  check "stock left" "$left" "$((stock - expected_sold))"
  check "units sold + stock left = stock (nothing oversold, nothing lost)" "$((sold + left))" "$stock"
  check "orders stored = 201 answers" "$orders" "$placed"
  check "orders with a duplicate idempotency key" "$duplicate_keys" "0"
  check "order lines without their reservation" "$unheld_lines" "0"
  check "reservations without their order, after the sweeper" "$orphans" "0"
  check "units reserved = units sold" "$reserved_units" "$sold"
  check "orders not confirmed by their fulfil job" "$unconfirmed" "0"
} | tee "$out/checks.txt"
failures=$(grep -c '^FAIL' "$out/checks.txt" || true)

{
  echo "# Flash sale: $stock units, $buyers buyers of $quantity, $concurrency in flight"
  echo
  echo "| placed orders/s (while stock lasted) | sold-out rejections/s | p50 | p99 | answers by status |"
  echo "|---|---|---|---|---|"
  echo "| $(field 'd["placedPerSecond"]') | $(field 'd["soldOutRejectionsPerSecond"]') | $(field 'd["latencyMs"]["p50"]') ms | $(field 'd["latencyMs"]["p99"]') ms | $(field 'd["statuses"]') |"
  echo
  if [ "$client" = "jvm" ]; then
    echo "Placed orders: p50 $(field 'd["placedLatencyMs"]["p50"]') ms, p99 $(field 'd["placedLatencyMs"]["p99"]') ms;" \
      "rejections: p50 $(field 'd["rejectedLatencyMs"]["p50"]') ms, p99 $(field 'd["rejectedLatencyMs"]["p99"]') ms;"
  fi
  echo "$(field 'd["seconds"]') s in all, $(field 'd["requestsPerSecond"]') requests/s; buyers: $client;" \
    "after $warmup_sales warm-up sales of $warmup buyers; $jit_during methods JIT-compiled during the sale."
  echo
  echo '```'
  cat "$out/checks.txt"
  echo '```'
  echo
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), PostgreSQL $(sql 'SHOW server_version'); load client on the same cores."
} > "$out/summary.md"
cat "$out/summary.md"
[ "$failures" = "0" ]
