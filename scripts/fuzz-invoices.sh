#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the XML invoice readers.
#
#   scripts/fuzz-invoices.sh                 # build, then fuzz for 120 s with the fixtures as seeds
#   scripts/fuzz-invoices.sh 600             # fuzz for 600 s
#   scripts/fuzz-invoices.sh 0 crash-file    # build, then replay one input (to reproduce a crash)
#   scripts/fuzz-invoices.sh bench           # release build (no sanitizers) of Fuzz/InvoiceBench.swift: invoices/s
#
# SaldoCore, SaldoXML and SaldoInvoices are compiled as ONE module together with Fuzz/InvoiceFuzz.swift
# (their `import SaldoCore` / `import SaldoXML` lines are dropped in a scratch copy), instrumented with
# -sanitize=fuzzer,address. Crashes land in .build-fuzz/artifacts/; pin each one as a test in
# Tests/SaldoXMLTests/FuzzRegressionTests.swift with the input under fixtures/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-120}"
OUT=.build-fuzz
SRC="$OUT/src"

copy_sources() {  # $1: the extra file with the entry point
  rm -rf "$SRC" && mkdir -p "$SRC"
  for f in Sources/SaldoCore/*/*.swift Sources/SaldoXML/*.swift Sources/SaldoInvoices/*.swift "$1"; do
    sed -e '/^import SaldoCore$/d' -e '/^import SaldoXML$/d' "$f" > "$SRC/$(echo "$f" | tr '/' '_')"
  done
}

if [ "$SECONDS_TO_RUN" = "bench" ]; then
  mkdir -p "$OUT"
  copy_sources Fuzz/InvoiceBench.swift
  swiftc -O -wmo -parse-as-library -module-name InvoiceBench \
    -I Sources/CLibXML2 $(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g') \
    "$SRC"/*.swift $(pkg-config --libs libxml-2.0) -o "$OUT/invoice-bench"
  exec "$OUT/invoice-bench" fixtures/invoices
fi

mkdir -p "$OUT/corpus" "$OUT/artifacts"
copy_sources Fuzz/InvoiceFuzz.swift

swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
  -module-name InvoiceFuzz \
  -I Sources/CLibXML2 $(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g') \
  "$SRC"/*.swift $(pkg-config --libs libxml-2.0) \
  -o "$OUT/invoice-fuzz"

if [ "$#" -ge 2 ]; then
  exec "$OUT/invoice-fuzz" "$2"
fi

# Seeds: every invoice and hostile fixture.
cp fixtures/invoices/*/*.xml fixtures/malicious-xml/*.xml "$OUT/corpus/" 2>/dev/null || true
"$OUT/invoice-fuzz" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=2048 \
  -timeout=10 -artifact_prefix="$OUT/artifacts/" -print_final_stats=1
