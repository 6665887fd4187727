#!/usr/bin/env bash
# The platform in containers, with faults: builds the images from the repository's Dockerfile, starts
# docker-compose.yml (every service but Grafana), goes through the gateway as a user would, then breaks things
# under a steady load through the gateway and fails if a promise breaks. Prints each figure it measures, and
# writes them to $OUT (default target/compose-test).
#
#   ops/compose-test.sh              # smoke and every fault
#   FAULTS=0 ops/compose-test.sh     # smoke only
#   FAULTS=catalog,partition,jobs,postgres ops/compose-test.sh   # smoke and those faults (CI's), in this order:
#     catalog    docker kill a catalog replica, then start it again
#     partition  a catalog replica cut off the network, then back
#     jobs       docker kill the jobs container mid-job
#     stops      docker stop (SIGTERM) one replica of each service in turn, then start it again
#     postgres   docker restart PostgreSQL
#   KEEP=1 ops/compose-test.sh       # leave the stack (and a Docker engine this script started) running
#   LOGS=1 ops/compose-test.sh       # keep the services' logs in $OUT/logs (always kept when the run fails)
#   IMAGES_ONLY=1 ops/compose-test.sh  # build the images and stop there (CI builds them while its tests run; the
#                                      # run after finds every layer cached)
#
# Docker: the engine DOCKER_HOST (or the default socket) names, if one answers; else this script starts its own
# (its own data root and socket under $ENGINE_DIR, default /var/tmp/surge-compose-test), stopped and removed at
# the end, also on failure. Base images: the real ones when present; else OFFLINE_IMAGES=1 (the default when none
# can be pulled) builds local stand-ins with ops/offline-images/build.sh, from Debian's packages. The Maven stage
# of the build downloads its dependencies inside the build; when this machine's local Maven repository is there
# it is served to the build as a repository tried before Maven Central (MAVEN_CACHE=0: Central only).
#
# Test traffic goes only to the host's loopback (the gateway, Prometheus and the bench service, published on free ports of 127.0.0.1) and to the
# containers of the compose network, 172.30.0.0/24.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PROJECT=${COMPOSE_PROJECT_NAME:-surgetest}
export COMPOSE_PROJECT_NAME=$PROJECT
free_port() { "${PY:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export GATEWAY_PUBLISH=127.0.0.1:$(free_port) PROMETHEUS_PUBLISH=127.0.0.1:$(free_port) BENCH_PUBLISH=127.0.0.1:$(free_port)
GW=http://$GATEWAY_PUBLISH
PROM=http://$PROMETHEUS_PUBLISH
BENCH=http://$BENCH_PUBLISH
KEY=surge-dev-key
AUTH="Authorization: Bearer $KEY"
OUT=${OUT:-$root/target/compose-test}
ENGINE_DIR=${ENGINE_DIR:-/var/tmp/surge-compose-test}
SERVICES=(catalog orders jobs gateway bench)
declare -A PORT=([gateway]=8080 [catalog]=8081 [bench]=8082 [jobs]=8083 [orders]=8084)
RUN_SERVICES=(postgres redis catalog catalog-2 orders orders-2 jobs jobs-2 gateway gateway-2 edge prometheus)
JVM_SERVICES=(catalog catalog-2 orders orders-2 jobs jobs-2 gateway gateway-2) # Surge's own containers
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.csv "$OUT"/*.id "$OUT"/load.stop

log() { echo "compose-test: $*"; }
fail() { echo "compose-test: FAIL $*" >&2; exit 1; }
figure() { echo "$1: $2" | tee -a "$OUT/figures.txt"; }
ALL_FAULTS=catalog,partition,jobs,stops,postgres
case "${FAULTS:-1}" in 1|all) FAULTS=$ALL_FAULTS ;; 0|none) FAULTS= ;; esac
for f in ${FAULTS//,/ }; do [[ ",$ALL_FAULTS," == *",$f,"* ]] || fail "FAULTS: no fault named $f (one of $ALL_FAULTS)"; done
fault() { [[ ",$FAULTS," == *",$1,"* ]]; }
# A deadline for the whole run (DEADLINE, in epoch seconds; CI sets it): a fault that would likely end past it,
# by the durations below (about 1.3 times those measured in CI on 2026-12-05: catalog 45 s, partition 28, jobs 30,
# stops 130, postgres 16, after the faults 35; jobs 20 s more since its jobs last 20 s), is skipped and said so, and
# the run ends in time.
declare -A FAULT_SECONDS=([catalog]=60 [partition]=40 [jobs]=60 [stops]=170 [postgres]=25)
# After the faults: the books (the sweeper's 30 s and its sweep), the logs, docker-compose down. CI on 2026-12-06
# (stop 37) ended 34 s past its deadline with 60 here: 90.
AFTER_FAULTS_SECONDS=90
skipped=()
late() { # $1 seconds: whether that much work, and what follows the faults, would end past the deadline
  [ -n "${DEADLINE:-}" ] && [ $(( $(date +%s) + $1 + AFTER_FAULTS_SECONDS )) -gt "$DEADLINE" ]
}
due() { # $1 a fault: whether to run it now
  fault "$1" || return 1
  if late "${FAULT_SECONDS[$1]}"; then
    log "SKIP $1: it would likely end past the run's deadline ($(( DEADLINE - $(date +%s) )) s left)"
    skipped+=("$1")
    FAULTS=$(echo ",$FAULTS," | sed "s/,$1,/,/; s/^,//; s/,$//")
    return 1
  fi
}
now_ms() { date +%s%3N; }
elapsed() { echo $(( $(now_ms) - $1 )); }
# Debian's Python, not a version manager's shim in front of it (a second a call).
PY=$(command -v /usr/bin/python3 || command -v python3)
json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---- the engine ---------------------------------------------------------------------------------------------------
DOCKER=$(command -v /usr/bin/docker || command -v docker || true)
[ -n "$DOCKER" ] || fail "no docker client (apt-get install docker.io docker-compose)"
command -v docker-compose >/dev/null || fail "no docker-compose (apt-get install docker-compose)"
export DOCKER
own_engine=0
if ! "$DOCKER" info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || fail "no Docker engine answers, and no dockerd to start"
  mkdir -p "$ENGINE_DIR"
  export DOCKER_HOST="unix://$ENGINE_DIR/docker.sock"
  log "starting a Docker engine ($ENGINE_DIR)"
  # No userland proxy: the gateway's published port then refuses connections while the gateway is away, as a
  # host's port does, instead of Docker's proxy accepting each one and closing it unanswered.
  dockerd --data-root "$ENGINE_DIR/root" --exec-root "$ENGINE_DIR/exec" -H "$DOCKER_HOST" --userland-proxy=false \
    --pidfile "$ENGINE_DIR/dockerd.pid" > "$ENGINE_DIR/dockerd.log" 2>&1 &
  own_engine=1
  for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -20 "$ENGINE_DIR/dockerd.log" >&2; fail "the Docker engine did not start"; }
fi
compose() { docker-compose -f "$root/docker-compose.yml" -f "$root/ops/compose-test.yml" "$@"; }
# Each service's container, looked up once it is up (docker-compose is a Python program: a second of CPU a call).
declare -A CONTAINER=()
container() { echo "${CONTAINER[$1]:-$(compose ps -q "$1")}"; }

cache_pid=""
load_pid=""
cleanup() {
  local rc=$?
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$cache_pid" ] && kill "$cache_pid" 2>/dev/null || true
  if [ "$rc" != 0 ] || [ "${LOGS:-}" = 1 ]; then
    log "logs of the services in $OUT/logs"
    mkdir -p "$OUT/logs"
    for s in "${RUN_SERVICES[@]}" bench; do compose --profile bench logs --no-color "$s" > "$OUT/logs/$s.log" 2>&1 || true; done
  fi
  if [ -z "${KEEP:-}" ]; then
    compose --profile bench down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
    if [ "$own_engine" = 1 ]; then
      local pid; pid=$(cat "$ENGINE_DIR/dockerd.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      [ -n "${KEEP_IMAGES:-}" ] || rm -rf "$ENGINE_DIR" 2>/dev/null || true
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
figure "docker engine" "$("$DOCKER" version --format '{{.Server.Version}}'), $(docker-compose version --short)"

# The stack's networks take fixed subnets (docker-compose.yml). A bridge that an engine killed before it could clean
# up left behind still holds their routes on the host, and the stack's own bridges then carry nothing between
# containers: both catalogs timed out connecting to PostgreSQL, restart after restart (CI on 2026-12-07, after a
# session's stack; reproduced on 2026-12-08 with the bridges a killed engine had left). Such a bridge, which no
# network of this engine owns and no container uses (no carrier), is removed; one in use stops the run.
if command -v ip >/dev/null; then
  ours=$("$DOCKER" network ls -q --no-trunc | cut -c1-12 | sed 's/^/br-/')
  for subnet in 172.30.0.0/24 172.31.0.0/24; do
    for dev in $(ip -o route show "$subnet" | sed -n 's/.* dev \(br-[0-9a-f]*\) .*/\1/p'); do
      grep -qx "$dev" <<< "$ours" && continue
      if ip -o link show "$dev" | grep -q NO-CARRIER; then
        log "removing $dev, a bridge left on the stack's subnet $subnet by an engine that is gone"
        ip link delete "$dev" || fail "$dev, a bridge left by an engine that is gone, holds $subnet: remove it"
      else
        fail "$dev holds the stack's subnet $subnet and carries traffic: another stack runs on this host"
      fi
    done
  done
fi

# ---- the images ---------------------------------------------------------------------------------------------------
t0=$(now_ms)
base_images=("$(sed -n 's/^FROM \(maven:[^ ]*\).*/\1/p' Dockerfile)" "$(sed -n 's/^FROM \(eclipse-temurin:[^ ]*\).*/\1/p' Dockerfile)"
  $(sed -n 's#^ *image: *\(postgres:[^ ]*\|redis:[^ ]*\|prom/prometheus:[^ ]*\|haproxy:[^ ]*\) *$#\1#p' docker-compose.yml))
missing=()
for image in "${base_images[@]}"; do "$DOCKER" image inspect "$image" >/dev/null 2>&1 || missing+=("$image"); done
if [ "${#missing[@]}" -gt 0 ] && [ "${OFFLINE_IMAGES:-auto}" != 0 ]; then
  if [ "${OFFLINE_IMAGES:-auto}" = 1 ] || ! timeout 30 "$DOCKER" pull -q "${missing[0]}" >/dev/null 2>&1; then
    log "no registry answers: building stand-ins for ${missing[*]}"
    DOCKER="$DOCKER" ops/offline-images/build.sh
  fi
fi
figure "base images (stand-ins built here when no registry answers)" "$(elapsed "$t0") ms"

build_args=()
network=()
if [ "${MAVEN_CACHE:-1}" = 1 ] && [ -d "$HOME/.m2/repository" ]; then
  # A fixed port when it is free: the build argument is part of the build cache's key.
  cache_port=38123
  python3 -c "import socket; socket.socket().bind(('127.0.0.1', $cache_port))" 2>/dev/null || cache_port=$(free_port)
  python3 -m http.server --bind 127.0.0.1 --directory "$HOME/.m2/repository" "$cache_port" >/dev/null 2>&1 &
  cache_pid=$!
  build_args=(--build-arg "MAVEN_REPOSITORY=http://127.0.0.1:$cache_port")
  network=(--network host)
fi
t0=$(now_ms)
for s in "${SERVICES[@]}"; do
  t1=$(now_ms)
  DOCKER_BUILDKIT=0 "$DOCKER" build -q "${network[@]}" "${build_args[@]}" --build-arg "SERVICE=$s" -t "surge/$s:dev" . >/dev/null || fail "building the $s image"
  figure "image surge/$s:dev" "built in $(elapsed "$t1") ms, $("$DOCKER" image inspect -f '{{.Size}}' "surge/$s:dev" \
    | awk '{printf "%.0f MB", $1 / 1e6}')"
done
[ -n "$cache_pid" ] && { kill "$cache_pid"; cache_pid=""; }
figure "images built" "$(elapsed "$t0") ms"
if [ "${IMAGES_ONLY:-}" = 1 ]; then
  log "images built (IMAGES_ONLY=1)"
  exit 0
fi

# ---- up -----------------------------------------------------------------------------------------------------------
t0=$(now_ms)
# Why a service did not come up, on CI's own output (its logs in $OUT stay on the CI machine): each container not
# healthy (or, without a health check, not running), with its state, its last health checks and its last lines.
is_up() { # $1 a container: healthy, or running when it has no health check
  [[ "$("$DOCKER" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1")" \
    =~ ^(healthy|running)$ ]]
}
not_up() {
  local s id up=()
  local state='{{.State.Status}}, exit {{.State.ExitCode}}, restarted {{.RestartCount}}, started {{.State.StartedAt}},
  networks{{range $name, $net := .NetworkSettings.Networks}} {{$name}} {{$net.IPAddress}}{{end}}'
  local checks='{{if .State.Health}}, {{.State.Health.Status}}:{{range .State.Health.Log}}
  check at {{.Start}}: exit {{.ExitCode}} {{.Output}}{{end}}{{end}}'
  for s in "${RUN_SERVICES[@]}"; do
    id=$(container "$s" 2>/dev/null || true)
    [ -n "$id" ] || { echo "compose-test: $s: no container" >&2; continue; }
    if is_up "$id"; then
      up+=("compose-test: $s: up: $("$DOCKER" inspect -f "$state" "$id")")
      continue
    fi
    echo "compose-test: $s: $("$DOCKER" inspect -f "$state$checks" "$id")" >&2
    # The JDK's warnings about Hazelcast's use of Unsafe are in every JVM's start: not why. (A container never
    # started has no lines: grep finds none, which pipefail would make the end of the script.)
    { "$DOCKER" logs --tail 40 "$id" 2>&1 || true; } | { grep -v '^WARNING: ' || true; } | tail -15 | cut -c1-400 \
      | sed "s/^/  $s| /" >&2
  done
  # Those up, a line each and last (CI keeps an output's end): a database that restarted or came up late is part
  # of why (CI, 2026-12-07: both catalogs failed to reach a PostgreSQL said healthy, and nothing more was shown).
  [ "${#up[@]}" -eq 0 ] || printf '%s\n' "${up[@]}" >&2
}
if ! compose up -d --no-build "${RUN_SERVICES[@]}" > "$OUT/up.txt" 2>&1; then
  tail -5 "$OUT/up.txt" >&2
  not_up
  fail "docker-compose up"
fi
for _ in $(seq 1 120); do curl -fs "$GW/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$GW/health/ready" >/dev/null || { not_up; fail "the gateway never got ready"; }
for s in "${RUN_SERVICES[@]}"; do CONTAINER[$s]=$(compose ps -q "$s"); done
figure "docker-compose up until the gateway is ready (health checks in depends_on order)" "$(elapsed "$t0") ms"
# Each JVM (a service of PORT's, replicas included) started from its image's AOT cache: a JVM that cannot use its
# cache (another JDK, a heap without compressed pointers) says so in [aot] lines.
for s in "${RUN_SERVICES[@]}"; do
  [ -n "${PORT[${s%-2}]:-}" ] || continue
  aot=$("$DOCKER" logs "${CONTAINER[$s]}" 2>&1 | grep -F '][aot]' | head -3 || true)
  [ -z "$aot" ] || fail "$s did not start from its image's AOT cache: $aot"
done

psql_count() { "$DOCKER" exec "$(container postgres)" psql -U surge -d surge -qAtX -c "$1"; }
healthy() { [ "$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$(container "$1")" 2>/dev/null)" = healthy ]; }
wait_healthy() { # $1 service, $2 seconds
  for _ in $(seq 1 $(( $2 * 2 ))); do healthy "$1" && return 0; sleep 0.5; done
  return 1
}
members() { # the cluster the service sees: its surge_cluster_members gauge, read inside its container
  local port=${PORT[${1%-2}]}
  "$DOCKER" exec "$(container "$1")" curl -fsS --max-time 2 "http://127.0.0.1:$port/metrics" 2>/dev/null \
    | sed -n 's/^surge_cluster_members\({[^}]*}\)\{0,1\} \([0-9]*\).*/\2/p' | head -1 || true
}
wait_cluster() { # $1 service, $2 size, $3 seconds
  for _ in $(seq 1 $(( $3 * 2 ))); do [ "$(members "$1")" = "$2" ] && return 0; sleep 0.5; done
  return 1
}

# The load's requests as each service's access log names their route (SteadyLoad: catalog reads, orders, job-queue
# reads, each through a gateway); probes, scrapes and the gateways' contract reads are none of them.
declare -A LOAD_ROUTE=([gateway]='"route":"/api/' [catalog]='"route":"/products/:id"' [orders]='"route":"/orders"'
  [jobs]='"route":"/queues"')
load_running() { [ -n "$load_pid" ] && kill -0 "$load_pid" 2>/dev/null && [ ! -e "$OUT/load.stop" ]; }
serves_load() { # $1 a service's container (catalog-2 too): it answered one of the load's requests since $2 (epoch s)
  local served # counted, not grep -q: an early exit would end docker logs with SIGPIPE, a failure under pipefail
  served=$("$DOCKER" logs --since "$2" "$(container "$1")" 2>&1 | grep -c -F "${LOAD_ROUTE[${1%-2}]}" || true)
  [ "${served:-0}" -gt 0 ]
}
takes_traffic() { # $1 what is reported, $2 the container: it answers the load's requests again within 30 s
  local since t0
  since=$(date +%s)
  t0=$(now_ms)
  for _ in $(seq 1 60); do serves_load "$2" "$since" && break; sleep 0.5; done
  # A load that has ended sends nothing for the service to take: the run's, not the service's, failure (2026-12-07:
  # on a starved machine the faults outlasted the load's old 900-s cap, read twice as a replica never taken back).
  serves_load "$2" "$since" || { load_running || fail "the load client ended before $1 could be checked: $(tail -3 \
    "$OUT/load.txt")"; fail "$1: took none of the load's requests in the 30 s after"; }
  figure "$1: serving the load again after" "$(elapsed "$t0") ms"
}

# ---- smoke --------------------------------------------------------------------------------------------------------
# The bench service starts now, checked at the end of the smoke (a JVM takes most of a minute to start here).
compose --profile bench up -d --no-build bench >/dev/null 2>&1 || fail "starting the bench service"
sku="SMOKE-$(date +%s)"
product=$(curl -fsS "$GW/api/catalog/products" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"sku\": \"$sku\", \"name\": \"Smoke\", \"price\": 100, \"currency\": \"EUR\", \"stock\": 1000000}" \
  | json 'd["id"]') || fail "creating a product through the gateway"
status=$(curl -s -o /dev/null -w '%{http_code}' "$GW/api/catalog/products" -H 'Content-Type: application/json' -d '{}')
[ "$status" = 401 ] || fail "a write without the key answered $status, not 401"
# A 503 says nothing was ordered and to send the request again: a client does, with the same key. The first
# orders after the start reach services still cold on a loaded machine (once, the first waited out the 4 s the
# catalog has to confirm); an order that keeps failing fails the smoke.
retried=0
for i in 1 2 3 4; do
  for attempt in 1 2 3; do
    code=$(curl -s -o "$OUT/order.json" -w '%{http_code}' "$GW/api/orders/orders" -H "$AUTH" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: smoke-$sku-$i" \
      -d "{\"customerId\": \"smoke\", \"lines\": [{\"productId\": $product, \"quantity\": 1}]}")
    [ "$code" = 503 ] && [ "$attempt" -lt 3 ] || break
    retried=$((retried + 1))
    sleep 2
  done
  [ "$code" = 201 ] || fail "placing an order answered $code: $(cat "$OUT/order.json")"
done
figure "smoke: orders answered 503 and sent again" "$retried"
# A reservation the catalog made after its order gave up is given back by the sweeper (under a second here).
for _ in $(seq 1 30); do
  stock=$(curl -fsS "$GW/api/catalog/products/$product" | json 'd["stock"]')
  [ "$stock" = 999996 ] && break
  sleep 1
done
[ "$stock" = 999996 ] || fail "four orders left the stock at $stock, not 999996"
log "4 orders placed through the gateway: orders reserved the stock on the catalog replicas over the clustered bus"
job=$(curl -fsS "$GW/api/jobs/jobs" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"type": "sleep", "args": {"ms": 200, "steps": 2}}' | json 'd["id"]') || fail "enqueueing a job"
for _ in $(seq 1 60); do
  state=$(curl -fsS "$GW/api/jobs/jobs/$job" -H "$AUTH" | json 'd["state"]')
  [ "$state" = completed ] && break
  sleep 0.5
done
[ "$state" = completed ] || fail "job $job is $state, not completed"
log "job $job enqueued through the gateway ran to completed"
# Tracing (compose's x-tracing): a job enqueued through the gateway carries a trace (its attempts are spans of it):
# the gateway's own, linked to the client's traceparent, never the client's (tracing.callerTraces=link). This test
# starts no Jaeger (no image here): the services count their spans as failed exports and drop them.
trace=4bf92f3577b34da6a3ce929d0e0e4736
traced=$(curl -fsS "$GW/api/jobs/jobs" -H "$AUTH" -H 'Content-Type: application/json' \
  -H "traceparent: 00-$trace-00f067aa0ba902b7-01" -d '{"type": "noop"}' | json 'd.get("traceId")') \
  || fail "enqueueing a traced job"
[[ "$traced" =~ ^[0-9a-f]{32}$ ]] || fail "a job enqueued through the gateway carries the trace '$traced'"
[ "$traced" != "$trace" ] || fail "a job enqueued with a client's traceparent carries the client's trace $trace"
log "a job enqueued through the gateway carries the gateway's trace, not the one its client sent"
# The console and the contracts, as the containers serve them: every service's contract in the gateway's, each
# replica of each service in the console's overview with its figures, both catalog replicas among them.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$GW/")" = 302 ] || fail "/ does not send to the console"
curl -fsS "$GW/console/" | grep -q 'console.js' || fail "the console's page"
curl -fsS "$GW/docs/" | grep -q 'swagger-ui-bundle.js' || fail "the API reference page"
contract=$(curl -fsS "$GW/openapi.json" | json   'd.get("x-surge-unavailable", []), all(p in d["paths"] for p in ["/api/catalog/products", "/api/orders/orders", "/api/jobs/jobs"])')
[ "$contract" = "[] True" ] || fail "the gateway's contract: $contract"
overview=$(curl -fsS "$GW/console/api/overview" | json   'sorted((s["name"], sum(1 for r in s["replicas"] if r["available"] and "figures" in r)) for s in d["services"])')
[ "$overview" = "[('catalog', 2), ('jobs', 2), ('orders', 2)]" ] || fail "the console's overview: $overview"
instances=$(curl -fsS "$GW/console/api/instances" -H "Authorization: Bearer surge-dev-operator-key" | json \
  'sorted((s["name"], sum(1 for r in s["replicas"] if r.get("instances"))) for s in d["services"])')
[ "$instances" = "[('catalog', 2), ('jobs', 2), ('orders', 2)]" ] || fail "the console's instances: $instances"
status=$(curl -s -o /dev/null -w '%{http_code}' "$GW/console/api/instances")
[ "$status" = 401 ] || fail "the instances without the operator key answered $status, not 401"
log "the console, the API reference and every service's contract are served through the gateway, and every"
log "replica's instances through its admin API"
for _ in $(seq 1 60); do
  targets=$(curl -fsS "$PROM/api/v1/targets" 2>/dev/null | json \
    'sum(1 for t in d["data"]["activeTargets"] if t["health"] == "up"), "/", len(d["data"]["activeTargets"])' 2>/dev/null || true)
  [ "$targets" = "8 / 8" ] && break
  sleep 1
done
[ "$targets" = "8 / 8" ] || fail "Prometheus scrapes $targets targets up"
log "Prometheus: every target up ($targets)"
# The clustered services (the gateway talks HTTP only: it is no member).
CLUSTERED=(catalog catalog-2 orders orders-2 jobs jobs-2)
CLUSTER_SIZE=${#CLUSTERED[@]}
for s in "${CLUSTERED[@]}"; do
  wait_cluster "$s" "$CLUSTER_SIZE" 30 || fail "$s sees a cluster of $(members "$s"), not $CLUSTER_SIZE"
done
for g in gateway gateway-2; do [ -z "$(members $g)" ] || fail "$g joined a cluster of $(members $g)"; done
log "every clustered service sees the cluster of $CLUSTER_SIZE; the gateways are no members"
# The edge spreads the smoke's requests over both gateways.
for g in gateway gateway-2; do
  served=$("$DOCKER" logs "$(container $g)" 2>&1 | grep '"type":"access"' | grep -c '"route":"/api/' || true)
  [ "$served" -gt 0 ] || fail "the edge sent $g none of the smoke's API requests"
  figure "smoke: API requests $g answered through the edge" "$served"
done
for _ in $(seq 1 90); do curl -fs $BENCH/json >/dev/null 2>&1 && break; sleep 1; done
[ "$(curl -fsS $BENCH/db | json '"id" in d')" = True ] || fail "the bench image's /db"
compose --profile bench rm -fsv bench >/dev/null 2>&1
log "the bench image answered /json and /db"
log "smoke: PASS"
# Late for the run's deadline, so late that not even the shortest fault would be due: the steady load and its books
# (a minute or two) are skipped too, and said so.
if [ -n "$FAULTS" ] && late "$(for f in ${FAULTS//,/ }; do echo "${FAULT_SECONDS[$f]}"; done | sort -n | head -1)"; then
  log "SKIPPED for the deadline ($(( DEADLINE - $(date +%s) )) s left): the steady load and the faults $FAULTS"
  exit 0
fi
[ -n "$FAULTS" ] || exit 0

# ---- faults under a steady load ---------------------------------------------------------------------------------
# The load client comes from the bench image: no build on this machine is needed.
"$DOCKER" create --name "${PROJECT}_jar" surge/bench:dev >/dev/null
"$DOCKER" cp "${PROJECT}_jar:/app/service.jar" "$OUT/bench.jar"
"$DOCKER" rm "${PROJECT}_jar" >/dev/null
source scripts/jdk.sh >/dev/null
marks="$OUT/marks.txt"
mark() { echo "$(now_ms) $1" >> "$marks"; log "-- $1"; }
RATE=${RATE:-100}
# The load ends when the script touches load.stop; the cap only ends a load left behind by a script that died. It must
# outlast every phase on the slowest machine: a starved one took 150 s to warm up and 270 s to get one replica
# healthy again, and each of the four stops waits for that.
LOAD_CAP_SECONDS=${LOAD_CAP_SECONDS:-3600}
"$JAVA_HOME/bin/java" -Xmx256m -cp "$OUT/bench.jar" dev.surge.bench.load.SteadyLoad --gateway "$GW" \
  --rate "$RATE" --duration "$LOAD_CAP_SECONDS" --product "$product" --key "$KEY" --stop "$OUT/load.stop" \
  --marks "$marks" --out "$OUT" > "$OUT/load.txt" 2>&1 &
load_pid=$!
log "steady load: $RATE requests/s through the gateway (catalog reads, orders, jobs queue reads)"
# The first seconds warm up the JVMs (they have only served the smoke): a phase of its own, not steady state.
# Ten JVMs compiling on two cores answer in seconds for the first minute of load (CI, 2026-12-05: p50 3 s over
# the first 20 s, 30 ms from the 70th); a fault struck then would measure the warm-up, not the fault. So the
# warm-up lasts until a read of each API through the edge answers within 100 ms five seconds in a row (at most
# 150 s: on a slow hour of this machine it took 232 to 270 s; less when the run's deadline is nearer than that), and
# is reported apart.
t0=$(now_ms)
warmup_ms=150000
if [ -n "${DEADLINE:-}" ]; then
  left_ms=$(( (DEADLINE - $(date +%s) - AFTER_FAULTS_SECONDS - 10) * 1000 ))
  [ "$left_ms" -ge "$warmup_ms" ] || warmup_ms=$(( left_ms > 0 ? left_ms : 0 ))
fi
settled=0
quick() { # a catalog, an orders and a jobs read through the edge, each answered within 100 ms
  local times=() path
  for path in "/api/catalog/products/$product" "/api/orders/orders?customerId=warm-up" /api/jobs/queues; do
    times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -H "$AUTH" "$GW$path" 2>/dev/null || true)")
  done
  printf '%s\n' "${times[@]}" | awk '$1 != 200 || $2 >= 0.1 { slow = 1 } END { exit slow }'
}
while [ "$(elapsed "$t0")" -lt "$warmup_ms" ]; do
  sleep 1
  if quick; then settled=$((settled + 1)); else settled=0; fi
  [ "$settled" -ge 5 ] && break
done
if [ "$settled" -ge 5 ]; then
  figure "warm-up: until reads of every API answered within 100 ms five seconds in a row" "$(elapsed "$t0") ms"
else
  figure "warm-up: reads still slower than 100 ms after" "$(elapsed "$t0") ms (the faults go on: their figures include it)"
fi
mark "steady"
sleep 10

# 1. docker kill one catalog replica, then start it again.
if due catalog; then
mark "kill catalog-2"
"$DOCKER" kill "$(container catalog-2)" >/dev/null
sleep 10
mark "catalog-2 down"
sleep 4
mark "start catalog-2"
t0=$(now_ms)
"$DOCKER" start "$(container catalog-2)" >/dev/null
wait_healthy catalog-2 180 || fail "catalog-2 did not come back healthy"
wait_cluster catalog-2 "$CLUSTER_SIZE" 120 || fail "catalog-2 rejoined a cluster of $(members catalog-2), not $CLUSTER_SIZE"
figure "catalog-2 restarted: healthy and back in the whole cluster after" "$(elapsed "$t0") ms"
takes_traffic "catalog-2 back" catalog-2
fi

# 2. a partition: catalog-2 cut off both its networks (the compose network, and the cluster's), then back.
if due partition; then
networks=("${PROJECT}_default" "${PROJECT}_cluster")
# Back on each network as compose put it there: its address, and its service name in the network's DNS (a plain
# reconnect drops the name: the others could then neither resolve it nor connect to it once restarted).
declare -A ip
for network_name in "${networks[@]}"; do
  ip[$network_name]=$("$DOCKER" inspect -f "{{(index .NetworkSettings.Networks \"$network_name\").IPAddress}}" \
    "$(container catalog-2)")
done
mark "partition catalog-2"
for network_name in "${networks[@]}"; do "$DOCKER" network disconnect "$network_name" "$(container catalog-2)"; done
sleep 12
mark "reconnect catalog-2"
t0=$(now_ms)
for network_name in "${networks[@]}"; do
  "$DOCKER" network connect --ip "${ip[$network_name]}" --alias catalog-2 "$network_name" "$(container catalog-2)"
done
for s in "${CLUSTERED[@]}"; do
  wait_cluster "$s" "$CLUSTER_SIZE" 120 || fail "after the partition $s sees a cluster of $(members "$s"), not $CLUSTER_SIZE"
done
figure "after the partition, the cluster whole (every member sees every other) after" "$(elapsed "$t0") ms"
takes_traffic "after the partition, catalog-2" catalog-2
sleep 5
fi

# 3. docker kill the jobs container mid-job.
if due jobs; then
mark "jobs mid-job"
# A 502 (no jobs replica reached) or a 503 (shed, nothing stored) is sent again, as a client would: a starved
# machine answered one after the partition (2026-12-07) and the run ended there. The six are sent at once and last
# 20 s: sent one after the other through a starved gateway (up to 15 s each), each had run its 6 s and completed
# before the last was sent, and the fault found none running (`surge_jobs`, 2026-12-07, 23:25).
enqueue_sleep_job() { # $1 a file for the answer; prints the job's id
  local code attempt
  for attempt in $(seq 1 10); do
    code=$(curl -s -o "$1" -w '%{http_code}' "$GW/api/jobs/jobs" -H "$AUTH" -H 'Content-Type: application/json' \
      -d '{"type": "sleep", "args": {"ms": 20000, "steps": 10}, "maxAttempts": 5}')
    case "$code" in
      2*) sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$1"; return 0 ;;
      502|503) sleep 1 ;;
      *) break ;;
    esac
  done
  fail "enqueueing a sleep job answered $code: $(cat "$1")"
}
pids=()
for i in $(seq 1 6); do
  enqueue_sleep_job "$OUT/job-$i.json" > "$OUT/job-$i.id" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "a sleep job was not enqueued"; done
ids=()
for i in $(seq 1 6); do ids+=("$(cat "$OUT/job-$i.id")"); done
running_jobs() {
  curl -fsS "$GW/api/jobs/jobs?state=running&type=sleep&limit=50" -H "$AUTH" | json 'len(d["items"])' 2>/dev/null || echo 0
}
# All six running, or after 10 s as many as are; at most a minute for a first (a starved stack ran none within the
# 10 s this once allowed, 2026-12-07).
for i in $(seq 1 240); do
  running=$(running_jobs)
  [ "$running" -ge 6 ] || { [ "$i" -ge 40 ] && [ "$running" -ge 1 ]; } && break
  sleep 0.25
done
[ "$running" -ge 1 ] || fail "no sleep job was running to kill, a minute after they were enqueued"
mark "kill jobs"
t0=$(now_ms)
"$DOCKER" kill "$(container jobs)" >/dev/null
figure "jobs killed with jobs running" "$running of ${#ids[@]}"
sleep 2
"$DOCKER" start "$(container jobs)" >/dev/null 2>&1 || true
wait_healthy jobs 180 || fail "jobs did not come back healthy"
for _ in $(seq 1 360); do
  done_count=$(psql_count "SELECT count(*) FROM surge_jobs WHERE id IN ($(IFS=,; echo "${ids[*]}")) AND state = 'completed'")
  [ "$done_count" = "${#ids[@]}" ] && break
  sleep 0.5
done
[ "$done_count" = "${#ids[@]}" ] || fail "$done_count of ${#ids[@]} jobs completed after the kill"
figure "every job running at the kill completed (rescued after its lease) within" "$(elapsed "$t0") ms"
attempts=$(psql_count "SELECT attempt FROM surge_jobs WHERE id IN ($(IFS=,; echo "${ids[*]}"))" | sort | uniq -c | tr '\n' ' ')
figure "their attempts (count attempt)" "$attempts"
twice=$(psql_count "SELECT count(*) FROM surge_jobs WHERE id IN ($(IFS=,; echo "${ids[*]}")) AND state <> 'completed'")
[ "$twice" = 0 ] || fail "$twice of the killed jobs did not end completed"
fi

# 4. docker stop (SIGTERM) one replica of each service in turn (each runs two), then start it again; the next is
# stopped once the one before is back: healthy, and serving the load's requests again (its own access log).
if due stops; then
for s in gateway catalog orders jobs; do
  mark "stop $s"
  t0=$(now_ms)
  "$DOCKER" stop -t 30 "$(container "$s")" >/dev/null
  code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$(container "$s")")
  figure "docker stop $s: drained and exited with code $code after" "$(elapsed "$t0") ms"
  [ "$code" = 0 ] || [ "$code" = 143 ] || fail "$s exited with $code on SIGTERM"
  mark "start $s"
  t0=$(now_ms)
  "$DOCKER" start "$(container "$s")" >/dev/null
  wait_healthy "$s" 180 || fail "$s did not come back healthy"
  figure "docker start $s: healthy after" "$(elapsed "$t0") ms"
  takes_traffic "$s healthy" "$s"
  mark "$s back"
done
mark "all back"
sleep 3
fi

# 5. docker restart PostgreSQL mid-load.
if due postgres; then
started_at() { for s in "${JVM_SERVICES[@]}"; do "$DOCKER" inspect -f '{{.State.StartedAt}}' "$(container "$s")"; done; }
before=$(started_at)
mark "restart postgres"
"$DOCKER" restart -t 10 "$(container postgres)" >/dev/null
for _ in $(seq 1 60); do "$DOCKER" exec "$(container postgres)" pg_isready -q -U surge -d surge 2>/dev/null && break; sleep 0.2; done
mark "postgres answering"
sleep 5
mark "postgres + 5 s"
sleep 10
[ "$(started_at)" = "$before" ] || fail "a service restarted while PostgreSQL did"
fi
mark "end"
touch "$OUT/load.stop"
wait "$load_pid" || fail "the load client failed: $(tail -5 "$OUT/load.txt")"
load_pid=""
cat "$OUT/load.txt"

# ---- what the load saw ------------------------------------------------------------------------------------------
# p: the load's phases by name (phases.json); settled(name): the failed requests sent in that phase and answered
# before the next began (one still in flight when the next fault strikes belongs to that fault); last_settled(name):
# when the last of those was sent, in ms after the phase began. The goals "no request fails more than 5 s after the
# fault" read last_settled: a request sent in the last second of a kill's phase and refused by the PostgreSQL restart
# that follows is the restart's (CI saw it twice, 25 and 31 s after a jobs node's kill: 503s of the restart).
phase() {
  "$PY" - "$OUT" "$1" <<'PYTHON'
import csv, json, sys
out = sys.argv[1]
p = {x['phase']: x for x in json.load(open(out + '/phases.json'))}
marks = sorted((int(t), m) for t, m in (line.split(' ', 1) for line in open(out + '/marks.txt').read().splitlines()))
def settled_failures(name):
    start = next(t for t, m in marks if m == name)
    end = next((t for t, m in marks if t > start), float('inf'))
    return [int(r['sentAtMs']) - start for r in csv.DictReader(open(out + '/requests.csv'))
            if start <= int(r['sentAtMs']) < end and not r['status'].startswith('2')
            and int(r['sentAtMs']) + int(r['latencyMs'] or 0) < end]
def settled(name):
    return len(settled_failures(name))
def last_settled(name):  # ms after the mark, of the last failed request sent in that phase and answered in it
    return max(settled_failures(name), default=None)
print(eval(sys.argv[2], {'p': p, 'settled': settled, 'last_settled': last_settled}))
PYTHON
}
# A goal for the requests during a fault: reported as MISS when not met, and failing the run only with STRICT=1
# (on this project's 2-core machines every container, the load and the engine share two cores; see
# docs/RELIABILITY.md). What is stored (the books, the jobs) and whether every service comes back are always
# checked: those fail the run.
check() { # $1 description, $2 python expression over p (the phases by name) that must be True
  if [ "$(phase "$2")" = True ]; then echo "PASS  $1"; elif [ -n "${STRICT:-}" ]; then echo "FAIL  $1 ($2)";
  else echo "MISS  $1 ($2)"; fi | tee -a "$OUT/checks.txt"
}
: > "$OUT/checks.txt"
figure "warm-up (until reads answer within 100 ms): failed requests" "$(phase "p['start']['failed']")"
check "steady: no failed request" "settled('steady') == 0"
if fault catalog; then
last=$(phase "last_settled('kill catalog-2')")
figure "catalog-2 killed: failed requests, and the last one after the kill (ms)" "$(phase "settled('kill catalog-2')"), ${last}"
check "catalog-2 killed: no request fails more than 5 s after the kill (goal 2 s)" \
  "last_settled('kill catalog-2') is None or last_settled('kill catalog-2') <= 5000"
check "catalog-2 down: no failed request" "settled('catalog-2 down') == 0"
check "catalog-2 down: orders keep being placed" "p['catalog-2 down']['ordersPlaced'] > 0"
check "catalog-2 starting and back: no failed request" "settled('start catalog-2') == 0"
fi
if fault partition; then
figure "partition: failed requests, and the last one after the cut (ms)" \
  "$(phase "settled('partition catalog-2')"), $(phase "last_settled('partition catalog-2')")"
check "partition: no request fails more than 5 s after the cut (goal 2 s)" \
  "last_settled('partition catalog-2') is None or last_settled('partition catalog-2') <= 5000"
check "partition: orders keep being placed" "p['partition catalog-2']['ordersPlaced'] > 0"
check "reconnected: no failed request" "settled('reconnect catalog-2') == 0"
fi
if fault jobs; then
  figure "jobs killed (one of two nodes): failed requests, and the last one after the kill (ms)" \
    "$(phase "settled('kill jobs')"), $(phase "last_settled('kill jobs')")"
  check "jobs killed (one of two nodes): no request fails more than 5 s after the kill (goal 2 s)" \
    "last_settled('kill jobs') is None or last_settled('kill jobs') <= 5000"
fi
if fault stops; then
for s in gateway catalog orders jobs; do
  check "docker stop $s (one of two replicas), its start and its return: no failed request" \
    "p['stop $s']['failed'] == 0 and p['start $s']['failed'] == 0 and settled('$s back') == 0"
done
check "all back: no failed request" "settled('all back') == 0"
fi
if fault postgres; then
figure "postgres restart: failed requests while it was down" "$(phase "p['restart postgres']['failures']")"
check "postgres down: only 503s (and orders' 504s) with Retry-After" "p['restart postgres']['failedWithoutRetryAfter'] == 0"
figure "postgres answering: last failure after it answered (ms)" "$(phase "p['postgres answering']['lastFailureMs']")"
check "postgres answering: recovery within 5 s" "settled('postgres + 5 s') == 0"
fi

# The books: every order answered 201 is stored once, with its reservation, and nothing oversold.
placed=$(phase "sum(x['ordersPlaced'] for x in p.values())")
sql() { psql_count "$1"; }
for _ in $(seq 1 60); do [ "$(sql "SELECT count(*) FROM orders WHERE status = 'pending'")" = 0 ] && break; sleep 1; done
# A reservation whose order was never stored (its request failed after the catalog took the stock) is given back
# by the orders sweeper, orders.sweepAfter (30 s) after the request began.
reserved_units() { sql "SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE product_id = $product AND status = 'reserved'"; }
sold_units() { sql "SELECT coalesce(sum((l->>'quantity')::int), 0) FROM orders o, jsonb_array_elements(o.lines) l
  WHERE (l->>'productId')::bigint = $product AND o.status <> 'cancelled'"; }
t0=$(now_ms)
for _ in $(seq 1 90); do [ "$(reserved_units)" = "$(sold_units)" ] && break; sleep 1; done
figure "books: reservations without an order given back by the sweeper within" "$(elapsed "$t0") ms"
left=$(sql "SELECT stock FROM products WHERE id = $product")
sold=$(sql "SELECT coalesce(sum((l->>'quantity')::int), 0) FROM orders o, jsonb_array_elements(o.lines) l
            WHERE (l->>'productId')::bigint = $product AND o.status <> 'cancelled'")
orders=$(sql "SELECT count(*) FROM orders WHERE lines @> '[{\"productId\": $product}]' AND customer_id LIKE 'steady-%'")
books() { if [ "$2" = "$3" ]; then echo "PASS  $1: $2"; else echo "FAIL  $1: $2, expected $3"; fi | tee -a "$OUT/checks.txt"; }
books "units sold + stock left = stock (nothing oversold, nothing lost)" "$((sold + left))" 1000000
# An order whose answer the client never had (its connection closed, or it gave up waiting) or whose answer said
# its outcome is unknown (504) may be stored: the client sends the same Idempotency-Key again and gets it. No
# more than those, and every 201 stored: a 503 orders nothing.
unanswered=$(phase "sum(n for x in p.values() for k, n in x['failures'].items() if k.startswith('order error') or k.startswith('order 504') or k.startswith('order 502'))")
books "orders stored from the load, at least its 201 answers" "$(( orders >= placed ))" 1
books "orders stored beyond the 201 answers, at most the orders left without an answer ($unanswered)" \
  "$(( orders - placed <= unanswered ))" 1
figure "orders: answered 201 / stored / sent without an answer" "$placed / $orders / $unanswered"
books "orders with a duplicate idempotency key" "$(sql "SELECT count(*) - count(DISTINCT idempotency_key) FROM orders")" 0
books "order lines without their reservation" "$(sql "SELECT count(*) FROM orders o, jsonb_array_elements(o.lines) l
  WHERE o.status <> 'cancelled' AND NOT EXISTS (SELECT 1 FROM stock_reservations r WHERE r.id = l->>'reservationId' AND r.status = 'reserved')")" 0
books "units reserved = units sold" "$(reserved_units)" "$sold"
books "orders not confirmed by their fulfil job" "$(sql "SELECT count(*) FROM orders WHERE status = 'pending'")" 0
# A health check Docker killed past its timeout leaves what it started to PID 1, the JVM, which never reaps it
# (Dockerfile, HEALTHCHECK): after the faults' starved minutes, no service holds such a zombie. Asked of the engine
# (which may run elsewhere); a replica the stops fault restarted counts only since then.
zombies() { local s n=0; for s in "${JVM_SERVICES[@]}"; do
  n=$(( n + $("$DOCKER" top "$(container "$s")" -o pid,stat | awk 'NR > 1 && $2 ~ /^Z/' | wc -l) ))
done; echo "$n"; }
books "zombie processes under the services' JVMs" "$(zombies)" 0

if grep -q '^FAIL' "$OUT/checks.txt"; then fail "$(grep -c '^FAIL' "$OUT/checks.txt") checks failed (above; $OUT)"; fi
misses=$(grep -c '^MISS' "$OUT/checks.txt" || true)
log "PASS: smoke and the faults $FAULTS; the books and the jobs whole; $misses request goals missed ($OUT/figures.txt)"
[ "${#skipped[@]}" = 0 ] || log "SKIPPED for the deadline: ${skipped[*]}"
