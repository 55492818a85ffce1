#!/usr/bin/env bash
# Runs the benchmarks in bench/. Each prints times per operation and ratios
# against a baseline measured in the same run; none of them fails on a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
for bench in bench/*-overhead.ts; do
  node --conditions=source "$bench"
done
