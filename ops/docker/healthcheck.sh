#!/bin/sh
# The image's HEALTHCHECK. Healthy means ready: /health/ready answers 200 (compose's depends_on waits for it).
# Liveness: when /health/live answers DOWN (an event loop stuck past watchdog.failAfter), or stops answering
# within 3 s while the port is open six checks (30 s) in a row, the service is asked to stop (SIGTERM to PID 1, the JVM, which
# drains within shutdown.grace) and the restart policy starts a fresh process: Docker alone never restarts an
# unhealthy container. A refused connection (starting, stopping) never stops it. Six, not fewer: a service slow
# to answer because the host is short of CPU (five JVMs starting at once on two cores did not answer in 2 s for
# 15 s) is not stuck, and restarting it only adds a start to the shortage. Nor is a check whose 3 s the JVM's
# threads spent, in all, half or more waiting for a processor (Linux's per-thread scheduler statistics): that one
# counts no stall, as the threads of a process stuck in a call or on a lock do not wait so.
port="${SURGE_HTTP_PORT:-$(cat /app/http-port)}"
pid="${HEALTHCHECK_PID:-1}" # the JVM; another process in the tests only
stalls="${HEALTHCHECK_STALLS:-/tmp/surge-liveness-stalls}"
# The milliseconds the process's threads have waited, in all, runnable but off the processors (0 without the
# figures). The kernel adds a thread's wait as it next runs: one still queued adds it later, so this errs on the
# side of a stall.
waited() { cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%.0f", s / 1000000 }'; }
before=$(waited)

curl -sS -o /dev/null --max-time 3 "http://127.0.0.1:${port}/health/live" -w '%{http_code}' > /tmp/surge-live-code 2>/dev/null
code=$?
status=$(cat /tmp/surge-live-code 2>/dev/null)
if [ "$code" -eq 0 ] && [ "$status" = 503 ]; then
  echo "liveness DOWN: stopping the service for the restart policy" >&2
  kill -TERM "$pid"
  exit 1
elif [ "$code" -eq 28 ]; then
  if [ $(( $(waited) - before )) -ge 1500 ]; then
    echo "liveness did not answer in 3 s while the service waited for a processor: the host is short of them, not a stall" >&2
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
