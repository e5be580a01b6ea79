#!/bin/sh
# dokku-ps: a trigger that fires inside every git push. Answered by the shell
# when files written earlier already hold the answer (dist/fast-paths.sh), else
# by the bundled entry, as every other trigger.
d=${0%/*}; [ -f "$d/dist/ps.cjs" ] || d=$d/..
[ -f "$d/dist/fast-paths.sh" ] && . "$d/dist/fast-paths.sh" && ps_fast "${0##*/}" "$@" && exit "$ps_rc"
exec node "$d/dist/ps.cjs" trigger "${0##*/}" "$@"
