#!/usr/bin/env bash
# Issue #16, fifth round: scores every set-level weighting rule on every set and chooses each rule's
# knob leaving one set out. Usage (from the repository root):
#   bash scripts/forecast-set-validation/run5.sh [DATA_DIR]
# Needs python3; about 25 s of CPU after compiling.
set -euo pipefail
DATA=${1:-../shared/data/forecasting}
OUT=$(mktemp -d)
shopt -s globstar
swiftc -O -wmo -module-name SaldoForecast Sources/SaldoForecast/**/*.swift scripts/forecast-set-validation/fifth-round.swift -o "$OUT/sv5"
"$OUT/sv5" "$DATA" > "$OUT/rules.txt"
grep -E "^(m3|tourism)|member| r |comb val" "$OUT/rules.txt"
python3 scripts/forecast-set-validation/fifth-round.py "$OUT/rules.txt"
