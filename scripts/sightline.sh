#!/usr/bin/env bash
# Runs the `sightline` command from this repository's sources with Node 24
# (brought from the npm registry when the node on PATH is older), e.g.
#   bash scripts/sightline.sh dev            # the local trace viewer on :4318
#   bash scripts/sightline.sh rules --slo ops/slo.yml --out rules.yml
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/node-env.sh"
if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node --conditions=source "$root/packages/cli/bin/sightline.js" "$@"
