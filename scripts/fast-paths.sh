# dokku-ps fast paths: sourced by the shims of the triggers that fire inside
# every `git push` (scripts/shim-fast.sh, installed as dist/fast-paths.sh).
# `ps_fast <trigger> <args…>` answers from files the bundled entry wrote
# earlier and returns 0 (the trigger's exit status in $ps_rc), or returns 1
# having printed nothing, and the shim goes on to Node, which computes (and
# writes) the answer. Only shell builtins on the way to an answer where the
# input is small (cmp/grep where it may be large): a fork costs ~6 ms on a
# small host, Node ~115 ms.

ps_lib=${DOKKU_LIB_ROOT:-${DOKKU_LIB_PATH:-/var/lib/dokku}}
ps_root=${DOKKU_ROOT:-/home/dokku}
ps_nl='
'

ps_fast() {
  ps_name=$1 ps_rc=0
  shift
  # The app name becomes a path: anything unusual goes to the entry, which validates it.
  case "$1" in [a-z0-9]*) ;; *) return 1 ;; esac
  case "$1" in *[!A-Za-z0-9._-]* | *..*) return 1 ;; esac
  case "$ps_name" in
  procfile-get-command) ps_fast_procfile_get_command "$@" ;;
  docker-args-process-deploy) ps_fast_docker_args_process_deploy "$@" ;;
  post-extract | core-post-extract) ps_fast_extract "$@" ;;
  core-post-deploy) ps_fast_core_post_deploy "$@" ;;
  *) return 1 ;;
  esac
}

# ps_slurp <file>: its content into $ps_out, or return 1 (e.g. replaced meanwhile).
ps_slurp() {
  ps_out=
  ps_slurp_stdin 2>/dev/null <"$1"
}

# ps_slurp_stdin: standard input into $ps_out, byte for byte (text).
ps_slurp_stdin() {
  ps_out= ps_l=
  while IFS= read -r ps_l; do ps_out="$ps_out$ps_l$ps_nl"; done
  ps_out="$ps_out$ps_l"
}

# procfile-get-command <app> <type> [port]: the start command pre-deploy
# computed (src/services/hot-answers.ts), while the Procfile copy it was
# computed from is there; the entry's error when the image had no Procfile.
ps_fast_procfile_get_command() {
  case "$2" in "" | *[!A-Za-z0-9_-]*) return 1 ;; esac
  case "${3:-5000}" in *[!0-9]*) return 1 ;; esac
  if [ ! -e "$ps_lib/data/ps/$1/Procfile" ] && [ -f "$ps_lib/data/ps/$1/hot/no-procfile" ]; then
    printf ' !     No procfile found\n' >&2
    ps_rc=1
    return 0
  fi
  [ -f "$ps_lib/data/ps/$1/Procfile" ] || return 1
  ps_slurp "$ps_lib/data/ps/$1/hot/start-command.$2.${3:-5000}" || return 1
  printf '%s' "$ps_out"
}

# docker-args-process-deploy <app> …: the argument chain from stdin (without
# its trailing newlines, as the entry reads it) plus the restart policy.
ps_fast_docker_args_process_deploy() {
  ps_slurp "$ps_lib/data/ps/$1/hot/docker-args-process-deploy" || return 1
  ps_args=$ps_out
  ps_slurp_stdin
  while :; do
    case "$ps_out" in *"$ps_nl") ps_out=${ps_out%"$ps_nl"} ;; *) break ;; esac
  done
  printf '%s%s' "$ps_out" "$ps_args"
}

# post-extract / core-post-extract <app> <source-dir> [rev]: nothing to check
# when each Procfile, DOKKU_SCALE and app.json present is byte-equal to a
# copy that passed validation before (src/triggers/extract.ts writes them);
# both triggers fire on one push, and most pushes do not touch these files.
ps_fast_extract() {
  [ -n "$2" ] || return 1
  for ps_f in Procfile DOKKU_SCALE app.json; do
    [ -e "$2/$ps_f" ] || [ -L "$2/$ps_f" ] || continue
    [ ! -L "$2/$ps_f" ] && [ -f "$2/$ps_f" ] || return 1
    cmp -s "$2/$ps_f" "$ps_lib/data/ps/$1/validated/$ps_f" || return 1
  done
}

# core-post-deploy <app> …: nothing to do when the app is already marked
# deployed and to be restored (src/triggers/lifecycle.ts corePostDeploy).
# ENV is godotenv (src/core/env-file.ts); the answer is "1" only when the file
# says so beyond doubt: every line is blank, a comment or a plain
# `[export ]KEY=…` line no longer than bufio.Scanner takes (so godotenv reads
# the file, and no `KEY:` or padded line names a key another way); exactly
# one line sets DOKKU_APP_RESTORE (`export` glued to it counts: godotenv strips
# it), and it is `DOKKU_APP_RESTORE="1"` (godotenv 1.2.0),
# `DOKKU_APP_RESTORE=1` (Debian's godotenv 1.5.1) or
# `export DOKKU_APP_RESTORE='1'` (older Dokku). Anything else: the entry
# decides. One awk over a file that may hold many secrets.
ps_fast_core_post_deploy() {
  ps_slurp "$ps_lib/config/common/$1/deployed" || return 1
  [ "$ps_out" = true ] || return 1
  [ -f "$ps_root/$1/ENV" ] || return 1
  LC_ALL=C awk '
    length($0) > 65535 { bad = 1; exit }
    /^[ \t]*$/ || /^[ \t]*#/ { next }
    !/^(export )?[A-Za-z_][A-Za-z0-9_]*=/ { bad = 1; exit }
    /^(export ?)?DOKKU_APP_RESTORE=/ {
      n++
      one = ($0 == "DOKKU_APP_RESTORE=\"1\"" || $0 == "DOKKU_APP_RESTORE=1" || $0 == "export DOKKU_APP_RESTORE='"'"'1'"'"'")
    }
    END { exit !(!bad && n == 1 && one) }
  ' "$ps_root/$1/ENV" 2>/dev/null
}
