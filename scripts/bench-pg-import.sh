#!/usr/bin/env bash
# The PostgreSQL import against its floor: the 1,000,000-row PayPal activity download imported by
# `saldo import` into a new workspace (as the app role, under row-level security), against `psql
# \copy` of the same file into a plain table of its 16 text columns (as the owner, no policy, no
# index). Each round measures both; the best of the rounds is reported, with each round's figures:
# wall time, the client's CPU (saldo or psql: user + system) and the server's CPU (every process of
# the cluster, the backends that ended included), and the load average.
#
#   scripts/bench-pg-import.sh [ROWS]          # one line: starts its own cluster (--realistic settings:
#                                              # fsync on, shared_buffers 1GB, …), runs, stops it
#   eval "$(scripts/pg-test-cluster.sh start)"; scripts/bench-pg-import.sh [ROWS]   # on a running cluster
#
# ROUNDS=3 by default; SALDO=path/to/saldo uses that binary instead of building the release one;
# OUT=folder for the generated file (default /tmp/saldo-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
rounds=${ROUNDS:-3}
OUT=${OUT:-/tmp/saldo-bench}
mkdir -p "$OUT"
csv="$OUT/paypal-$rows.csv"
[ -f "$csv" ] || python3 scripts/gen_paypal_csv.py --rows "$rows" --out "$csv"
if [ -z "${SALDO:-}" ]; then
  swift build -c release --product saldo 2>&1 | tail -1
  SALDO=$(swift build -c release --show-bin-path)/saldo
fi

if [ -z "${SALDO_TEST_POSTGRES_URL:-}" ]; then
  export SALDO_PG_STATE=/tmp/saldo-pg-bench-$$.state
  trap 'bash scripts/pg-test-cluster.sh stop' EXIT
  eval "$(bash scripts/pg-test-cluster.sh start --realistic)"
fi
: "${SALDO_TEST_POSTGRES_APP_URL:?the app role URL of the cluster (SALDO_TEST_POSTGRES_APP_URL) is missing}"
state=${SALDO_PG_STATE:-/tmp/saldo-pg-test.state}
# shellcheck disable=SC1090
. "$state"
pm=$(head -1 "$DIR/data/postmaster.pid")

# CPU seconds of the whole cluster: the postmaster, its live children, and (through the
# postmaster's cutime/cstime) every child that has ended.
server_cpu() {
  python3 -c '
import os, sys
pm = sys.argv[1]; hz = os.sysconf("SC_CLK_TCK"); total = 0
def fields(pid):
    with open(f"/proc/{pid}/stat") as f: return f.read().rsplit(")", 1)[1].split()
f = fields(pm); total += sum(int(x) for x in f[11:15])
for pid in os.listdir("/proc"):
    if not pid.isdigit() or pid == pm: continue
    try:
        f = fields(pid)
        if f[1] == pm: total += int(f[11]) + int(f[12])
    except OSError: pass
print(total / hz)' "$pm"
}
now() { python3 -c 'import time; print(time.time())'; }
# Runs a command (its output into the file given first); prints "wall client_cpu server_cpu" (client: user +
# system of the command, from /usr/bin/time).
measure() {
  local s0 t0 t1 s1 tf out=$1
  shift
  tf=$(mktemp)
  s0=$(server_cpu); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$tf" "$@" > "$out"
  t1=$(now); s1=$(server_cpu)
  python3 -c "import sys; u,s=open('$tf').read().split()[-2:]; print(f'{$t1-$t0:.2f} {float(u)+float(s):.2f} {$s1-$s0:.2f}')"
  rm -f "$tf"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $(psql -qAt "$SALDO_TEST_POSTGRES_URL" -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','wal_level','shared_buffers','max_wal_size','maintenance_work_mem','checkpoint_timeout','server_version')")"

cols=$(head -1 "$csv" | python3 -c 'import sys,csv; print(", ".join(f"c{i} text" for i,_ in enumerate(next(csv.reader(sys.stdin)))))')
# Opening as the owner applies the migrations (the app role cannot).
$SALDO config list --ledger "$SALDO_TEST_POSTGRES_URL?workspace=1" >/dev/null 2>&1 || true

best_floor=; best_saldo=
for round in $(seq 1 "$rounds"); do
  psql -q "$SALDO_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS paypal_floor" -c "CREATE TABLE paypal_floor ($cols)"
  psql -q "$SALDO_TEST_POSTGRES_URL" -c CHECKPOINT 2>/dev/null || true
  read -r fw fc fs < <(measure /dev/null psql -q "$SALDO_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c "\\copy paypal_floor FROM '$csv' WITH (FORMAT csv, HEADER true)")
  psql -q "$SALDO_TEST_POSTGRES_URL" -c "DROP TABLE paypal_floor"
  ws=$(python3 -c 'import random; print(random.randint(10**12, 2*10**12))')
  read -r sw sc ss < <(measure "$OUT/pg-import.log" "$SALDO" import "$csv" --ledger "$SALDO_TEST_POSTGRES_APP_URL?workspace=$ws")
  echo "round $round (load $(cut -d' ' -f1 /proc/loadavg)): psql \\copy ${fw} s (psql CPU ${fc} s, server CPU ${fs} s); saldo import ${sw} s (saldo CPU ${sc} s, server CPU ${ss} s): $(python3 -c "print(f'{$sw/$fw:.2f}')") x; $(tail -1 "$OUT/pg-import.log")"
  best_floor=$(python3 -c "print(min(x for x in [$fw, ${best_floor:-1e9}]))")
  best_saldo=$(python3 -c "print(min(x for x in [$sw, ${best_saldo:-1e9}]))")
done
echo "psql \\copy (floor), best of $rounds:     $best_floor s"
echo "saldo import (pg, RLS), best of $rounds: $best_saldo s  ($(python3 -c "print(f'{$best_saldo/$best_floor:.2f}')") x the floor)"
