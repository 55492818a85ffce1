#!/usr/bin/env bash
# Sets up and runs the demo: Node 24 (brought from the npm registry when the
# one on PATH is older), npm dependencies, then the orchestrator, which starts
# the local trace viewer, the shop (and with SHOP_NATS_URL its worker) under
# `--import sightline/register`, drives load for DEMO_SECONDS (default 15) and
# prints responses, three traces and a metrics excerpt.
# Usage: bash scripts/demo.sh [--serve]
#   --serve                              keep the shop and the viewer running until Ctrl-C
#   SHOP_NATS_URL=nats://127.0.0.1:4222  events over NATS JetStream, consumers in a second process
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --conditions=source examples/shop/src/demo.ts "$@"
