#!/usr/bin/env bash
# Two builds of saldo in the same run, alternating, best of N: import of the 1M-row PayPal file,
# report monthly on a 1M-transaction ledger, forecast on the demo ledger. For "no slower than before".
#
#   scripts/bench-compare.sh BEFORE/saldo AFTER/saldo [rounds]
set -euo pipefail
before=$1; after=$2; rounds=${3:-3}
OUT=${BENCH_OUT:-bench-out}
mkdir -p "$OUT"
[ -f "$OUT/paypal-1m.csv" ] || python3 scripts/gen_paypal_csv.py --rows 1000000 --out "$OUT/paypal-1m.csv"
"$after" bench ledger --transactions 1000000 --keep "$OUT/ledger-1m.sqlite" > /dev/null
( cd "$(dirname "$0")/.." && "$after" demo --keep --today 2026-11-15 | sed -n 's/^The demo ledger is kept at \(.*\)\. Try:$/\1/p' ) > "$OUT/demo-path.txt"
demo=$(cat "$OUT/demo-path.txt")
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.3f}')"; }
: > "$OUT/compare.txt"
for r in $(seq "$rounds"); do
  for which in before after; do
    bin=${!which}
    rm -f "$OUT/cmp-$which.sqlite"*
    i=$(secs "$bin" import "$OUT/paypal-1m.csv" --ledger "$OUT/cmp-$which.sqlite")
    m=$(secs "$bin" report monthly --ledger "$OUT/ledger-1m.sqlite" --currency EUR)
    f=$(secs "$bin" forecast --ledger "$demo" --today 2026-11-15)
    echo "$which $i $m $f" >> "$OUT/compare.txt"
    echo "round $r $which: import ${i} s, report monthly ${m} s, forecast ${f} s"
  done
done
python3 - "$OUT/compare.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
best = {w: [min(float(r[k]) for r in rows if r[0] == w) for k in (1, 2, 3)] for w in ("before", "after")}
for k, name in enumerate(["import 1M PayPal rows", "report monthly, 1M transactions", "forecast, demo ledger"]):
    b, a = best["before"][k], best["after"][k]
    print(f"{name:34s} before {b:7.2f} s   after {a:7.2f} s   after/before {a / b:.2f} (best of {len(rows) // 2})")
PY
