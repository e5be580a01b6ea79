#!/usr/bin/env bash
# Installs the built dokku-ps as Dokku's `ps` plugin (real Dokku or host/),
# idempotently. Dokku's own core ps is kept aside so `--uninstall` restores it.
#
#   npm ci && npm run build
#   sudo ./install.sh                  # real Dokku (/var/lib/dokku, /home/dokku)
#   DOKKU_ROOT=/x/home DOKKU_LIB_ROOT=/x/lib ./install.sh
#   sudo ./install.sh --uninstall      # put Dokku's core ps back
#
# Only on a Dokku dokku-ps supports ($DOKKU_LIB_ROOT/VERSION; the list:
# src/core/dokku-version.ts): on any other, one line and exit 1, nothing changed.
# Which trigger executables it installs depends on the host's Dokku
# ($DOKKU_LIB_ROOT/VERSION, see src/core/dokku-contract.ts): run it again
# after upgrading Dokku (the package upgrade keeps the plugin as it was).
#
# All or nothing: the new plugin is staged next to the old one and its
# `install` trigger (which only adopts data) runs from the stage first; only
# then is it swapped in. A failure at any step puts back what was there
# (Dokku's core ps, or the previous dokku-ps) and removes the stage.
set -eo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOKKU_ROOT=${DOKKU_ROOT:-/home/dokku}
export DOKKU_LIB_ROOT=${DOKKU_LIB_ROOT:-${DOKKU_LIB_PATH:-/var/lib/dokku}}
export PLUGIN_PATH=${PLUGIN_PATH:-$DOKKU_LIB_ROOT/plugins}
export PLUGIN_AVAILABLE_PATH="$PLUGIN_PATH/available"
export PLUGIN_ENABLED_PATH="$PLUGIN_PATH/enabled"
export PLUGIN_CORE_PATH=${PLUGIN_CORE_PATH:-$DOKKU_LIB_ROOT/core-plugins}
export PLUGIN_CORE_AVAILABLE_PATH="$PLUGIN_CORE_PATH/available"
export PLUGIN_CORE_ENABLED_PATH="$PLUGIN_CORE_PATH/enabled"
export DOKKU_SYSTEM_USER=${DOKKU_SYSTEM_USER:-dokku}
export DOKKU_SYSTEM_GROUP=${DOKKU_SYSTEM_GROUP:-dokku}
AVAILABLE="$PLUGIN_AVAILABLE_PATH"
ENABLED="$PLUGIN_ENABLED_PATH"
TARGET="$AVAILABLE/ps"
BACKUP="$PLUGIN_PATH/.dokku-ps-core-backup"
MARKER=".dokku-ps"

info() { echo "-----> $*"; }
# The one line an operator sees when nothing was installed.
fail() {
  echo " !     $*" >&2
  exit 1
}

# As `dokku plugin:install` leaves plugins (chown -R to the Dokku user and
# group): only as root, and only when that user exists.
OWNER=""
if [[ $EUID -eq 0 ]] && id -u "$DOKKU_SYSTEM_USER" >/dev/null 2>&1 && getent group "$DOKKU_SYSTEM_GROUP" >/dev/null 2>&1; then
  OWNER="$DOKKU_SYSTEM_USER:$DOKKU_SYSTEM_GROUP"
fi
own() { [[ -z "$OWNER" ]] || chown -h "$OWNER" "$@"; }
exists() { [[ -e "$1" || -L "$1" ]]; }
is_ours() { [[ -f "$1/$MARKER" ]]; }

# Points $ENABLED/ps at $1 (or removes it when $1 is empty), replacing the
# link with a rename so a dispatch in progress never finds it missing.
set_enabled_link() {
  local tmp="$ENABLED/.ps-link.$$"
  if [[ -z "$1" ]]; then
    rm -f "$ENABLED/ps"
    return
  fi
  ln -sfn "$1" "$tmp"
  own "$tmp"
  mv -Tf "$tmp" "$ENABLED/ps"
}

# Test-only: makes a step fail, to check that the rollback restores everything.
test_fail() { [[ "${DOKKU_PS_INSTALL_TEST_FAIL:-}" != "$1" ]] || { echo "test failure at $1" >&2 && return 1; }; }

uninstall() {
  is_ours "$TARGET" || fail "dokku-ps is not installed in $TARGET"
  # dokku-ps's derived files (recomputed when missing; Dokku's ps knows none
  # of them). The extracted Procfile, DOKKU_SCALE, DOCKER_OPTIONS_DEPLOY, ENV
  # and the properties stay: they are in the formats Dokku's ps reads.
  local dir
  for dir in "$DOKKU_LIB_ROOT"/data/ps/*/; do
    [[ -d "$dir" && ! -L "${dir%/}" ]] || continue
    rm -rf "${dir}hot" "${dir}validated" "${dir}image-files.json" "${dir}formation-from-app.json" "${dir}"hot.*.tmp "${dir}"hot.*.old
  done
  local old="$AVAILABLE/.ps-old.$$"
  mv "$TARGET" "$old"
  if exists "$BACKUP"; then
    mv "$BACKUP" "$TARGET"
    set_enabled_link "$TARGET"
    rm -rf "$old"
    info "Restored Dokku's core ps plugin"
  else
    set_enabled_link ""
    rm -rf "$old"
    info "Removed dokku-ps (no core ps plugin had been kept aside)"
  fi
}

if [[ "$1" == "--uninstall" ]]; then
  uninstall
  exit 0
fi

[[ -f "$SRC/dist/ps.cjs" ]] || fail "dist/ps.cjs is missing: run 'npm ci && npm run build' first"
command -v node >/dev/null || fail "node is not installed (dokku-ps needs Node.js >= 18)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 18)) || fail "Node.js $node_major is too old (dokku-ps needs >= 18)"
# The host's Dokku ($DOKKU_LIB_ROOT/VERSION) must be one dokku-ps supports;
# the list is in the bundle (src/core/dokku-version.ts), which prints the one
# line naming the version found and the supported range. Nothing has been
# changed yet, so a refusal leaves the host exactly as it was.
(cd / && node "$SRC/dist/ps.cjs" version-check) || exit 1
# The trigger executables of the host's Dokku, from its VERSION file
# (src/core/dokku-contract.ts): `<name> <fast|plain>` lines.
TRIGGER_LIST=$(cd / && node "$SRC/dist/ps.cjs" contract triggers) || exit 1
if exists "$TARGET" && ! is_ours "$TARGET" && exists "$BACKUP"; then
  fail "$TARGET is not dokku-ps and $BACKUP already holds a kept-aside ps plugin: move one of them away first"
fi

# --- From here on, any failure rolls back to what was there. ---
STAGE="" OLD="" KEPT_CORE="" SWAPPED="" DONE="" TRIGGER_ERR=""
ENABLED_BEFORE=""
[[ -L "$ENABLED/ps" ]] && ENABLED_BEFORE=$(readlink "$ENABLED/ps")

rollback() {
  local rc=$? step="$STEP"
  [[ -z "$DONE" ]] || return 0
  trap - EXIT
  set +e
  if [[ -n "$SWAPPED" ]]; then rm -rf "$TARGET"; fi
  if [[ -n "$OLD" ]]; then mv "$OLD" "$TARGET"; fi
  if [[ -n "$KEPT_CORE" ]]; then mv "$BACKUP" "$TARGET"; fi
  if [[ -n "$ENABLED_BEFORE" ]]; then set_enabled_link "$ENABLED_BEFORE"; elif [[ -n "$SWAPPED" ]]; then rm -f "$ENABLED/ps"; fi
  [[ -z "$STAGE" ]] || rm -rf "$STAGE"
  local cause=""
  [[ -z "$TRIGGER_ERR" || ! -s "$TRIGGER_ERR" ]] || cause=$(grep -v '^[[:space:]]*$' "$TRIGGER_ERR" | tail -n 1 | sed -e 's/^ !     //')
  [[ -z "$TRIGGER_ERR" ]] || rm -f "$TRIGGER_ERR"
  echo " !     dokku-ps was not installed ($step failed${cause:+: $cause}); the ps plugin that was there is left in place" >&2
  exit "$((rc == 0 ? 1 : rc))"
}
trap rollback EXIT

for dir in "$PLUGIN_PATH" "$AVAILABLE" "$ENABLED"; do
  [[ -d "$dir" ]] || { mkdir -p "$dir" && own "$dir"; }
done

STEP="staging the plugin"
STAGE=$(mktemp -d "$AVAILABLE/.ps-new.XXXXXX")
cp -R "$SRC/dist" "$STAGE/dist"
install -m 0644 "$SRC/plugin.toml" "$STAGE/plugin.toml"
install -m 0755 "$SRC/commands" "$STAGE/commands"
mkdir "$STAGE/subcommands"
for f in "$SRC"/subcommands/*; do install -m 0755 "$f" "$STAGE/subcommands/${f##*/}"; done
# Each trigger is one of the two shims (dist/shims/, copied by the build).
while read -r name kind; do
  shim="$SRC/dist/shims/trigger"
  [[ "$kind" != fast ]] || shim="$SRC/dist/shims/fast"
  install -m 0755 "$shim" "$STAGE/$name"
done <<<"$TRIGGER_LIST"
# What was installed: a release's REVISION file (npm run release), else the checkout's commit.
if [[ -f "$SRC/REVISION" ]]; then
  cp "$SRC/REVISION" "$STAGE/$MARKER"
else
  git -C "$SRC" rev-parse HEAD >"$STAGE/$MARKER" 2>/dev/null || echo "unknown" >"$STAGE/$MARKER"
fi
# The V8 code cache of each command and trigger (src/core/code-cache.ts):
# written by the Dokku user as they first run, gone with the plugin dir.
rm -rf "$STAGE/dist/code-cache" && mkdir "$STAGE/dist/code-cache"
chmod -R u+rwX,go+rX,go-w "$STAGE"
[[ -z "$OWNER" ]] || chown -R "$OWNER" "$STAGE"

# The plugin's own install trigger (property and data dirs, adoption of
# existing apps' restart policies): it touches data only, in formats Dokku's
# ps reads alike, so it runs before anything of the plugins tree changes.
STEP="its install trigger"
TRIGGER_ERR=$(mktemp)
(cd / && "$STAGE/install") 2>"$TRIGGER_ERR"
grep -v '^[[:space:]]*$' "$TRIGGER_ERR" >&2 || true
rm -f "$TRIGGER_ERR"
TRIGGER_ERR=""

# Swap it in with renames, so a dispatch in progress never sees a half-copied plugin.
STEP="swapping the plugin in"
if exists "$TARGET" && ! is_ours "$TARGET"; then
  mv "$TARGET" "$BACKUP"
  KEPT_CORE=1
elif exists "$TARGET"; then
  OLD="$AVAILABLE/.ps-old.$$"
  mv "$TARGET" "$OLD"
fi
mv "$STAGE" "$TARGET"
STAGE=""
SWAPPED=1
STEP="enabling the plugin"
set_enabled_link "$TARGET"
test_fail after-swap

DONE=1
trap - EXIT
[[ -z "$OLD" ]] || rm -rf "$OLD"
[[ -z "$KEPT_CORE" ]] || info "Kept Dokku's core ps plugin aside in $BACKUP"
info "dokku-ps installed in $TARGET"
