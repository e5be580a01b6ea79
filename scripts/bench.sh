#!/usr/bin/env bash
# npm run bench: bench/run.ts, run with a /tmp of its own that must be
# empty afterwards (scripts/private-tmp.sh; package.json runs this under it).
set -eo pipefail
cd "$(dirname "$0")/.."
# The build images the benchmarks' hosts leave untagged (the harness removes
# with --no-prune): scripts/sweep-build-images.sh.
trap 'rm -rf "${TMPDIR:-/tmp}/tsx-$(id -u)"; bash scripts/sweep-build-images.sh' EXIT
node --import tsx bench/run.ts "$@"
