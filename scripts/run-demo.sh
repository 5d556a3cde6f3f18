#!/usr/bin/env bash
# make run: the local stack, 1,000,000 demo events, one export through the
# API and the CLI, downloaded and verified; then it keeps serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/bin:$PATH"
DEMO_FROM=2026-11-23T00:00:00Z
DEMO_TO=2026-11-30T00:00:00Z
DEMO_EVENTS=1000000
mkdir -p .local/demo
log=.local/exportd.log

echo ">> starting the local stack (SeaweedFS, dynalite, moto KMS, aws-local-stepfunctions) and the API"
# Chunks of 125,000 events, so the demo fans out over several encoders as on AWS.
EXPORT_CHUNK_EVENTS=${EXPORT_CHUNK_EVENTS:-125000} bin/exportd -data .local/data >"$log" 2>&1 &
server=$!
trap 'echo; echo ">> stopping"; kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; exit 0' INT TERM
trap 'kill -TERM $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "exportd: ready" "$log" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "exportd failed to start:"; tail -20 "$log"; exit 1; }
  sleep 0.5
done
grep -q "exportd: ready" "$log" || { echo "exportd did not become ready:"; tail -20 "$log"; exit 1; }
grep "^exportd:" "$log" | grep -v ready

have=$(exportctl lake count --community demo --from $DEMO_FROM --to $DEMO_TO --json | jq -r .events)
if [ "$have" -lt "$DEMO_EVENTS" ]; then
  echo ">> seeding community 'demo' with $DEMO_EVENTS synthetic ECS events ($DEMO_FROM .. $DEMO_TO), once"
  exportctl lake seed --community demo --from $DEMO_FROM --to $DEMO_TO --events $DEMO_EVENTS
else
  echo ">> community 'demo' already holds $have events"
fi

echo ">> exportctl search create --query '*' --from $DEMO_FROM --to $DEMO_TO"
job=$(exportctl search create --query '*' --from $DEMO_FROM --to $DEMO_TO --json | jq -r .uuid)
out=.local/demo/network-$(date -u +%Y%m%dT%H%M%S).jsonl.gz
echo ">> exportctl export $job --preset network --wait -o $out"
exportctl export "$job" --preset network --wait -o "$out"

echo
echo "The API keeps serving: $(jq -r .api_url "${XDG_STATE_HOME:-$HOME/.local/state}/eventexport/local.json") (exportctl finds it); Ctrl-C stops everything."
wait $server
