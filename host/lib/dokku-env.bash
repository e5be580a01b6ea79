#!/usr/bin/env bash
# Exported environment of the test host's `dokku` (contract §1.2), as a
# library: bin/dokku sources it after reading dokkurc, and test harnesses that
# call `plugn trigger …` directly can source it to get the same environment:
#   DOKKU_ROOT=… DOKKU_LIB_ROOT=… source host/lib/dokku-env.bash
# Values already in the environment win, except the constants.

DOKKU_HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Every plugin executable must find `plugn` and `dokku`.
[[ ":$PATH:" == *":$DOKKU_HOST_DIR/bin:"* ]] || PATH="$DOKKU_HOST_DIR/bin:$PATH"
export PATH

# Deviation: DOCKER_BIN may come from the environment (tests can wrap docker);
# /etc/default/dokku is not read so the machine's config cannot leak in.
export DOCKER_BIN="${DOCKER_BIN:-docker}"
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

dokku_host_init() {
  local dir src name
  for dir in "$DOKKU_ROOT" "$DOKKU_LIB_ROOT/data" "$DOKKU_LIB_ROOT/config" \
    "$PLUGIN_PATH" "$PLUGIN_AVAILABLE_PATH" "$PLUGIN_ENABLED_PATH" \
    "$PLUGIN_CORE_PATH" "$PLUGIN_CORE_AVAILABLE_PATH" "$PLUGIN_CORE_ENABLED_PATH"; do
    [[ -d "$dir" ]] || { mkdir -p "$dir" && dokku_host_own "$dir"; }
  done
  # The Dokku package writes the release it installed here (`v0.24.10` on
  # 0.24.10, with STABLE_VERSION `0.24.10` beside it); `dokku version` and
  # dokku-ps's install.sh read it. A new host gets 0.24.10's; one already
  # there (a test planting another release) is left as it is.
  [[ -e "$DOKKU_LIB_ROOT/VERSION" ]] || echo "v0.24.10" 2>/dev/null >"$DOKKU_LIB_ROOT/VERSION" || true
  # A real host has run `ps:retire` (cron, every 5 min), whose flock is this
  # plain file: not every entry of data/ps is an app.
  if [[ ! -e "$DOKKU_LIB_ROOT/data/ps/retire" ]]; then
    [[ -d "$DOKKU_LIB_ROOT/data/ps" ]] || { mkdir -p "$DOKKU_LIB_ROOT/data/ps" && dokku_host_own "$DOKKU_LIB_ROOT/data/ps"; }
    : 2>/dev/null >>"$DOKKU_LIB_ROOT/data/ps/retire" && dokku_host_own "$DOKKU_LIB_ROOT/data/ps/retire"
  fi
  for src in "$DOKKU_HOST_DIR"/core-plugins/*/; do
    src="${src%/}" name="${src##*/}"
    dokku_host_link "$src" "$PLUGIN_CORE_AVAILABLE_PATH/$name"
    dokku_host_link "$PLUGIN_CORE_AVAILABLE_PATH/$name" "$PLUGIN_AVAILABLE_PATH/$name"
    dokku_host_link "$PLUGIN_CORE_AVAILABLE_PATH/$name" "$PLUGIN_CORE_ENABLED_PATH/$name"
    dokku_host_link "$PLUGIN_AVAILABLE_PATH/$name" "$PLUGIN_ENABLED_PATH/$name"
  done
}
dokku_host_init
