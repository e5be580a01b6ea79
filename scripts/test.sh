#!/usr/bin/env bash
# The test command (npm test): unit tests for the pure core, then
# integration tests on the embedded host against the real Docker engine.
# Integration tests never skip: no engine means failure.
set -eo pipefail
cd "$(dirname "$0")/.."
# The whole run with a /tmp of its own, which must be empty afterwards
# (nothing left in /tmp; why this way: scripts/private-tmp.sh).
if [[ -z "${DOKKU_PS_PRIVATE_TMP:-}" ]]; then
  exec bash scripts/private-tmp.sh bash scripts/test.sh "$@"
fi
# tsx's transform cache (<tmpdir>/tsx-<uid>), shared by this run's test
# processes: this run's own /tmp goes with the run, so the cache goes too.
trap 'rm -rf "${TMPDIR:-/tmp}/tsx-$(id -u)"' EXIT
npm run --silent build
files=(test/core/*.test.ts test/adapters/*.test.ts test/*.test.ts)
if [[ "${DOKKU_PS_UNIT_ONLY:-}" != "1" ]]; then
  files+=(test/integration/*.test.ts)
fi
shopt -s nullglob
node --import tsx --test --test-concurrency="${DOKKU_PS_TEST_CONCURRENCY:-2}" "${files[@]}"
# These start (and stop) a Docker engine of their own (test/integration/
# private-engine.ts; the machine's engine is never stopped): heavy on a small
# machine, so they run alone, after everything else.
if [[ "${DOKKU_PS_UNIT_ONLY:-}" != "1" ]]; then
  node --import tsx --test --test-concurrency=1 test/integration/isolated/*.test.ts
fi
