#!/bin/bash
# Exported environment of the test host's `dokku` (contract §1.2), as a
# library: bin/dokku sources it after reading dokkurc, and test harnesses that
# call `plugn trigger …` directly can source it to get the same environment:
#   DOKKU_ROOT=… DOKKU_LIB_ROOT=… source host/lib/dokku-env.bash
# Values already in the environment win, except the constants.

if [[ "${BASH_SOURCE[0]}" == /*/lib/dokku-env.bash && ! -L "${BASH_SOURCE[0]}" ]]; then
  DOKKU_HOST_DIR="${BASH_SOURCE[0]%/lib/dokku-env.bash}"
else
  DOKKU_HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi
# Exported for the version layers' files that source the file they extend
# (without a readlink process in every trigger: CI time).
export DOKKU_HOST_DIR
# Every plugin executable must find `plugn` and `dokku`.
[[ ":$PATH:" == *":$DOKKU_HOST_DIR/bin:"* ]] || PATH="$DOKKU_HOST_DIR/bin:$PATH"
export PATH

# Deviation: DOCKER_BIN may come from the environment (tests can wrap docker);
# /etc/default/dokku is not read so the machine's config cannot leak in.
export DOCKER_BIN="${DOCKER_BIN:-docker}"
# The Go runtime of each docker CLI process (tens per deploy) starts one
# thread per CPU; one is enough for a CLI call and costs ~25% less CPU on a
# small machine (CI time). Nothing else the host runs is a Go program.
export GOMAXPROCS="${GOMAXPROCS:-1}"
export DOKKU_ROOT="${DOKKU_ROOT:-/home/dokku}"
# Deviation: an explicit DOKKU_LIB_ROOT is honoured (Dokku always derives it
# from DOKKU_LIB_PATH) so tests can relocate it either way.
export DOKKU_LIB_ROOT="${DOKKU_LIB_ROOT:-${DOKKU_LIB_PATH:-/var/lib/dokku}}"
export DOKKU_HOST_ROOT="${DOKKU_HOST_ROOT:-$DOKKU_ROOT}"
export DOKKU_DISTRO="${DOKKU_DISTRO:-$(. /etc/os-release && echo "$ID")}"
export DOKKU_IMAGE="${DOKKU_IMAGE:-gliderlabs/herokuish:latest}"
export DOKKU_CNB_BUILDER="${DOKKU_CNB_BUILDER:-heroku/buildpacks}"
export PLUGIN_PATH="$DOKKU_LIB_ROOT/plugins"
export PLUGIN_AVAILABLE_PATH="$PLUGIN_PATH/available"
export PLUGIN_ENABLED_PATH="$PLUGIN_PATH/enabled"
export PLUGIN_CORE_PATH="$DOKKU_LIB_ROOT/core-plugins"
export PLUGIN_CORE_AVAILABLE_PATH="$PLUGIN_CORE_PATH/available"
export PLUGIN_CORE_ENABLED_PATH="$PLUGIN_CORE_PATH/enabled"
# As in Dokku: commands run as this user (bin/dokku re-execs root into it) and
# the data trees belong to it. scripts/setup.sh creates it.
export DOKKU_SYSTEM_USER="${DOKKU_SYSTEM_USER:-dokku}"
export DOKKU_SYSTEM_GROUP="${DOKKU_SYSTEM_GROUP:-dokku}"
export DOKKU_API_VERSION=1
export DOKKU_NOT_IMPLEMENTED_EXIT=10
export DOKKU_VALID_EXIT=0
export DOKKU_LOGS_DIR="${DOKKU_LOGS_DIR:-/var/log/dokku}"
export DOKKU_LOGS_HOST_DIR="${DOKKU_LOGS_HOST_DIR:-$DOKKU_LOGS_DIR}"
export DOKKU_EVENTS_LOGFILE="${DOKKU_EVENTS_LOGFILE:-$DOKKU_LOGS_DIR/events.log}"
export DOKKU_CONTAINER_LABEL=dokku
export DOKKU_GLOBAL_BUILD_ARGS="--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=$DOKKU_CONTAINER_LABEL"
export DOKKU_GLOBAL_RUN_ARGS="--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=$DOKKU_CONTAINER_LABEL"

# Creates the directory skeleton and links every host core plugin the way a
# Dokku package install does (contract §3.3). Cheap when already done: only
# [[ ]] tests, no processes.
dokku_host_link() {
  local target="$1" link="$2"
  [[ -L "$link" ]] || ln -sfn "$target" "$link"
}

# A directory (or file) made by root during init belongs to the Dokku user,
# as a package install leaves /home/dokku and /var/lib/dokku/{data,config,plugins}.
dokku_host_own() {
  [[ $EUID -eq 0 ]] || return 0
  chown "$DOKKU_SYSTEM_USER:$DOKKU_SYSTEM_GROUP" "$@" 2>/dev/null || true
}

# ---- the Dokku version this host speaks --------------------------------------
# As on a real host, $DOKKU_LIB_ROOT/VERSION says which Dokku is installed
# (`v0.24.10`, `v0.31.5`, `v0.35.20`, `v0.38.27`); STABLE_VERSION is the same without the
# `v` (what `dokku version` prints). A new host writes both on first use,
# from DOKKU_HOST_VERSION (default 0.24.10); afterwards the file wins.
# Everything that differs between versions lives in host/versions/<version>/
# (core-plugin files laid over host/core-plugins, see dokku_host_compose).
DOKKU_HOST_VERSIONS="0.24.10 0.31.5 0.35.20 0.38.27"
dokku_host_read_version() {
  local v=""
  [[ -r "$DOKKU_LIB_ROOT/VERSION" ]] && read -r v <"$DOKKU_LIB_ROOT/VERSION"
  if [[ -z "$v" ]]; then
    v="${DOKKU_HOST_VERSION:-0.24.10}"
    v="v${v#v}"
    [[ " $DOKKU_HOST_VERSIONS " == *" ${v#v} "* ]] || {
      echo " !     host/ speaks Dokku ${DOKKU_HOST_VERSIONS// /, } (DOKKU_HOST_VERSION=$DOKKU_HOST_VERSION)" >&2
      exit 1
    }
    mkdir -p "$DOKKU_LIB_ROOT"
    printf '%s\n' "$v" >"$DOKKU_LIB_ROOT/VERSION"
    printf '%s\n' "${v#v}" >"$DOKKU_LIB_ROOT/STABLE_VERSION"
  fi
  [[ " $DOKKU_HOST_VERSIONS " == *" ${v#v} "* ]] || {
    echo " !     $DOKKU_LIB_ROOT/VERSION says $v: host/ speaks Dokku ${DOKKU_HOST_VERSIONS// /, }" >&2
    exit 1
  }
  export DOKKU_HOST_VERSION="${v#v}"
}

# The layers of core-plugin files for this version, oldest first: the 0.24.10
# base, then each host/versions/<v>/core-plugins the version builds on (its
# BASE file names the version below it).
dokku_host_layers() {
  local v="$DOKKU_HOST_VERSION" chain=()
  while [[ -n "$v" && "$v" != 0.24.10 ]]; do
    chain=("$DOKKU_HOST_DIR/versions/$v/core-plugins" "${chain[@]}")
    v=""
    [[ -r "${chain[0]%/core-plugins}/BASE" ]] && read -r v <"${chain[0]%/core-plugins}/BASE"
  done
  DOKKU_HOST_LAYERS=("$DOKKU_HOST_DIR/core-plugins" "${chain[@]}")
}

# Builds core-plugins/available/<name> as a real directory (as the Dokku
# package installs core plugins) whose entries link to the newest layer's
# file of that name; a directory present in several layers is merged the
# same way, and a `.host-remove` file in a layer lists names (one a line)
# that layer takes away.
dokku_host_compose() {
  local dst="$1" layer entry name removed
  shift
  local -A pick=() dirs=()
  for layer in "$@"; do
    [[ -d "$layer" ]] || continue
    for entry in "$layer"/*; do
      [[ -e "$entry" || -L "$entry" ]] || continue
      name="${entry##*/}"
      pick[$name]="$entry"
      if [[ -d "$entry" && ! -L "$entry" ]]; then dirs[$name]+="$entry"$'\n'; else unset "dirs[$name]"; fi
    done
    if [[ -f "$layer/.host-remove" ]]; then
      while IFS= read -r removed; do
        [[ -n "$removed" ]] && unset "pick[$removed]" "dirs[$removed]"
      done <"$layer/.host-remove"
    fi
  done
  mkdir -p "$dst"
  for name in "${!pick[@]}"; do
    local sub=()
    [[ -z "${dirs[$name]}" ]] || mapfile -t sub <<<"${dirs[$name]%$'\n'}"
    if [[ ${#sub[@]} -gt 1 ]]; then
      dokku_host_compose "$dst/$name" "${sub[@]}"
    else
      ln -sfn "${pick[$name]}" "$dst/$name"
    fi
  done
}

dokku_host_init() {
  local dir src name
  for dir in "$DOKKU_ROOT" "$DOKKU_LIB_ROOT/data" "$DOKKU_LIB_ROOT/config" \
    "$PLUGIN_PATH" "$PLUGIN_AVAILABLE_PATH" "$PLUGIN_ENABLED_PATH" \
    "$PLUGIN_CORE_PATH" "$PLUGIN_CORE_AVAILABLE_PATH" "$PLUGIN_CORE_ENABLED_PATH"; do
    [[ -d "$dir" ]] || { mkdir -p "$dir" && dokku_host_own "$dir"; }
  done
  # A real host has run `ps:retire` (cron, every 5 min), whose flock is this
  # plain file: not every entry of data/ps is an app.
  if [[ ! -e "$DOKKU_LIB_ROOT/data/ps/retire" ]]; then
    [[ -d "$DOKKU_LIB_ROOT/data/ps" ]] || { mkdir -p "$DOKKU_LIB_ROOT/data/ps" && dokku_host_own "$DOKKU_LIB_ROOT/data/ps"; }
    : 2>/dev/null >>"$DOKKU_LIB_ROOT/data/ps/retire" && dokku_host_own "$DOKKU_LIB_ROOT/data/ps/retire"
    # 0.38's ps:retire locks it with gofrs/flock (O_CREATE, 0600; record:
    # `-rw------- dokku dokku … retire`); older ones' flock(1) left 0644.
    [[ "$DOKKU_HOST_VERSION" != 0.38.27 ]] || chmod 0600 "$DOKKU_LIB_ROOT/data/ps/retire" 2>/dev/null || true
  fi
  if [[ "$DOKKU_HOST_VERSION" == 0.24.10 ]]; then
    for src in "$DOKKU_HOST_DIR"/core-plugins/*/; do
      src="${src%/}" name="${src##*/}"
      dokku_host_link "$src" "$PLUGIN_CORE_AVAILABLE_PATH/$name"
      dokku_host_core_links "$name"
    done
    return 0
  fi
  # Newer Dokku (package.mk, debian/postinst): each core plugin is a real
  # directory core-plugins/available/<name> holding a `.core` marker, linked
  # from plugins/available/<name> unless a directory of that name is already
  # there, and enabled in both trees.
  local layers=() layer
  dokku_host_layers
  for layer in "${DOKKU_HOST_LAYERS[@]}"; do
    for src in "$layer"/*/; do
      src="${src%/}" name="${src##*/}"
      [[ -d "$PLUGIN_CORE_AVAILABLE_PATH/$name" ]] && continue
      layers=()
      for dir in "${DOKKU_HOST_LAYERS[@]}"; do layers+=("$dir/$name"); done
      dokku_host_compose "$PLUGIN_CORE_AVAILABLE_PATH/$name" "${layers[@]}"
      : >"$PLUGIN_CORE_AVAILABLE_PATH/$name/.core"
      [[ $EUID -ne 0 ]] || chown -hR "$DOKKU_SYSTEM_USER:$DOKKU_SYSTEM_GROUP" "$PLUGIN_CORE_AVAILABLE_PATH/$name" 2>/dev/null || true
      dokku_host_core_links "$name"
    done
  done
  return 0
}

# The package's core ps of this version (every Dokku package ships one):
# host/versions/<v>/core-ps of each layer of the chain, composed as the core
# plugins are (a later layer's file wins, its `.host-remove` drops names:
# 0.38.27's core-ps is laid over 0.31.5's), becomes core-plugins/available/ps
# with `.core`, replacing whatever was there. Prints nothing; returns 1 when
# no layer has a core-ps (0.24.10). Links are left to dokku_host_core_links.
dokku_host_lay_core_ps() {
  local layer dirs=()
  dokku_host_layers
  for layer in "${DOKKU_HOST_LAYERS[@]}"; do
    [[ ! -d "${layer%/core-plugins}/core-ps" ]] || dirs+=("${layer%/core-plugins}/core-ps")
  done
  [[ ${#dirs[@]} -gt 0 ]] || return 1
  rm -rf "$PLUGIN_CORE_AVAILABLE_PATH/ps"
  dokku_host_compose "$PLUGIN_CORE_AVAILABLE_PATH/ps" "${dirs[@]}"
  : >"$PLUGIN_CORE_AVAILABLE_PATH/ps/.core"
  [[ $EUID -ne 0 ]] || chown -hR "$DOKKU_SYSTEM_USER:$DOKKU_SYSTEM_GROUP" "$PLUGIN_CORE_AVAILABLE_PATH/ps" 2>/dev/null || true
}

dokku_host_core_links() {
  local name="$1"
  [[ -d "$PLUGIN_AVAILABLE_PATH/$name" ]] || dokku_host_link "$PLUGIN_CORE_AVAILABLE_PATH/$name" "$PLUGIN_AVAILABLE_PATH/$name"
  dokku_host_link "$PLUGIN_CORE_AVAILABLE_PATH/$name" "$PLUGIN_CORE_ENABLED_PATH/$name"
  dokku_host_link "$PLUGIN_AVAILABLE_PATH/$name" "$PLUGIN_ENABLED_PATH/$name"
}
dokku_host_read_version
dokku_host_init
