#!/usr/bin/env bash
# Smoke test of the Docker stack, for a machine with Docker (CI has none): builds and starts everything, then
# goes through the gateway as a user would, and checks Prometheus and Grafana. Leaves the stack running;
# `docker compose down -v` stops it.
#
#   ops/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
KEY="Authorization: Bearer surge-dev-key"   # the development key whose digest docker-compose.yml configures

docker compose up -d --build
echo "smoke: waiting for the gateway"
for _ in $(seq 1 120); do
  curl -fs http://127.0.0.1:8080/health/ready >/dev/null 2>&1 && break
  sleep 2
done
curl -fs http://127.0.0.1:8080/health/ready >/dev/null || { echo "smoke: the gateway never got ready" >&2; exit 1; }

fail() { echo "smoke: FAIL $*" >&2; exit 1; }
sku="SMOKE-$(date +%s)"
product=$(curl -fsS http://127.0.0.1:8080/api/catalog/products -H "$KEY" -H 'Content-Type: application/json' \
  -d "{\"sku\": \"$sku\", \"name\": \"Smoke\", \"price\": 100, \"currency\": \"EUR\", \"stock\": 3}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') || fail "creating a product"
echo "smoke: product $product created through the gateway"
status=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/api/catalog/products -H 'Content-Type: application/json' -d '{}')
[ "$status" = "401" ] || fail "a write without the key answered $status, not 401"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/api/orders/orders -H "$KEY" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: smoke-$sku" \
  -d "{\"customerId\": \"smoke\", \"lines\": [{\"productId\": $product, \"quantity\": 1}]}")
[ "$code" = "201" ] || fail "placing an order (orders reserving on a catalog replica over the cluster) answered $code"
echo "smoke: order placed; stock now $(curl -fsS http://127.0.0.1:8080/api/catalog/products/$product \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["stock"])')"
curl -fsS http://127.0.0.1:8080/api/jobs/queues >/dev/null || fail "the jobs API"

for _ in $(seq 1 30); do
  up=$(curl -fsS 'http://127.0.0.1:9090/api/v1/query?query=sum(up{job="surge"})' \
    | python3 -c 'import json, sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')
  [ "$up" = "5" ] && break
  sleep 2
done
[ "$up" = "5" ] || fail "Prometheus sees $up of 5 replicas up"
curl -fsS http://127.0.0.1:3000/api/health >/dev/null || fail "Grafana"
curl -fsS http://127.0.0.1:3000/api/dashboards/uid/surge >/dev/null || fail "the Surge dashboard in Grafana"
echo "smoke: PASS (gateway http://127.0.0.1:8080, Prometheus http://127.0.0.1:9090, Grafana http://127.0.0.1:3000)"
