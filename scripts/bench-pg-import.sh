#!/usr/bin/env bash
# The PostgreSQL import against its floor: the 1,000,000-row PayPal activity download imported by
# `saldo import` into a workspace of the test cluster (as the app role, under row-level security,
# through COPY into a temporary table), against `psql \copy` of the same file into a plain table
# of its 16 text columns (as the owner, no policy, no index).
#
#   eval "$(scripts/pg-test-cluster.sh start)"; scripts/bench-pg-import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
: "${SALDO_TEST_POSTGRES_URL:?start the test cluster first: eval \"\$(scripts/pg-test-cluster.sh start)\"}"
: "${SALDO_TEST_POSTGRES_APP_URL:?start the test cluster first}"
OUT=${OUT:-/tmp/saldo-bench}
mkdir -p "$OUT"
csv="$OUT/paypal-$rows.csv"
[ -f "$csv" ] || python3 scripts/gen_paypal_csv.py --rows "$rows" --out "$csv"
# SALDO=path/to/saldo uses that binary (a debug build, say) instead of building the release one.
if [ -z "${SALDO:-}" ]; then
  swift build -c release --product saldo 2>&1 | tail -1
  SALDO=$(swift build -c release --show-bin-path)/saldo
fi
now() { python3 -c 'import time; print(time.time())'; }

# The schema, as the owner (the first store test run does the same).
psql -q "$SALDO_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS paypal_floor" \
  -c "CREATE TABLE paypal_floor ($(head -1 "$csv" | python3 -c 'import sys,csv; print(", ".join(f"c{i} text" for i,_ in enumerate(next(csv.reader(sys.stdin)))))'))"
t0=$(now)
psql -q "$SALDO_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c "\\copy paypal_floor FROM '$csv' WITH (FORMAT csv, HEADER true)"
t1=$(now)
floor=$(python3 -c "print(f'{$t1-$t0:.2f}')")

ws=$(python3 -c 'import random; print(random.randint(10**12, 2*10**12))')
# Opening as the owner applies the migrations (the app role cannot).
$SALDO config list --ledger "$SALDO_TEST_POSTGRES_URL?workspace=1" >/dev/null 2>&1 || true
t0=$(now)
$SALDO import "$csv" --ledger "$SALDO_TEST_POSTGRES_APP_URL?workspace=$ws" > "$OUT/pg-import.log"
t1=$(now)
wall=$(python3 -c "print(f'{$t1-$t0:.2f}')")
tail -1 "$OUT/pg-import.log"
echo "psql \\copy (floor):     $floor s"
echo "saldo import (pg, RLS): $wall s  ($(python3 -c "print(f'{$wall/$floor:.2f}')") x the floor)"
psql -q "$SALDO_TEST_POSTGRES_URL" -c "DROP TABLE paypal_floor"
