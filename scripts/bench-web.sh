#!/usr/bin/env bash
# Speed of `saldo serve` (issue #14): the Overview and Transactions APIs on large ledgers.
# Not part of `swift test`. Builds release, makes synthetic ledgers (`saldo bench ledger`), serves
# them, and measures with curl (sequential requests, p50/p95) and wrk (requests per second, p99).
#
#   scripts/bench-web.sh                 # 1,000,000 and 100,000 transactions
#   N=200 PORT=8547 scripts/bench-web.sh # more curl requests per measurement, another port
#
# Floors: Overview JSON p50 <= 150 ms and a filtered transactions page p50 <= 50 ms on 1,000,000
# transactions; Overview >= 1,000 requests/s with p99 <= 50 ms on 100,000 (wrk).
# The Overview is cached per ledger version (SQLite's data_version): the first request after a
# change is "cold" and is measured on its own, by restarting the server before each cold request.
# Needs: curl, python3, wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${BENCH_OUT:-bench-out}"
N="${N:-100}"
PORT="${PORT:-8547}"
TODAY="${TODAY:-2026-03-15}"   # the synthetic ledger runs from 2018-01-01 for 3,000 days
mkdir -p "$OUT"
swift build -c release --product saldo 2>&1 | tail -1
SALDO=$PWD/.build/release/saldo
BASE="http://127.0.0.1:$PORT"
PID=

stop() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
trap stop EXIT

serve() {  # serve LEDGER
  stop
  "$SALDO" serve --ledger "$1" --port "$PORT" --today "$TODAY" >"$OUT/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 200); do curl -fs "$BASE/api/v1/books" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "the server did not start:"; cat "$OUT/serve.log"; exit 1
}

# Prints "p50 X ms, p95 Y ms (n requests)" for N sequential requests of a path.
timed() {  # timed PATH [N]
  local n="${2:-$N}"
  for _ in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$1"; done | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin if x.strip())
q = lambda p: t[min(len(t) - 1, int(p * len(t)))]
print(f"p50 {q(0.50):.1f} ms, p95 {q(0.95):.1f} ms, max {t[-1]:.1f} ms ({len(t)} requests)")'
}

ledger() {  # ledger COUNT PATH (made again when missing; no tax jurisdiction yet)
  if [ ! -s "$2" ]; then "$SALDO" bench ledger --transactions "$1" --keep "$2" | sed 's/^/  /'; fi
  "$SALDO" config unset jurisdiction --ledger "$2" >/dev/null 2>&1 || true
}
cold() {  # cold LEDGER LABEL: three first requests, each on a freshly started server
  for i in 1 2 3; do serve "$1"; curl -s -o /dev/null -w "  cold $i ($2): %{time_total} s\n" "$BASE/api/v1/books/main/overview"; done
}

echo "== 1,000,000 transactions"
L1M="$OUT/web-1m.sqlite"
ledger 1000000 "$L1M"
echo "-- Overview JSON, cold (server restarted before each request; includes opening the ledger)"
cold "$L1M" "no tax jurisdiction: the tax part only explains"
"$SALDO" config set jurisdiction es --ledger "$L1M" >/dev/null
cold "$L1M" "jurisdiction es: the tax calendar reads every transaction"
echo "-- Overview JSON, warm (ledger unchanged since the first request)"
echo "  $(timed /api/v1/books/main/overview)"
echo "-- Transactions, filtered: platform Upwork in 2024, newest first, 50 a page"
curl -s -o /dev/null "$BASE/api/v1/books/main/transactions?platform=Upwork&period=2024"
echo "  first page: $(timed '/api/v1/books/main/transactions?platform=Upwork&period=2024')"
CURSOR=$(curl -s "$BASE/api/v1/books/main/transactions?platform=Upwork&period=2024&limit=200" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
echo "  a later page (cursor): $(timed "/api/v1/books/main/transactions?platform=Upwork&period=2024&cursor=$CURSOR&limit=200")"
echo "-- Transactions, unfiltered, newest first: $(timed '/api/v1/books/main/transactions')"
echo "-- Transactions, amount order: $(timed '/api/v1/books/main/transactions?sort=amount-desc')"
echo "-- Transactions, text search 'Upwork' in 2025-Q1: $(timed '/api/v1/books/main/transactions?q=upwork&period=2025-Q1' 20)"
echo "-- Transactions, currency GBP (a posting in it), 2024: $(timed '/api/v1/books/main/transactions?currency=GBP&period=2024' 20)"

echo "== 100,000 transactions"
L100K="$OUT/web-100k.sqlite"
ledger 100000 "$L100K"
"$SALDO" config set jurisdiction es --ledger "$L100K" >/dev/null
serve "$L100K"
curl -s -o /dev/null -w "  Overview cold (jurisdiction es): %{time_total} s\n" "$BASE/api/v1/books/main/overview"
if command -v wrk >/dev/null; then
  echo "-- wrk: Overview API, 2 threads, 16 connections, 10 s"
  wrk -t2 -c16 -d10s --latency "$BASE/api/v1/books/main/overview" | sed 's/^/  /'
  echo "-- wrk: filtered transactions page, 2 threads, 16 connections, 10 s"
  wrk -t2 -c16 -d10s --latency "$BASE/api/v1/books/main/transactions?platform=Upwork&period=2024" | sed 's/^/  /'
else
  echo "wrk is not installed (apt-get install -y wrk): requests/second not measured"
fi
