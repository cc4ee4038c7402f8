#!/usr/bin/env bash
# The 2,000-workspace office benchmark (issue #18, Speed): a PostgreSQL cluster of its own in
# $SALDO_BENCH_DIR (default /work/pgbench-office), kept between runs, with one office of N client
# workspaces of about 10,000 transactions each.
#
#   scripts/bench-office.sh start              # initdb (first time) and start the cluster; prints the URLs
#   scripts/bench-office.sh data [N]           # the office: workspace 1 through the real import, copied to 2…N (default 2000);
#                                              # resumes after the last workspace copied; 300 or more at once drop the
#                                              # transaction indexes during the copy (BENCH_KEEP_INDEXES=1 keeps them live)
#   scripts/bench-office.sh report [SAMPLE]    # monthly report p50/p95/p99 over SAMPLE random workspaces (default 200)
#   scripts/bench-office.sh quarter [Y Q]      # saldo tax summary --all-workspaces for the office (default 2026 Q3)
#   scripts/bench-office.sh web [C] [SECONDS]  # 200 sessions (real logins) on the overview page and API under wrk
#   scripts/bench-office.sh size               # database and table sizes
#   scripts/bench-office.sh stop               # stops the cluster (the data stays)
#
# Release binary: .build/release/saldo (`swift build -c release --product saldo`), or $SALDO.
# Cluster settings (chosen up front for a 23 GB, 2-core machine, not tuned on these figures):
# shared_buffers 4GB, effective_cache_size 12GB, work_mem 16MB, maintenance_work_mem 1GB,
# max_connections 300, fsync off and synchronous_commit off (a benchmark cluster: a crash may
# lose it; reads are unaffected), wal_level minimal, jit off.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${SALDO_BENCH_DIR:-/work/pgbench-office}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
saldo=${SALDO:-$here/.build/release/saldo}
state="$dir/state"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load_state() { [ -f "$state" ] || { echo "no benchmark cluster in $dir (run: $0 start)" >&2; exit 1; }; . "$state"
  OWNER="postgres://saldo_owner:$OWNER_PW@127.0.0.1:$PORT/saldo"
  APP="postgres://saldo_app:$APP_PW@127.0.0.1:$PORT/saldo"
  SUPER="postgresql://postgres:$SUPER_PW@127.0.0.1:$PORT/saldo"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 "$SUPER" "$@"; }
running() { as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

start() {
  if [ ! -f "$state" ]; then
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home --shell /usr/sbin/nologin postgres; fi
    mkdir -p "$dir"; chmod 700 "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    pw() { head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }
    super_pw=$(pw); printf '%s\n' "$super_pw" > "$dir/superpw"; [ "$(id -u)" = 0 ] && chown postgres "$dir/superpw"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/superpw" --locale=C --encoding=UTF8 >"$dir/initdb.log" 2>&1
    echo "host all all 127.0.0.1/32 scram-sha-256" > "$dir/data/pg_hba.conf"
    cat >> "$dir/data/postgresql.conf" <<CONF
# saldo office benchmark (scripts/bench-office.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 4GB
effective_cache_size = 12GB
work_mem = 16MB
maintenance_work_mem = 1GB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 16GB
checkpoint_timeout = 30min
random_page_cost = 1.1
jit = off
CONF
    [ "$(id -u)" = 0 ] && chown postgres "$dir/data/pg_hba.conf" "$dir/data/postgresql.conf"
    cat > "$state" <<ST
PORT=$(free_port)
SUPER_PW=$super_pw
OWNER_PW=$(pw)
APP_PW=$(pw)
STAFF_PW=$(pw)
ST
    load_state
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c port=$PORT" start >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 "postgresql://postgres:$SUPER_PW@127.0.0.1:$PORT/postgres" <<SQL
CREATE ROLE saldo_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '$OWNER_PW';
CREATE ROLE saldo_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '$APP_PW';
CREATE DATABASE saldo OWNER saldo_owner;
REVOKE ALL ON DATABASE saldo FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE saldo TO saldo_app;
SQL
    sql <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO saldo_owner;
SQL
  else
    load_state
    running || as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c port=$PORT" start >/dev/null
  fi
  echo "owner: $OWNER"; echo "app:   $APP"
}

# Workspace 1: the demo freelancer's books (statements of PayPal, Upwork, Wise, a Norma 43 bank file,
# Facturae invoices, ECB rates, a Spanish tax profile) copied in with `saldo ledger copy`, plus a
# PayPal activity download (Oct 2025 - Oct 2026) through `saldo import` as the app role.
base_workspace() {
  if [ "$(sql -tAc "SELECT to_regclass('txn') IS NOT NULL")" = t ] && [ "$(sql -tAc "SELECT count(*) FROM txn WHERE workspace_id = 1")" != 0 ]; then return; fi
  export SALDO_PASSWORD=$STAFF_PW
  "$saldo" office create --database "$OWNER" --name "Gestoría Benchmark" --admin-email admin@bench.example >/dev/null
  "$saldo" office add-staff --database "$OWNER" --office 1 --email staff@bench.example >/dev/null
  "$saldo" office add-client --database "$OWNER" --office 1 --name "Client 0001" >/dev/null
  unset SALDO_PASSWORD
  local tmp; tmp=$(mktemp -d)
  TMPDIR=$tmp "$saldo" demo --keep >/dev/null
  local demo; demo=$(ls "$tmp"/saldo-demo-*/ledger.sqlite)
  "$saldo" ledger copy --from "$demo" --to "$APP?workspace=1"
  python3 "$here/scripts/gen_paypal_csv.py" --rows ${PAYPAL_ROWS:-10400} --start 2025-10-14 --out "$tmp/paypal.csv"
  "$saldo" import "$tmp/paypal.csv" --ledger "$APP?workspace=1" | tail -2
  rm -rf "$tmp"
}

# Workspaces 2…N: workspace 1 copied at SQL level by the superuser (row-level security does not
# apply to it; foreign keys are not re-checked: session_replication_role = replica), every amount
# multiplied by k = 1 + (w - 1) % 4 (balanced postings stay balanced, the day totals stay equal to
# their transactions), ids kept per workspace. The transaction table's secondary indexes are
# dropped for the copy and built again after; then ANALYZE.
copy_workspaces() {
  local n=$1 have; have=$(sql -tAc "SELECT coalesce(max(id), 0) FROM workspace")
  [ "$have" -ge "$n" ] && { echo "the office already has $have workspaces"; return; }
  echo "copying workspace 1 into $((have + 1))…$n"
  sql <<SQL
\timing on
DROP TABLE IF EXISTS bench_k;
CREATE UNLOGGED TABLE bench_k AS SELECT k FROM generate_series(1, 4) k;
-- Postings [account, currency, amount, cost currency, cost] with amount and cost times k, compact as the store writes them.
CREATE OR REPLACE FUNCTION bench_scale(p text, k bigint) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$
  SELECT '[' || string_agg(leg, ',' ORDER BY i) || ']' FROM (
    SELECT i, '[' || string_agg(CASE WHEN j IN (3, 5) AND jsonb_typeof(v) = 'number' THEN ((v::text)::bigint * k)::text ELSE v::text END,
                                ',' ORDER BY j) || ']' AS leg
    FROM jsonb_array_elements(p::jsonb) WITH ORDINALITY AS x(e, i), jsonb_array_elements(e) WITH ORDINALITY AS y(v, j)
    GROUP BY i) legs
\$\$;
DROP TABLE IF EXISTS bench_txn;
CREATE UNLOGGED TABLE bench_txn AS SELECT k.k, t.* FROM txn t, bench_k k WHERE t.workspace_id = 1;
UPDATE bench_txn SET postings = bench_scale(postings, k), first_amount = first_amount * k;
SQL
  # The secondary indexes of txn, to build again after the copy (a copy of fewer than 300
  # workspaces keeps them, and stays usable while it runs).
  local rebuild=$(( n - have >= 300 && ${BENCH_KEEP_INDEXES:-0} == 0 ))
  # The indexes' and the workspace guard's definitions are kept in files, so that a copy stopped half
  # way (disk, an error) and run again still puts them back.
  local secondary; secondary=$(sql -tAc "SELECT count(*) FROM pg_indexes WHERE tablename = 'txn' AND indexname <> 'txn_pkey'")
  if [ "$rebuild" = 1 ]; then
    if [ "$secondary" -gt 0 ] || [ ! -s "$dir/txn-indexes.sql" ]; then
      sql -tAc "SELECT indexdef FROM pg_indexes WHERE tablename = 'txn' AND indexname <> 'txn_pkey'" > "$dir/txn-indexes.sql"
    fi
    sql -tAc "SELECT 'DROP INDEX ' || indexname || ';' FROM pg_indexes WHERE tablename = 'txn' AND indexname <> 'txn_pkey'" | sql
  fi
  # The guard that holds every writer to the workspace in context (app.workspace_id) would refuse a
  # copy of many workspaces in one statement: it is lifted for the copy and put back after.
  local guard; guard=$(sql -tAc "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'txn'::regclass AND conname = 'txn_in_workspace_context'")
  [ -n "$guard" ] && printf '%s\n' "$guard" > "$dir/txn-guard.sql"
  sql -c "ALTER TABLE txn DROP CONSTRAINT IF EXISTS txn_in_workspace_context"
  local from=$((have + 1)) step=100
  while [ "$from" -le "$n" ]; do
    local to=$((from + step - 1)); [ "$to" -gt "$n" ] && to=$n
    local t0=$SECONDS
    sql <<SQL
SET session_replication_role = replica;
BEGIN;
INSERT INTO workspace (id, data_version, organisation_id, display_name)
  SELECT w, ws.data_version, ws.organisation_id, 'Client ' || lpad(w::text, 4, '0') FROM workspace ws, generate_series($from, $to) w WHERE ws.id = 1;
INSERT INTO import_batch SELECT w, b.id, b.file_name, b.sha256, b.format, b.imported_at, b.new_count, b.duplicate_count, b.filtered_count, b.problem_count
  FROM import_batch b, generate_series($from, $to) w WHERE b.workspace_id = 1 ORDER BY w, b.id;
INSERT INTO account SELECT w, a.id, a.path FROM account a, generate_series($from, $to) w WHERE a.workspace_id = 1 ORDER BY w, a.id;
INSERT INTO txn (workspace_id, id, day, timestamp, time_zone, payee, platform, client, description, kind, external_id, dedup_key,
                 source_file, source_line, source_record, batch_id, postings, has_cost, derived, first_amount)
  SELECT w, t.id, t.day, t.timestamp, t.time_zone, t.payee, t.platform, t.client, t.description, t.kind, t.external_id, t.dedup_key,
         t.source_file, t.source_line, t.source_record, t.batch_id, t.postings, t.has_cost, t.derived, t.first_amount
  FROM generate_series($from, $to) w JOIN bench_txn t ON t.k = 1 + (w - 1) % 4 ORDER BY w, t.id;
INSERT INTO daily_total SELECT w, d.day, d.account_id, d.currency, d.kind, d.platform, d.client, d.amount * (1 + (w - 1) % 4), d.postings
  FROM daily_total d, generate_series($from, $to) w WHERE d.workspace_id = 1 ORDER BY w, d.day, d.account_id, d.currency, d.kind, d.platform, d.client;
INSERT INTO balance_check SELECT w, c.id, c.batch_id, c.account, c.day, c.currency, c.stated * (1 + (w - 1) % 4), c.computed * (1 + (w - 1) % 4), c.source_file, c.source_line
  FROM balance_check c, generate_series($from, $to) w WHERE c.workspace_id = 1 ORDER BY w, c.id;
INSERT INTO invoice (workspace_id, id, dedup_key, number, type_code, kind, direction, issue_day, due_day, seller_name, seller_tax_id, seller_country,
                     buyer_name, buyer_tax_id, buyer_country, currency, net, tax, withholding, total, prepaid, payable, tax_accounting_currency,
                     tax_accounting_amount, corrects_number, status, format, source_file, problems, txn_id, batch_id)
  SELECT w, i.id, i.dedup_key, i.number, i.type_code, i.kind, i.direction, i.issue_day, i.due_day, i.seller_name, i.seller_tax_id, i.seller_country,
         i.buyer_name, i.buyer_tax_id, i.buyer_country, i.currency, i.net * m, i.tax * m, i.withholding * m, i.total * m, i.prepaid * m, i.payable * m,
         i.tax_accounting_currency, i.tax_accounting_amount * m, i.corrects_number, i.status, i.format, i.source_file, i.problems, i.txn_id, i.batch_id
  FROM invoice i, generate_series($from, $to) w, LATERAL (SELECT 1 + (w - 1) % 4 AS m) mm WHERE i.workspace_id = 1 ORDER BY w, i.id;
INSERT INTO invoice_payment SELECT w, p.invoice_id, p.txn_id, p.amount * (1 + (w - 1) % 4), p.method, p.explanation
  FROM invoice_payment p, generate_series($from, $to) w WHERE p.workspace_id = 1 ORDER BY w, p.invoice_id, p.txn_id;
INSERT INTO rate SELECT w, r.day, r.base, r.quote, r.source, r.rate FROM rate r, generate_series($from, $to) w WHERE r.workspace_id = 1
  ORDER BY w, r.day, r.base, r.quote, r.source;
INSERT INTO setting SELECT w, s.key, s.value FROM setting s, generate_series($from, $to) w WHERE s.workspace_id = 1;
INSERT INTO conversion_leg SELECT w, c.txn_key, c.institution, c.leg_id, c.reference, c.day, c.seconds, c.currency, c.gross * (1 + (w - 1) % 4),
         c.net * (1 + (w - 1) % 4), c.source_file, c.source_line, c.paired_key
  FROM conversion_leg c, generate_series($from, $to) w WHERE c.workspace_id = 1 ORDER BY w, c.txn_key;
INSERT INTO statement_original SELECT w, o.sha256, o.byte_count, o.content FROM statement_original o, generate_series($from, $to) w WHERE o.workspace_id = 1;
COMMIT;
SQL
    echo "  workspaces $from…$to: $((SECONDS - t0)) s; free disk $(df -h --output=avail / | tail -1)"
    local avail; avail=$(df --output=avail -k / | tail -1)
    [ "$avail" -lt $((15 * 1024 * 1024)) ] && { echo "stopping: less than 15 GB of disk left" >&2; exit 1; }
    from=$((to + 1))
  done
  local t0=$SECONDS
  if [ "$rebuild" = 1 ]; then
    echo "building the transaction indexes again…"
    ( echo "SET maintenance_work_mem = '1GB';"; sed '/^$/d; s/$/;/' "$dir/txn-indexes.sql" ) | sql
  fi
  [ -s "$dir/txn-guard.sql" ] && sql -c "ALTER TABLE txn ADD CONSTRAINT txn_in_workspace_context $(cat "$dir/txn-guard.sql")"
  sql -c "SELECT setval('office_workspace_id_seq', (SELECT max(id) FROM workspace))" -c "DROP TABLE bench_txn, bench_k" -c "DROP FUNCTION bench_scale(text, bigint)" >/dev/null
  echo "  indexes: $((SECONDS - t0)) s"; t0=$SECONDS
  sql -c "VACUUM (ANALYZE)"
  echo "  vacuum analyze: $((SECONDS - t0)) s"
}

size() {
  sql -c "SELECT pg_size_pretty(pg_database_size('saldo')) AS database" \
      -c "SELECT relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS total FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 8"
}

# 200 client logins (client-<w>@bench.example, the staff's password hash) on workspaces chosen at
# random (seed 18), each logged in through the real /login of a running server.
web() {
  load_state
  local conns=${1:-200} secs=${2:-30} port; port=$(free_port)
  local n; n=$(sql -tAc "SELECT max(id) FROM workspace")
  local ws; ws=$(python3 -c "import random; print(','.join(map(str, random.Random(18).sample(range(1, $n + 1), min($conns, $n)))))")
  sql -q <<SQL
INSERT INTO person (organisation_id, id, email, display_name, password_hash, kind, client_workspace_id)
  SELECT 1, nextval('person_id_seq'), 'client-' || w || '@bench.example', 'Client ' || w,
         (SELECT password_hash FROM person WHERE email = 'staff@bench.example'), 'client', w
  FROM unnest('{$ws}'::bigint[]) w ON CONFLICT (email) DO NOTHING;
SQL
  local out="$dir/web"; mkdir -p "$out"
  "$saldo" serve --database "$APP" --port "$port" --today 2026-11-15 --login-failures-per-address 100000 >"$out/serve.log" 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null" EXIT
  local base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -s -o /dev/null "$base/login" && break; sleep 0.2; done
  echo "logging in $conns clients…"
  local t0=$SECONDS
  echo "$ws" | tr , '\n' | xargs -P 4 -I{} sh -c "curl -s -o /dev/null -D - -X POST '$base/login' -H 'Origin: $base' \
      --data-urlencode 'email=client-{}@bench.example' --data-urlencode 'password=$STAFF_PW' \
      | sed -n 's/^[Ss]et-[Cc]ookie: saldo_session=\([^;]*\).*/{} \1/p'" > "$out/sessions.txt"
  echo "  $(wc -l < "$out/sessions.txt") sessions in $((SECONDS - t0)) s"
  cat > "$out/sessions.lua" <<'LUA'
-- Each thread takes its share of the sessions (workspace, cookie) and sends them round-robin:
-- every request in flight carries another client's session and asks for that client's book.
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  local path = args[1]; sessions = {}
  local i = 0
  for line in io.lines(os.getenv("SESSIONS")) do
    if i % tonumber(os.getenv("THREADS")) == id then
      local w, c = line:match("(%d+) (%S+)")
      table.insert(sessions, wrk.format("GET", path:gsub("{w}", w), {["Cookie"] = "saldo_session=" .. c}))
    end
    i = i + 1
  end
  n = 0
end
function request() n = n % #sessions + 1; return sessions[n] end
function done(summary, latency, requests)
  local s = summary
  io.write(string.format("non-2xx or errors: %d (status %d, connect %d, read %d, write %d, timeout %d)\n",
    s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout,
    s.errors.status, s.errors.connect, s.errors.read, s.errors.write, s.errors.timeout))
end
LUA
  # Each client's overview once (computed and cached, as the server does ahead for the books it serves).
  t0=$SECONDS
  while read -r w c; do curl -s -o /dev/null -H "Cookie: saldo_session=$c" "$base/api/v1/books/$w/overview"; done < "$out/sessions.txt"
  echo "  first overview of each: $((SECONDS - t0)) s"
  for path in "/api/v1/books/{w}/overview" "/books/{w}/overview"; do
    echo "== wrk -t2 -c$conns -d${secs}s --latency $base$path ($(uptime | sed 's/.*load/load/'))"
    SESSIONS="$out/sessions.txt" THREADS=2 /usr/bin/time -f "server+wrk: %e s wall" \
      wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$out/sessions.lua" "$base" -- "$path" 2>&1 || true
    ps -o pid,rss,time,nlwp -p $pid | tail -1 | awk '{print "server: RSS " int($2/1024) " MB, CPU " $3 " so far, threads " $4}'
  done
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
}

cmd=${1:-}; shift || true
case "$cmd" in
start) start ;;
data) start >/dev/null; base_workspace; copy_workspaces "${1:-2000}"; size ;;
size) load_state; size ;;
web) web "$@" ;;
report)
  load_state
  echo "== monthly report, ${1:-200} random workspaces ($(uptime | sed 's/.*load/load/'))"
  /usr/bin/time -f "process: %e s wall, %U s user, %S s system, %M KB max RSS" "$saldo" bench office --database "$APP" --office 1 --sample "${1:-200}" ;;
quarter)
  load_state
  echo "== quarter-end ${1:-2026} Q${2:-3} for every workspace ($(uptime | sed 's/.*load/load/'))"
  /usr/bin/time -f "process: %e s wall, %U s user, %S s system, %M KB max RSS" \
    "$saldo" tax summary --all-workspaces --database "$APP" --office 1 --year "${1:-2026}" --quarter "${2:-3}" --today 2026-11-15 --format csv > "$dir/quarter-end.csv"
  echo "$(($(wc -l < "$dir/quarter-end.csv") - 1)) rows in $dir/quarter-end.csv"; head -3 "$dir/quarter-end.csv" ;;
stop) load_state; as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop ;;
*) echo "usage: $0 start|data [N]|report [SAMPLE]|quarter [Y Q]|web [C] [SECONDS]|size|stop" >&2; exit 2 ;;
esac
