#!/usr/bin/env bash
# Issue #16, fourth round: scores the set validation's exponent on every set and chooses it leaving
# one set out. Usage (from the repository root): bash scripts/forecast-set-validation/run.sh [DATA_DIR]
# Needs python3; about 20 s of CPU after compiling.
set -euo pipefail
DATA=${1:-../shared/data/forecasting}
OUT=$(mktemp -d)
shopt -s globstar
swiftc -O -wmo -module-name SaldoForecast Sources/SaldoForecast/**/*.swift scripts/forecast-set-validation/main.swift -o "$OUT/sv"
"$OUT/sv" "$DATA" | grep -E "^(m3|tourism)|e=" > "$OUT/weights.txt"
cat "$OUT/weights.txt"
python3 scripts/forecast-set-validation/loso.py "$OUT/weights.txt"
