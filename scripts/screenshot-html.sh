#!/bin/sh
# Renders a Saldo HTML report in headless Chromium and saves a PNG, to check by eye that the
# file opens offline and its SVG charts draw. Usage:
#   scripts/screenshot-html.sh report.html [out.png] [width,height]
# Needs Debian's chromium (apt-get install -y chromium). Network is disabled for the page, so a
# report that needed anything from outside would show it.
set -eu
in=${1:?usage: scripts/screenshot-html.sh FILE.html [OUT.png] [WIDTH,HEIGHT]}
out=${2:-${in%.html}.png}
size=${3:-1200,1600}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 1; }
abs=$(cd "$(dirname "$in")" && pwd)/$(basename "$in")
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size="$size" --screenshot="$out" "file://$abs" >/dev/null 2>&1
[ -s "$out" ] || { echo "no screenshot written" >&2; exit 1; }
echo "$out"
