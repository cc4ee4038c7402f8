#!/usr/bin/env bash
# Schemathesis against the web app's OpenAPI document, on loopback, bounded: a copy of the demo
# ledger, a server on a free port, every operation with at most $EXAMPLES generated cases. Fails on
# a server error (5xx), a status or content type the document does not declare.
set -euo pipefail
cd "$(dirname "$0")/.."
SALDO=${SALDO_BIN:-.build/debug/saldo}
EXAMPLES=${EXAMPLES:-25}
work=$(mktemp -d /tmp/saldo-api-fuzz.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
kept=$(NO_COLOR=1 LANG=C.UTF-8 "$SALDO" demo --keep | sed -n 's/.*kept at \(.*\.sqlite\).*/\1/p')
cp "$kept" "$work/ledger.sqlite"
rm -rf "$(dirname "$kept")"
"$SALDO" serve --ledger "$work/ledger.sqlite" --port 0 --today 2026-11-15 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  url=$(sed -n 's/.*running at \(http:[^ ]*\)\/.*/\1/p' "$work/serve.log" | head -1)
  [ -n "$url" ] && break
  sleep 0.5
done
[ -n "$url" ] || { cat "$work/serve.log"; exit 1; }
token=$(curl -s "$url/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')
command -v schemathesis >/dev/null 2>&1 && st=(schemathesis) || st=(python3 -m schemathesis.cli)
args=(run "$url/api/v1/openapi.json" --url "$url/api/v1"
  -H "Origin: $url" -H "X-CSRF-Token: $token"
  --max-examples "$EXAMPLES" --seed 1
  --checks not_a_server_error,status_code_conformance,content_type_conformance
  --no-color)
# API_FUZZ_LOG=FILE keeps the whole report in FILE (not `> /dev/stdout`, which would truncate a log
# the caller redirects to).
if [ -n "${API_FUZZ_LOG:-}" ]; then
  "${st[@]}" "${args[@]}" > "$API_FUZZ_LOG" 2>&1
else
  "${st[@]}" "${args[@]}"
fi
