#!/usr/bin/env bash
# Sets up and runs every check: Node 24 (brought from the npm registry when
# the one on PATH is older) and Node 22 (for running the packed packages on
# both supported majors), npm dependencies, the OTLP protocol definitions
# the tests decode with, then types, lint and the test suite.
# Usage: bash scripts/test.sh [test files or globs...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
source scripts/node22-env.sh
source scripts/otlp-protos.sh
source scripts/prometheus-env.sh
source scripts/alertmanager-env.sh
source scripts/compose-env.sh
source scripts/chromium-env.sh
source scripts/w3c-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "== types"; npx tsc -p tsconfig.json
echo "== lint"; npx eslint .
echo "== tests"
if [ "$#" -gt 0 ]; then set -- "$@"; else set -- 'packages/*/test/**/*.test.ts' 'examples/*/test/**/*.test.ts' 'docs/**/*.test.ts' 'bench/**/*.test.ts'; fi
exec node --conditions=source --test --test-concurrency=2 --test-timeout=120000 "$@"
