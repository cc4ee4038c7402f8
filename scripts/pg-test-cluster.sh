#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for Saldo's store test matrix: initdb in a temporary folder (as the
# `postgres` user when run as root: initdb and postgres refuse root), loopback only, a free port,
# scram-sha-256 passwords, two roles:
#   saldo_owner  owns the database and the tables, runs the migrations (its URL: SALDO_TEST_POSTGRES_URL)
#   saldo_app    LOGIN, NOSUPERUSER, NOBYPASSRLS, owns nothing: the store's role (SALDO_TEST_POSTGRES_APP_URL)
#
#   scripts/pg-test-cluster.sh start   # creates and starts it; prints the export lines
#   scripts/pg-test-cluster.sh env     # prints the export lines of the running cluster
#   scripts/pg-test-cluster.sh stop    # stops it and removes its folder
#
# eval "$(scripts/pg-test-cluster.sh start)" sets both variables in the calling shell.
# The cluster's folder is remembered in $SALDO_PG_STATE (default /tmp/saldo-pg-test.state).
set -euo pipefail
state=${SALDO_PG_STATE:-/tmp/saldo-pg-test.state}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "initdb not found (install Debian's postgresql package)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

print_env() {
  # shellcheck disable=SC1090
  . "$state"
  echo "export SALDO_TEST_POSTGRES_URL='postgres://saldo_owner:$OWNER_PW@127.0.0.1:$PORT/saldo_test'"
  echo "export SALDO_TEST_POSTGRES_APP_URL='postgres://saldo_app:$APP_PW@127.0.0.1:$PORT/saldo_test'"
}

case "${1:-}" in
start)
  if [ -f "$state" ]; then echo "a test cluster is already running (see $state); stop it first" >&2; exit 1; fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home --shell /usr/sbin/nologin postgres; fi
  dir=$(mktemp -d /tmp/saldo-pg.XXXXXX)
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  # A free loopback port: ask the kernel for one.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  owner_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  app_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  super_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$super_pw" > "$dir/superpw"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/superpw"
  # C locale: text sorts by bytes, as SQLite's BINARY collation does.
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/superpw" \
    --locale=C --encoding=UTF8 >"$dir/initdb.log" 2>&1
  cat > "$dir/data/pg_hba.conf" <<HBA
host all all 127.0.0.1/32 scram-sha-256
HBA
  [ "$(id -u)" = 0 ] && chown postgres "$dir/data/pg_hba.conf"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" start >/dev/null
  cat > "$state" <<ST
DIR=$dir
PORT=$port
OWNER_PW=$owner_pw
APP_PW=$app_pw
ST
  PGPASSWORD=$super_pw psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE saldo_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '$owner_pw';
CREATE ROLE saldo_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '$app_pw';
CREATE DATABASE saldo_test OWNER saldo_owner;
REVOKE ALL ON DATABASE saldo_test FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE saldo_test TO saldo_app;
SQL
  PGPASSWORD=$super_pw psql -q -h 127.0.0.1 -p "$port" -U postgres -d saldo_test -v ON_ERROR_STOP=1 <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO saldo_owner;
SQL
  print_env
  ;;
env)
  [ -f "$state" ] || { echo "no test cluster is running" >&2; exit 1; }
  print_env
  ;;
stop)
  [ -f "$state" ] || exit 0
  # shellcheck disable=SC1090
  . "$state"
  as_pg "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR" "$state"
  ;;
*)
  echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
