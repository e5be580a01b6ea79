#!/bin/sh
# dokku-ps: every ps trigger is this file under the trigger's name; the
# bundled entry switches on that name (like Dokku's Go trigger binary).
d=${0%/*}; [ -f "$d/dist/ps.cjs" ] || d=$d/..
exec node "$d/dist/ps.cjs" trigger "${0##*/}" "$@"
