#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for Saldo's store test matrix: initdb in a temporary folder (as the
# `postgres` user when run as root: initdb and postgres refuse root), loopback only, a free port,
# scram-sha-256 passwords, two roles:
#   saldo_owner  owns the database and the tables, runs the migrations (its URL: SALDO_TEST_POSTGRES_URL)
#   saldo_app    LOGIN, NOSUPERUSER, NOBYPASSRLS, owns nothing: the store's role (SALDO_TEST_POSTGRES_APP_URL)
# and the bulk loader saldo_loader (NOLOGIN, BYPASSRLS, granted to saldo_app; the migrations give it INSERT on
# txn only), which imports enter with SET LOCAL ROLE to COPY rows straight into txn.
#
#   scripts/pg-test-cluster.sh start   # creates and starts it; prints the export lines
#   scripts/pg-test-cluster.sh start --realistic   # the same with an office server's settings instead of the
#                                      # tests' shortcuts (for benchmarks): fsync on, shared_buffers 1GB,
#                                      # max_wal_size 4GB, maintenance_work_mem 256MB, checkpoint_timeout 15min
#   scripts/pg-test-cluster.sh env     # prints the export lines of the running cluster
#   scripts/pg-test-cluster.sh stop    # stops it (and its replica) and removes its folder
#   scripts/pg-test-cluster.sh replica start   # a streaming replica of the running cluster (pg_basebackup -R,
#                                              # hot standby, another loopback port); prints the export lines again
#   scripts/pg-test-cluster.sh replica stop    # stops the replica and removes its folder
#
# With a replica running, the export lines also give SALDO_TEST_POSTGRES_REPLICA_URL (the app role on the
# replica) and SALDO_TEST_POSTGRES_REPLICA_OWNER_URL (the owner on the replica: tests pause and resume its
# replay with it, pg_wal_replay_pause/resume being granted to the owner). The primary runs with
# wal_level=replica and a replication role (saldo_replicator) from the start.
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
  if [ -n "${REPLICA_PORT:-}" ]; then
    echo "export SALDO_TEST_POSTGRES_REPLICA_URL='postgres://saldo_app:$APP_PW@127.0.0.1:$REPLICA_PORT/saldo_test'"
    echo "export SALDO_TEST_POSTGRES_REPLICA_OWNER_URL='postgres://saldo_owner:$OWNER_PW@127.0.0.1:$REPLICA_PORT/saldo_test'"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

case "${1:-}" in
start)
  if [ -f "$state" ]; then echo "a test cluster is already running (see $state); stop it first" >&2; exit 1; fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home --shell /usr/sbin/nologin postgres; fi
  dir=$(mktemp -d /tmp/saldo-pg.XXXXXX)
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  # A free loopback port: ask the kernel for one.
  port=$(free_port)
  # The tests' cluster skips fsync (nothing in it outlives the run); --realistic runs as an office's
  # server would (what the import benchmark measures against): every commit and checkpoint synced,
  # memory and WAL sized for a machine with a few GB for the database.
  if [ "${2:-}" = --realistic ]; then
    settings="-c fsync=on -c synchronous_commit=on -c shared_buffers=1GB -c max_wal_size=4GB -c maintenance_work_mem=256MB -c checkpoint_timeout=15min"
  else
    settings="-c fsync=off"
  fi
  owner_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  app_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  repl_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  super_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$super_pw" > "$dir/superpw"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/superpw"
  # C locale: text sorts by bytes, as SQLite's BINARY collation does.
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/superpw" \
    --locale=C --encoding=UTF8 >"$dir/initdb.log" 2>&1
  cat > "$dir/data/pg_hba.conf" <<HBA
host all all 127.0.0.1/32 scram-sha-256
host replication saldo_replicator 127.0.0.1/32 scram-sha-256
HBA
  [ "$(id -u)" = 0 ] && chown postgres "$dir/data/pg_hba.conf"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' $settings -c max_connections=200 -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on" start >/dev/null
  cat > "$state" <<ST
DIR=$dir
PORT=$port
SETTINGS="$settings"
OWNER_PW=$owner_pw
APP_PW=$app_pw
REPL_PW=$repl_pw
ST
  PGPASSWORD=$super_pw psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE saldo_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '$owner_pw';
CREATE ROLE saldo_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '$app_pw';
CREATE DATABASE saldo_test OWNER saldo_owner;
REVOKE ALL ON DATABASE saldo_test FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE saldo_test TO saldo_app;
CREATE ROLE saldo_replicator LOGIN REPLICATION NOSUPERUSER PASSWORD '$repl_pw';
-- The bulk loader (docs/postgres.md, "Bulk import"): cannot log in; the app role enters it with
-- SET LOCAL ROLE during an import's COPY; the migrations grant it INSERT on txn and nothing else.
CREATE ROLE saldo_loader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
GRANT saldo_loader TO saldo_app;
SQL
  PGPASSWORD=$super_pw psql -q -h 127.0.0.1 -p "$port" -U postgres -d saldo_test -v ON_ERROR_STOP=1 <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO saldo_owner;
GRANT EXECUTE ON FUNCTION pg_wal_replay_pause() TO saldo_owner;
GRANT EXECUTE ON FUNCTION pg_wal_replay_resume() TO saldo_owner;
SQL
  print_env
  ;;
env)
  [ -f "$state" ] || { echo "no test cluster is running" >&2; exit 1; }
  print_env
  ;;
replica)
  [ -f "$state" ] || { echo "no test cluster is running (start one first)" >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$state"
  case "${2:-}" in
  start)
    if [ -n "${REPLICA_PORT:-}" ]; then echo "a replica is already running on port $REPLICA_PORT" >&2; exit 1; fi
    rport=$(free_port)
    # A base backup of the primary with its standby settings (-R: primary_conninfo, standby.signal),
    # its WAL streamed alongside (-X stream).
    as_pg env PGPASSWORD="$REPL_PW" "$bin/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U saldo_replicator \
      -D "$DIR/replica" -R -X stream -c fast >"$DIR/basebackup.log" 2>&1
    chmod 700 "$DIR/replica"
    as_pg "$bin/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$rport -c unix_socket_directories='$DIR' -c fsync=off -c max_connections=200 -c hot_standby=on" start >/dev/null
    echo "REPLICA_PORT=$rport" >> "$state"
    REPLICA_PORT=$rport
    print_env
    ;;
  stop)
    if [ -n "${REPLICA_PORT:-}" ]; then
      as_pg "$bin/pg_ctl" -D "$DIR/replica" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$DIR/replica"
      sed -i '/^REPLICA_PORT=/d' "$state"
    fi
    ;;
  *) echo "usage: $0 replica start|stop" >&2; exit 2 ;;
  esac
  ;;
stop)
  [ -f "$state" ] || exit 0
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "${REPLICA_PORT:-}" ]; then as_pg "$bin/pg_ctl" -D "$DIR/replica" -m fast -w stop >/dev/null 2>&1 || true; fi
  as_pg "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR" "$state"
  ;;
*)
  echo "usage: $0 start|stop|env|replica start|replica stop" >&2; exit 2 ;;
esac
