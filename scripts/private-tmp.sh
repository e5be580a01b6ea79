#!/usr/bin/env bash
# private-tmp.sh <command> [args…]: runs the command with a /tmp of its own
# and fails (exit 1, listing them) if it leaves anything there. `npm test`
# and `npm run bench` run under it (issue 15: nothing left in /tmp).
#
# Why a private /tmp, and not "list /tmp before and after": /tmp is shared
# with other people's runs on this machine, which create (and leave) the very
# same names (dokku-ps-src-*, dokku-ps-it-*, tsx-0, …) at the same time, so a
# before/after diff of /tmp cannot tell our leftovers from theirs. And a
# TMPDIR of our own is not enough either: every `dokku` command re-execs
# itself as the dokku user with TMPDIR unset (host/bin/dokku, as Dokku's
# `sudo -u dokku` drops it), and host/ scripts write to literal /tmp paths
# as Dokku's do, so what the plugin and host/ create would land in the
# shared /tmp anyway, under names others use too.
#
# So the run gets its own mount namespace (unshare --mount, propagation
# private) in which a fresh, empty dir /tmp/dokku-ps-run.XXXXXX (mode 1777,
# like /tmp) is bind-mounted over /tmp. Every process of the run — root's,
# the dokku user's after setpriv, children of children, detached jobs —
# inherits that namespace and sees only that dir as /tmp; no other process
# on the machine sees it or writes into it. After the run the dir must be
# empty: whatever is in it was left by this run, and only this run.
#
# Not covered: what the Docker engine (outside the namespace) itself writes
# in the real /tmp for paths the run gives it. The tests give it none: build
# contexts and `docker cp` go through the CLI, and nothing bind-mounts a
# /tmp path. Without the privilege to make a mount namespace (not root),
# the check falls back to TMPDIR alone, and says so.
set -uo pipefail

[[ $# -gt 0 ]] || { echo "usage: $0 <command> [args…]" >&2; exit 2; }

dir=$(mktemp -d /tmp/dokku-ps-run.XXXXXX)
chmod 1777 "$dir"
cleanup() { rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# A checkout under /tmp (`git clone … /tmp/fresh`) would vanish under the
# private /tmp: it is bind-mounted at the same path inside it first (the run
# sees its own files where they are), and the mount point, empty once the
# namespace is gone, is removed before the check.
repo=$(cd "$(dirname "$0")/.." && pwd -P)
export DOKKU_PS_REPO_IN_TMP=
[[ "$repo" != /tmp/* ]] || DOKKU_PS_REPO_IN_TMP=${repo#/tmp/}

export DOKKU_PS_PRIVATE_TMP="$dir"
if unshare --mount --propagation private true 2>/dev/null; then
  # The dir as this run's /tmp; TMPDIR unset so that everything uses /tmp.
  env -u TMPDIR unshare --mount --propagation private \
    bash -c 'if [[ -n "$DOKKU_PS_REPO_IN_TMP" ]]; then
        mkdir -p "$DOKKU_PS_PRIVATE_TMP/$DOKKU_PS_REPO_IN_TMP" &&
          mount --bind "/tmp/$DOKKU_PS_REPO_IN_TMP" "$DOKKU_PS_PRIVATE_TMP/$DOKKU_PS_REPO_IN_TMP" || exit 1
      fi
      mount --rbind "$DOKKU_PS_PRIVATE_TMP" /tmp && exec "$@"' private-tmp "$@"
  rc=$?
  # The checkout's mount point and the dirs made for it, if nothing else is in them.
  rel=$DOKKU_PS_REPO_IN_TMP
  while [[ -n "$rel" && "$rel" != . ]]; do
    rmdir "$dir/$rel" 2>/dev/null || break
    rel=$(dirname "$rel")
  done
else
  echo "private-tmp: cannot make a mount namespace here (not root?): only TMPDIR=$dir is checked, not /tmp" >&2
  TMPDIR="$dir" "$@"
  rc=$?
fi

mapfile -t left < <(find "$dir" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)
if ((${#left[@]} > 0)); then
  echo " !     left in /tmp by this run (${#left[@]}):" >&2
  for name in "${left[@]}"; do
    echo "         /tmp/$name ($(find "$dir/$name" | wc -l) entries, owner $(stat -c %U "$dir/$name"))" >&2
  done
  ((rc != 0)) || rc=1
fi
exit "$rc"
