#!/bin/bash
# The stand-in's entry point, after the official postgres image's: on an empty data directory, initdb with
# POSTGRES_USER (default postgres) and POSTGRES_PASSWORD, create POSTGRES_DB, run /docker-entrypoint-initdb.d/*
# (.sql and .sh), then start PostgreSQL listening on every address with password authentication for the network.
set -euo pipefail
if [ "${1:-}" != postgres ]; then exec "$@"; fi
shift
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

: "${PGDATA:=/var/lib/postgresql/data}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres: POSTGRES_PASSWORD is not set; refusing to start a database open to the network" >&2
    exit 1
  fi
  pwfile=$(mktemp); printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"; chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >/dev/null
  if [ "$db" != postgres ]; then
    as_postgres psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -U "$user" -d postgres -q \
      -c "CREATE DATABASE \"$db\"" 
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) as_postgres psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -U "$user" -d "$db" -q -f "$f" ;;
      *.sh) . "$f" ;;
    esac
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres: initialised $PGDATA (user $user, database $db)"
fi

exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" \
  -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql "$@"
