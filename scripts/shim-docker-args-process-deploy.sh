#!/bin/sh
# dokku-ps docker-args-process-deploy <app> …: fired once per container, so the answer
# pre-deploy precomputed (services/hot-answers.ts) is printed without starting Node.
d=${0%/*}; [ -f "$d/dist/ps.cjs" ] || d=$d/..
f="${DOKKU_LIB_ROOT:-/var/lib/dokku}/data/ps/$1/hot/docker-args-process-deploy"
case "$1" in [a-z0-9]*) case "$1" in *[!A-Za-z0-9._-]*|*..*) ;; *) [ -f "$f" ] && { printf '%s' "$(cat)"; exec cat "$f"; } ;; esac ;; esac
exec node "$d/dist/ps.cjs" trigger "${0##*/}" "$@"
