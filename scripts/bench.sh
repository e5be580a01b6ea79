#!/usr/bin/env bash
# npm run bench: bench/run.ts, run with a /tmp of its own that must be
# empty afterwards (scripts/private-tmp.sh; package.json runs this under it).
set -eo pipefail
cd "$(dirname "$0")/.."
trap 'rm -rf "${TMPDIR:-/tmp}/tsx-$(id -u)"' EXIT
node --import tsx bench/run.ts "$@"
