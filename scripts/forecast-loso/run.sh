#!/usr/bin/env bash
# Issue #16, third round: dumps every member's point forecasts and per-step past errors per series
# (with the pooled variants given), then scores the combinations and chooses them leaving one set
# out at a time. Usage: bash scripts/forecast-loso/run.sh [DATA_DIR] [EVERY_NTH]
# (run from the repository root; needs python3 with numpy; about 15 s of CPU for the dump)
set -euo pipefail
DATA=${1:-../shared/data/forecasting}
EVERY=${2:-1}
OUT=$(mktemp -d)
shopt -s globstar
swiftc -O -wmo -module-name SaldoForecast Sources/SaldoForecast/**/*.swift scripts/forecast-loso/main.swift -o "$OUT/dump"
"$OUT/dump" "$DATA" "$EVERY" "$OUT" m3-monthly,m3-quarterly,m3-yearly,m3-other,tourism-monthly,tourism-quarterly \
  "adj=0,log=1,r=0.001" "adj=0,log=1" "adj=0"
echo "variant, prior and exponent chosen together:"
python3 scripts/forecast-loso/l2.py "$OUT" "adj=0,log=1,r=0.001;adj=0,log=1;adj=0"
echo "prior only (exponent 2, the logged ridge-0.001 variant):"
EXPONENTS=2 python3 scripts/forecast-loso/l2.py "$OUT" "adj=0,log=1,r=0.001"
echo "dump in $OUT"
