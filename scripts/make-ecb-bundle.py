#!/usr/bin/env python3
"""Rebuilds Sources/SaldoFX/ECB/eurofxref-hist.zip, the ECB reference rates Saldo ships with.

Usage: scripts/make-ecb-bundle.py [eurofxref-hist.csv]   (default: ../shared/data/ecb/eurofxref-hist.csv)

The CSV goes in unchanged (one deflated member, `eurofxref-hist.csv`). The zip is deterministic: a fixed
timestamp, fixed permissions and compression level, so the same CSV always gives the same bytes.
Afterwards update the last day in Sources/SaldoFX/BundledRates.swift (`BundledECBRates.lastDay`) and
Sources/SaldoFX/ECB/ATTRIBUTION.md, run `swift test --filter BundledRates`, and commit.
"""
import hashlib
import os
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data", "ecb", "eurofxref-hist.csv")
dst = os.path.join(root, "Sources", "SaldoFX", "ECB", "eurofxref-hist.zip")

with open(src, "rb") as f:
    data = f.read()
lines = data.decode("ascii").splitlines()
if not lines or not lines[0].startswith("Date,"):
    sys.exit(f"{src}: expected the ECB header Date,USD,JPY,…")
days = [l.split(",", 1)[0] for l in lines[1:] if l.strip()]

info = zipfile.ZipInfo("eurofxref-hist.csv", date_time=(1999, 1, 4, 0, 0, 0))
info.compress_type = zipfile.ZIP_DEFLATED
info.external_attr = 0o644 << 16
info.create_system = 3
tmp = dst + ".tmp"
with zipfile.ZipFile(tmp, "w") as z:
    z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
os.replace(tmp, dst)
print(f"{dst}: {os.path.getsize(dst)} bytes, {len(days)} days from {min(days)} to {max(days)}, "
      f"sha256 {hashlib.sha256(open(dst, 'rb').read()).hexdigest()[:16]}")
