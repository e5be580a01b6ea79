#!/usr/bin/env bash
# standin-dokku-deb.sh <version> <out.deb>: a stand-in of Dokku's Debian
# package `dokku` <version> (test/integration/deb.test.ts), built with
# dpkg-deb from the embedded host (host/), laid out as Dokku's package.mk and
# debian/postinst lay a real one (checked at v0.38.27):
#   /usr/share/dokku-standin/host/   host/ (bin, lib, core-plugins, versions)
#   /usr/bin/dokku                   -> host/bin/dokku
#   /var/lib/dokku/core-plugins/available/ps/
#                                    the version's core ps, as files dpkg
#                                    installs, with `.core` (the
#                                    host/versions/<v>/core-ps of the
#                                    version's layers, composed; a 0.24.10
#                                    host has none: a plugin.toml only)
# postinst configure: creates the dokku user (docker group), then on a first
# install makes the host's tree for <version> (VERSION, core plugins linked
# and enabled, core ps too) and runs `dokku plugin:install --core`; on an
# upgrade runs host/bin/upgrade-host <version> (the old prerm's cleanup, core
# plugins recomposed, `plugin:install --core`). One deviation: the real
# package ships VERSION as a file; here postinst writes it (upgrade-host
# reads the old version from it).
set -euo pipefail
version=$1 out=$2
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/pkg"
share="$pkg/usr/share/dokku-standin"
ps="$pkg/var/lib/dokku/core-plugins/available/ps"
mkdir -p "$pkg/DEBIAN" "$share/host" "$pkg/usr/bin" "$ps"
cp -R "$REPO/host/bin" "$REPO/host/lib" "$REPO/host/core-plugins" "$REPO/host/versions" "$share/host/"
ln -s ../share/dokku-standin/host/bin/dokku "$pkg/usr/bin/dokku"
# Dokku's package depends on plugn, whose package installs /usr/bin/plugn:
# anything run outside `dokku` (a dpkg trigger's install.sh) finds it there.
ln -s ../share/dokku-standin/host/bin/plugn "$pkg/usr/bin/plugn"

# The version's chain of layers, oldest first (host/versions/<v>/BASE), each
# one's core-ps laid over the one before (a `.host-remove` lists the names a
# layer drops), as host/ composes core ps; files, as dpkg installs them.
chain=() layer=$version
while [[ -n "$layer" && "$layer" != 0.24.10 ]]; do
  [[ -d "$REPO/host/versions/$layer" ]] || { echo "host/ has no version $layer" >&2; exit 1; }
  chain=("$REPO/host/versions/$layer" "${chain[@]}")
  layer=$(cat "$REPO/host/versions/$layer/BASE" 2>/dev/null || true)
done
for dir in "${chain[@]}"; do
  [[ -d "$dir/core-ps" ]] || continue
  cp -R "$dir/core-ps/." "$ps/"
  if [[ -f "$dir/core-ps/.host-remove" ]]; then
    while IFS= read -r name; do [[ -z "$name" ]] || rm -rf "${ps:?}/$name"; done <"$dir/core-ps/.host-remove"
    rm -f "$ps/.host-remove"
  fi
done
[[ -e "$ps/plugin.toml" ]] || printf '[plugin]\ndescription = "stand-in of core ps %s"\nversion = "%s"\n' "$version" "$version" >"$ps/plugin.toml"
: >"$ps/.core"

cat >"$pkg/DEBIAN/control" <<CONTROL
Package: dokku
Version: $version
Architecture: all
Maintainer: dokku-ps developers <dokku-ps@users.noreply.github.com>
Depends: git, bash
Description: stand-in of Dokku $version for dokku-ps's package test
 The embedded host of the dokku-ps repository (host/), laid out as the
 Dokku package lays out Dokku.
CONTROL
cat >"$pkg/DEBIAN/postinst" <<POSTINST
#!/bin/bash
set -eo pipefail
H=/usr/share/dokku-standin/host
[[ "\$1" == configure ]] || exit 0
getent group docker >/dev/null || groupadd --system docker
id -u dokku >/dev/null 2>&1 || useradd --system --user-group --create-home --home-dir /home/dokku --shell /bin/bash dokku
usermod -aG docker dokku
if [[ -f /var/lib/dokku/VERSION ]]; then
  read -r have </var/lib/dokku/VERSION
  [[ "\${have#v}" == "$version" ]] || "\$H/bin/upgrade-host" "$version"
else
  DOKKU_HOST_VERSION="$version" dokku version
  source "\$H/lib/dokku-env.bash"
  dokku_host_core_links ps
  chown -hR dokku:dokku /var/lib/dokku/plugins /var/lib/dokku/core-plugins
  dokku plugin:install --core
fi
POSTINST
chmod 0755 "$pkg/DEBIAN/postinst"
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out" >/dev/null
