#!/usr/bin/env bash
# Builds SeaweedFS (the local S3 stand-in) once and caches the binary outside the
# work tree, keyed by version, so fresh clones and CI runs reuse it.
set -euo pipefail
WEED_MODULE=github.com/seaweedfs/seaweedfs
WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
CACHE_DIR="${EXPORT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/siem-export}"
BIN="$CACHE_DIR/weed-$WEED_VERSION/weed"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
mkdir -p "$(dirname "$BIN")"
echo ">> Building SeaweedFS $WEED_VERSION (the local S3). This happens once per machine and" >&2
echo ">> takes about 15 minutes on 2 cores; it is not hung. Cached at $BIN" >&2
dir=$(go mod download -json "$WEED_MODULE@$WEED_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
[ -n "$dir" ] || { echo "could not download $WEED_MODULE@$WEED_VERSION" >&2; exit 1; }
( cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN.tmp" ./weed ) >&2 &
builder=$!
start=$(date +%s)
while kill -0 "$builder" 2>/dev/null; do
  sleep 30
  kill -0 "$builder" 2>/dev/null && echo ">> still building SeaweedFS... $(( $(date +%s) - start ))s" >&2
done
wait "$builder"
mv "$BIN.tmp" "$BIN"
echo ">> SeaweedFS built in $(( $(date +%s) - start ))s" >&2
echo "$BIN"
