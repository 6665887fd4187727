# Shared by the benchmark scripts (sourced, not run): building a jar when its sources changed, a fresh database,
# and one service process started, awaited and stopped.

# build_if_stale MODULE: builds services/MODULE/target/MODULE.jar unless it is newer than every source and POM.
build_if_stale() {
  local jar="services/$1/target/$1.jar"
  if [ ! -f "$jar" ] || [ -n "$(find shared/*/src services/*/src pom.xml services/*/pom.xml -newer "$jar" -print -quit)" ]; then
    echo "bench: building $jar"
    ./mvnw -q -pl "services/$1" -am package -DskipTests
  fi
}

# need COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is missing.
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "bench: installing $2"
    apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null
  fi
}

# parse_options NAME HELP_END "$@": each --some-option VALUE sets the calling script's variable some_option, which
# must already hold its default; -h or --help prints the script's header (lines 2 to HELP_END). Anything else is
# an unknown option: exit 2. (Each script had its own copy of this loop.)
parse_options() {
  local name=$1 help_end=$2 var; shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help) sed -n "2,${help_end}p" "$0"; exit 0 ;;
      --[a-z]*) var=${1#--}; var=${var//-/_} ;;
      *) var="" ;;
    esac
    if ! [[ "$var" =~ ^[a-z][a-z_]*$ ]] || [ -z "${!var+set}" ]; then
      echo "$name: unknown option $1" >&2; exit 2
    fi
    [ $# -ge 2 ] || { echo "$name: $1 needs a value" >&2; exit 2; }
    printf -v "$var" '%s' "$2"
    shift 2
  done
}

# ensure_database URL: creates the database URL names unless it exists (its tables, and what they hold, kept).
ensure_database() {
  local database="${1##*/}" server_url="${1%/*}/postgres"
  psql "$server_url" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || psql "$server_url" -qc "CREATE DATABASE $database" >/dev/null
}

# wrk_errors REPORT: the answers other than 2xx and the socket errors in a wrk report, as one number.
wrk_errors() {
  awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' <<<"$1"
}

# fresh_database URL: drops and creates the database URL names.
fresh_database() {
  local database="${1##*/}" server_url="${1%/*}/postgres"
  psql "$server_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null
  psql "$server_url" -qc "CREATE DATABASE $database" >/dev/null
}

# start_service LOG PORT... -- COMMAND...: runs COMMAND in the background, logging to LOG, until every PORT
# answers /health/ready; stopped (SIGTERM, drained) when the script exits. The harness's own SURGE_BENCH_PG_URL
# and SURGE_BENCH_REDIS_URL are left out of its environment: they are no service's keys, and a service refuses
# to start with a SURGE_ variable it does not know.
service_pid=""
otlp_sink_pid=""
# stop_started: what start_service and start_otlp_sink started, stopped as the script exits (one trap for both:
# each setting its own would undo the other's, and leave the sink running after the script).
stop_started() {
  stop_service
  if [ -n "$otlp_sink_pid" ]; then kill "$otlp_sink_pid" 2>/dev/null || true; fi
}
stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true
  fi
  service_pid=""
}
start_service() {
  local log="$1"; shift
  local ports=()
  while [ "$1" != "--" ]; do ports+=("$1"); shift; done
  shift
  for port in "${ports[@]}"; do refuse_busy_port "$port"; done
  env -u SURGE_BENCH_PG_URL -u SURGE_BENCH_REDIS_URL "$@" > "$log" 2>&1 &
  service_pid=$!
  trap stop_started EXIT
  for port in "${ports[@]}"; do
    await_ready "$port" "$service_pid" "$log"
  done
}

# refuse_busy_port PORT: exits 1 when something already listens on PORT (a server left from an earlier run): the
# service about to start would fail to bind, and await_ready would take the old one's answer for its own.
refuse_busy_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "bench: port $1 is already taken (a server left from an earlier run?); stop it first" >&2
    exit 1
  fi
}

# await_ready PORT PID LOG: waits (up to a minute) until PORT answers /health/ready; exits 1 if PID ends first.
await_ready() {
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "bench: the service exited, see $3" >&2; exit 1; }
    sleep 0.2
  done
  echo "bench: the service did not answer /health/ready on port $1 within a minute, see $3" >&2
  exit 1
}

# start_otlp_sink PORT: a collector that takes every OTLP/HTTP export and keeps nothing (answers 200 to each
# POST), for measuring what tracing costs a service when its spans go out; stopped with the script.
start_otlp_sink() {
  python3 - "$1" <<'PY' > /dev/null 2>&1 &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
  otlp_sink_pid=$!
  trap stop_started EXIT
}
