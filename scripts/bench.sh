#!/usr/bin/env bash
# Runs the end-to-end benchmarks (bench/run.ts): writes docs/benchmarks.md and
# docs/benchmarks.svg. Arguments go to bench/run.ts (--only SCENARIOS,
# --rounds N, --smoke, --out DIR). `bash scripts/bench.sh micro` runs the
# micro-benchmarks in bench/micro/ instead. Benchmarks never fail on a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
if [ "${1:-}" = micro ]; then
  for bench in bench/micro/*-overhead.ts; do
    node --conditions=source "$bench"
  done
  exit 0
fi
# The orchestrator, the load generator and the OTLP sink run on core 1; servers on core 0.
pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then pin=(taskset -c 1); fi
exec "${pin[@]}" node --conditions=source bench/run.ts "$@"
