#!/bin/sh
# dokku-ps procfile-get-command <app> <type> [port]: fired once per container, so the
# answer pre-deploy precomputed (services/hot-answers.ts) is printed without starting Node
# (only while the Procfile copy it was computed from is there).
d=${0%/*}; [ -f "$d/dist/ps.cjs" ] || d=$d/..
p="${DOKKU_LIB_ROOT:-/var/lib/dokku}/data/ps/$1"; f="$p/hot/start-command.$2.${3:-5000}"
case "$1:$2:${3:-5000}" in [a-z0-9]*:[A-Za-z0-9_-]*:[0-9]*) case "$1$2$3" in *[!A-Za-z0-9._-]*|*..*) ;; *) [ -f "$p/Procfile" ] && [ -f "$f" ] && exec cat "$f" ;; esac ;; esac
exec node "$d/dist/ps.cjs" trigger "${0##*/}" "$@"
