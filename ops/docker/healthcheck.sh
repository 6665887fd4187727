#!/bin/sh
# The image's HEALTHCHECK. Healthy means ready: /health/ready answers 200 (compose's depends_on waits for it).
# Liveness: when /health/live answers DOWN (an event loop stuck past watchdog.failAfter), or stops answering
# within 3 s while the port is open six checks (30 s) in a row, the service is asked to stop (SIGTERM to PID 1, the JVM, which
# drains within shutdown.grace) and the restart policy starts a fresh process: Docker alone never restarts an
# unhealthy container. A refused connection (starting, stopping) never stops it. Six, not fewer: a service slow
# to answer because the host is short of CPU (five JVMs starting at once on two cores did not answer in 2 s for
# 15 s) is not stuck, and restarting it only adds a start to the shortage. Nor is a check whose 3 s the JVM's
# event loops spent mostly queued for a processor and little on one (Linux's per-thread scheduler statistics, as
# the watchdog judges a loop: docs/operations.md): that one neither counts a stall nor clears the count. Loops
# stuck in a call or on a lock do not wait so, and loops spinning in their code run.
port="${SURGE_HTTP_PORT:-$(cat /app/http-port)}"
pid="${HEALTHCHECK_PID:-1}" # the JVM; another process in the tests only
stalls="${HEALTHCHECK_STALLS:-/tmp/surge-liveness-stalls}"
# The event loops' time on a processor and queued for one, in ms, and how many loops: "cpu waited loops" (none
# without the figures). The kernel adds a wait as the thread next runs: a loop queued still adds it later, so
# this errs on the side of a stall.
loops() {
  for task in /proc/"$pid"/task/*; do
    read -r name < "$task/comm" 2>/dev/null || continue
    case "$name" in vert.x-eventloo*) cat "$task/schedstat" 2>/dev/null ;; esac # names are cut at 15 characters
  done | awk '{ c += $1; w += $2; n++ } END { printf "%.0f %.0f %d", c / 1000000, w / 1000000, n }'
}
before=$(loops)

curl -sS -o /dev/null --max-time 3 "http://127.0.0.1:${port}/health/live" -w '%{http_code}' > "$stalls.code" 2>/dev/null
code=$?
status=$(cat "$stalls.code" 2>/dev/null)
if [ "$code" -eq 0 ] && [ "$status" = 503 ]; then
  echo "liveness DOWN: stopping the service for the restart policy" >&2
  kill -TERM "$pid"
  exit 1
elif [ "$code" -eq 28 ]; then
  # shellcheck disable=SC2086 # "cpu waited loops", before and after
  set -- $before $(loops)
  # Over the check's 3 s and n loops: queued half the time or more, on a processor under a quarter of it.
  if [ "${6:-0}" -gt 0 ] && [ "${6:-0}" = "${3:-0}" ] && [ $(( ($5 - $2) * 2 )) -ge $(( 3000 * $6 )) ] \
    && [ $(( ($4 - $1) * 4 )) -lt $(( 3000 * $6 )) ]; then
    echo "liveness did not answer in 3 s while its event loops waited for a processor: the host is short of them, not a stall" >&2
    exit 1
  fi
  n=$(( $(cat "$stalls" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$stalls"
  if [ "$n" -ge 6 ]; then
    echo "liveness did not answer in 3 s, $n checks in a row: stopping the service for the restart policy" >&2
    rm -f "$stalls"
    kill -TERM "$pid"
  fi
  exit 1
fi
rm -f "$stalls"
exec curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${port}/health/ready"
