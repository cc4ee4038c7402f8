#!/usr/bin/env bash
# Runs saldo as a Spanish user would (LANG=es_ES.UTF-8) over the shared samples and the demo, and
# prints every output line that still holds common English words, with the command that printed it.
# Usage: scripts/spanish-sweep.sh [path/to/saldo] [samples folder]   (defaults: .build/debug/saldo, ../shared/samples)
# Machine outputs (JSON, CSV, exports) are not run: they are neutral on purpose.
set -u
SALDO=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.build/debug/saldo"}
SAMPLES=${2:-"$(cd "$(dirname "$0")/../.." && pwd)/shared/samples"}
WORK=$(mktemp -d /tmp/saldo-sweep.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export LANG=es_ES.UTF-8 LC_ALL= LC_MESSAGES= SALDO_LANG=
export SALDO_LEDGER="$WORK/libro.sqlite"
# Whole English words that Spanish output should not hold (names of profiles, columns, files and
# options are allowed by the filter below: quoted text, paths, --options and `code` are removed).
WORDS='the|is|are|and|of|with|from|for|cannot|could|expected|found|should|which|this|that|there|file|folder|ledger|amount|amounts|rate|rates|statement|statements|transaction|transactions|invoice|invoices|income|hint|warning|missing|unknown|see|run|try|rows|row|new|already|imported|balance|balances|total|date|month|year|quarter|net|gross|fees|paid|due|open|overdue|none|provisional|note|notes|report|using|read|write|written'
check() {
  local label="$1"; shift
  local out
  out=$("$@" 2>&1)
  # Examples and usage lines (command names), profile and column names, paths and quotes are not prose.
  printf '%s\n' "$out" | grep -vE '^ *(saldo |USO:|Uso:|Ejemplo)|columnas usadas|lo lee [a-z0-9.-]+$' \
    | sed -E 's/[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)+//g; s/[a-z]+:[a-z:]+//g' | sed -E 's/"[^"]*"//g; s/`[^`]*`//g; s#[^ ]*/[^ ]*##g; s/--[a-z-]+//g; s/\[[a-z0-9._-]+\]//g' \
    | grep -niwE "$WORDS" | head -15 | sed "s|^|[$label] |"
}
"$SALDO" demo --keep --today 2026-11-15 > "$WORK/demo.txt" 2>&1
check demo cat "$WORK/demo.txt"
# The kept demo ledger: the path the demo prints (its last line that names a .sqlite file).
D=$(grep -oE '/[^ ]+\.sqlite' "$WORK/demo.txt" | tail -1)
"$SALDO" profiles list > "$WORK/profiles.txt" 2>&1; check "profiles list" cat "$WORK/profiles.txt"
for c in "" import report "report monthly" "report balances" tax "tax summary" forecast rates "rates update" invoices export profiles "profiles check" bench "bench import" "bench ledger" "bench forecast" serve demo config accounts overview; do
  check "help $c" "$SALDO" $c --help
done
for f in $(find "$SAMPLES/statements" -type f ! -name '*.md' | sort); do
  check "import $(basename "$f")" "$SALDO" import --dry-run --ledger "$WORK/s.sqlite" "$f"
  check "profiles check $(basename "$f")" "$SALDO" profiles check "$f"
done
for f in $(find "$SAMPLES/invoices" "$SAMPLES/malicious-xml" -type f \( -name '*.xml' -o -name '*.csv' \) | sort | head -60); do
  check "import $(basename "$f")" "$SALDO" import --dry-run --ledger "$WORK/i.sqlite" "$f"
done
for fmt in table markdown html; do
  for r in monthly "monthly --by platform" "monthly --by client" balances currencies; do check "report $r $fmt" "$SALDO" report $r --ledger "$D" --format $fmt; done
done
for c in "tax summary" "tax calendar" "tax set-aside" "forecast" "forecast backtest" "rates show" "rates show USD" "invoices" "invoices list" "invoices summary" "invoices match" "overview" "accounts" "config list"; do
  check "$c" "$SALDO" $c --ledger "$D"
done
check "export hledger" "$SALDO" export --ledger "$D" --format hledger --output "$WORK/x.journal"
check "bench ledger" "$SALDO" bench ledger --transactions 2000
check "missing file" "$SALDO" import "$WORK/none.csv"
check "folder ledger" "$SALDO" report monthly --ledger "$WORK"
echo "not a ledger" > "$WORK/not.sqlite"; check "not a ledger" "$SALDO" report monthly --ledger "$WORK/not.sqlite"
