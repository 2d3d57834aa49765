#!/usr/bin/env bash
# A throwaway PostgreSQL 15 on loopback for the cluster profile (Orleans membership, grain state,
# reminders). Not a production database: no authentication beyond loopback, no backups.
#
#   deploy/scripts/postgres.sh start   initialise (first time), start, apply deploy/sql; safe to repeat
#   deploy/scripts/postgres.sh stop    stop it (the data directory stays)
#   deploy/scripts/postgres.sh url     print the Npgsql connection string (ConnectionStrings:Orleans)
#
# DP_PG_DATA (default ./data/cluster/pg) and DP_PG_PORT (default 55432) choose where it lives and listens;
# DP_PG_DATABASE (default dataplatform) names the database. The socket lives in the data directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${DP_PG_DATA:-./data/cluster/pg}"
port="${DP_PG_PORT:-55432}"
database="${DP_PG_DATABASE:-dataplatform}"
bin="/usr/lib/postgresql/15/bin"

mkdir -p "$data"
data="$(cd "$data" && pwd)"

# initdb and postgres refuse to run as root: run them as the postgres account when we are root.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_postgres() {
  [ -x "$bin/postgres" ] && return
  echo "Installing postgresql ..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

psql_db() {
  PGOPTIONS="-c client_min_messages=warning" as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U postgres "$@"
}

start() {
  install_postgres
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$data"
    chmod 700 "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
  fi
  if [ "$(psql_db -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
    psql_db -d postgres -c "CREATE DATABASE \"$database\""
  fi
  for script in "$root"/deploy/sql/*.sql; do
    psql_db -d "$database" -1 -f - <"$script"
  done
  echo "PostgreSQL on 127.0.0.1:$port, data in $data"
}

stop() {
  if [ -f "$data/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

url() {
  echo "Host=127.0.0.1;Port=$port;Database=$database;Username=postgres"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
