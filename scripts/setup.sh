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
# sudo: test/integration/operator-seat.test.ts runs `sudo dokku …` as a
# throw-away sudoer, as operators do (the host itself re-execs with setpriv).
if ! command -v sudo >/dev/null 2>&1; then
  echo "-----> Installing sudo"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo >/dev/null
fi
# The `dokku` system user, as a Dokku package creates it: the embedded host
# runs every command as this user (re-exec from root), as Dokku does, and it
# reaches the engine through the docker group.
if ! id dokku >/dev/null 2>&1; then
  echo "-----> Creating the dokku user"
  useradd --system --user-group --create-home --home-dir /home/dokku --shell /bin/bash dokku
fi
getent group docker >/dev/null || groupadd --system docker
id -nG dokku | tr ' ' '\n' | grep -qx docker || usermod -aG docker dokku
bash scripts/start-dockerd.sh
# The .deb (npm run release, issue 22): dpkg-deb builds it, lintian checks it
# (test/integration/release.test.ts), and debootstrap makes the Debian 12 root
# its apt test installs it in (test/integration/deb.test.ts builds that root
# on its first run: scripts/debian-root.sh, ~1.5-3.5 min, 420 MB in .cache/;
# not here, so the demo does not wait for it).
missing=()
for tool in dpkg-deb:dpkg lintian:lintian debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "-----> Installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A node_modules that is a symlink is a tree shared with other checkouts
# (git worktrees): never `npm ci` through it (that empties the shared tree).
if [[ ! -e node_modules || (! -L node_modules && package-lock.json -nt node_modules/.package-lock.json) ]]; then
  echo "-----> Installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
host/bin/build-base-image

# Node 18.19 for the Node 18 test is not fetched here: scripts/test.sh fetches
# it in the background while the first pass runs (scripts/node18.sh), and the
# test itself does when it runs alone.
