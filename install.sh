#!/usr/bin/env bash
# Installs the built dokku-ps as Dokku's `ps` plugin (real Dokku or host/),
# idempotently. Dokku's own core ps is kept aside so `--uninstall` restores it.
#
#   npm ci && npm run build
#   sudo ./install.sh                  # real Dokku (/var/lib/dokku, /home/dokku)
#   DOKKU_ROOT=/x/home DOKKU_LIB_ROOT=/x/lib ./install.sh
#   ./install.sh --uninstall           # put Dokku's core ps back
set -eo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOKKU_ROOT=${DOKKU_ROOT:-/home/dokku}
export DOKKU_LIB_ROOT=${DOKKU_LIB_ROOT:-${DOKKU_LIB_PATH:-/var/lib/dokku}}
PLUGIN_PATH=${PLUGIN_PATH:-$DOKKU_LIB_ROOT/plugins}
AVAILABLE="$PLUGIN_PATH/available"
ENABLED="$PLUGIN_PATH/enabled"
TARGET="$AVAILABLE/ps"
BACKUP="$PLUGIN_PATH/.dokku-ps-core-backup"
MARKER=".dokku-ps"

fail() { echo " !     $*" >&2; exit 1; }
info() { echo "-----> $*"; }

uninstall() {
  [[ -f "$TARGET/$MARKER" ]] || fail "dokku-ps is not installed in $TARGET"
  rm -rf "$TARGET"
  if [[ -e "$BACKUP" || -L "$BACKUP" ]]; then
    mv "$BACKUP" "$TARGET"
    info "Restored Dokku's core ps plugin"
  fi
  ln -sfn "$TARGET" "$ENABLED/ps"
}

if [[ "$1" == "--uninstall" ]]; then uninstall; exit 0; fi

[[ -f "$SRC/dist/ps.cjs" ]] || fail "dist/ps.cjs is missing: run 'npm ci && npm run build' first"
command -v node >/dev/null || fail "node is not installed (dokku-ps needs Node.js >= 18)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= 18 )) || fail "Node.js $node_major is too old (dokku-ps needs >= 18)"

mkdir -p "$AVAILABLE" "$ENABLED"

# Keep whatever ps was there (Dokku's core plugin, usually a symlink into
# core-plugins) unless it is an earlier dokku-ps.
if [[ (-e "$TARGET" || -L "$TARGET") && ! -f "$TARGET/$MARKER" && ! -e "$BACKUP" && ! -L "$BACKUP" ]]; then
  mv "$TARGET" "$BACKUP"
  info "Kept Dokku's core ps plugin aside in $BACKUP"
fi

# Stage the new plugin next to the old one, then swap it in with renames so
# a dispatch in progress never sees a half-copied plugin.
STAGE=$(mktemp -d "$AVAILABLE/.ps-new.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
cp -R "$SRC/dist" "$STAGE/dist"
cp "$SRC/plugin.toml" "$STAGE/plugin.toml"
install -m 0755 "$SRC/commands" "$STAGE/commands"
mkdir "$STAGE/subcommands"
for f in "$SRC"/subcommands/*; do install -m 0755 "$f" "$STAGE/subcommands/${f##*/}"; done
for f in "$SRC"/triggers/*; do install -m 0755 "$f" "$STAGE/${f##*/}"; done
git -C "$SRC" rev-parse HEAD >"$STAGE/$MARKER" 2>/dev/null || echo "unknown" >"$STAGE/$MARKER"
chmod 0755 "$STAGE"
if id dokku >/dev/null 2>&1; then chown -R dokku:dokku "$STAGE"; fi

OLD=""
if [[ -e "$TARGET" || -L "$TARGET" ]]; then
  OLD="$AVAILABLE/.ps-old.$$"
  mv "$TARGET" "$OLD"
fi
mv "$STAGE" "$TARGET"
trap - EXIT
[[ -n "$OLD" ]] && rm -rf "$OLD"
ln -sfn "$TARGET" "$ENABLED/ps"

# The plugin's own install trigger: property and data dirs, adoption of
# existing apps' restart policies.
"$TARGET/install"
info "dokku-ps installed in $TARGET"
