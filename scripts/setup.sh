#!/usr/bin/env bash
# Brings a fresh machine (Debian/Ubuntu, root) to the point where the demo,
# the tests and the benchmarks can run: Docker engine (no bridge), npm
# dependencies, the built plugin and the offline base image. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dockerd >/dev/null 2>&1; then
  echo "-----> Installing docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
bash scripts/start-dockerd.sh

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "-----> Installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
host/bin/build-base-image
