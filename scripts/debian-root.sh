#!/usr/bin/env bash
# Builds, once, the minimal Debian 12 root that test/integration/deb.test.ts
# installs the .deb in (never this machine's own dpkg database): debootstrap
# --variant=minbase bookworm plus git, apt's package lists, and the packages
# `apt install ./dokku-ps_*.deb` brings (nodejs and what it needs) downloaded
# into its apt cache, so the test itself needs no network.
#
#   scripts/debian-root.sh [<dir>]     default .cache/debian-root (deb.test.ts runs it first)
#
# Idempotent: a complete root of this recipe (<dir>/.complete) is kept. It is
# built beside <dir> and renamed in, under a lock (two test processes).
# About 1.5 min and 270 MB; DOKKU_PS_DEBIAN_MIRROR picks the mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPE="2 bookworm minbase +git, nodejs downloaded"
DEST="${1:-.cache/debian-root}"
MIRROR="${DOKKU_PS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
complete() { [[ -f "$DEST/.complete" && "$(cat "$DEST/.complete")" == "$RECIPE" ]]; }
complete && exit 0
command -v debootstrap >/dev/null || { echo " !     debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$(dirname "$DEST")"
exec 9>"$DEST.lock"
flock 9
complete && exit 0

echo "-----> Building the Debian root of the .deb test in $DEST (debootstrap bookworm, once)"
work=$(mktemp -d "$DEST.new.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! debootstrap --variant=minbase --include=git bookworm "$work/root" "$MIRROR" >"$work/debootstrap.log" 2>&1; then
  tail -n 20 "$work/debootstrap.log" >&2
  echo " !     debootstrap failed (above)" >&2
  exit 1
fi
in_root() { chroot "$work/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# debootstrap's own .debs go; the lists and nodejs's packages stay.
in_root apt-get clean
in_root apt-get update -qq
in_root apt-get install -qq -y --download-only nodejs >/dev/null
echo "$RECIPE" >"$work/root/.complete"
rm -rf "$DEST"
mv "$work/root" "$DEST"
echo "-----> $DEST: $(du -sh "$DEST" | cut -f1)"
