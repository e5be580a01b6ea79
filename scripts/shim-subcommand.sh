#!/bin/sh
# dokku-ps: every ps subcommand is this file under the command's name; the
# bundled entry switches on that name (like Dokku's Go subcommand binary).
exec node "${0%/*}/../dist/ps.cjs" subcommand "${0##*/}" "$@"
