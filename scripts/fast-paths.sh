# dokku-ps fast paths: sourced by the shims of the triggers that fire inside
# every `git push` (scripts/shim-fast.sh, installed as dist/fast-paths.sh).
# `ps_fast <trigger> <args…>` answers from files the bundled entry wrote
# earlier (or, on Dokku 0.30+, from the property and Procfile files the entry
# would read) and returns 0 (the trigger's exit status in $ps_rc), or returns
# 1 having printed nothing, and the shim goes on to Node, which computes (and
# writes) the answer. Each answer is the entry's, byte for byte (stdout,
# stderr, exit status: test/fast-paths.test.ts compares them); whatever the
# shell cannot read exactly as the entry does goes to Node. Only shell
# builtins on the way to an answer where the input is small (one grep, cmp
# or awk where a byte the shell's `read` would drop, or a large input, may
# matter): a fork costs ~1-6 ms on a small host, Node ~60-115 ms.

ps_lib=${DOKKU_LIB_ROOT:-${DOKKU_LIB_PATH:-/var/lib/dokku}}
ps_root=${DOKKU_ROOT:-/home/dokku}
ps_nl='
'
ps_v=
ps_n=

ps_fast() {
  ps_name=$1 ps_rc=0
  shift
  # The app name becomes a path: only names the entry's check accepts
  # (src/core/app-name.ts), a subset of them; the rest go to the entry.
  case "$1" in [a-z0-9]*) ;; *) return 1 ;; esac
  case "$1" in *[!a-z0-9._-]* | *..*) return 1 ;; esac
  [ ${#1} -le 200 ] || return 1
  # Node joins paths lexically (path.join): a `..` could resolve otherwise.
  case "/$ps_lib/$ps_root/" in */../*) return 1 ;; esac
  ps_host || return 1
  # A forward executable (src/core/dokku-contract.ts forwardTriggers) where
  # this Dokku's ps has no such trigger: nothing, exit 0, stdin unread, as
  # the entry (and as no executable at all).
  case "$ps_v:$ps_name" in
  024:ps-get-property | 024:post-release-builder) return 0 ;;
  # post-release-builder: 0.30-0.34 fire it on every push (registry plugin)
  # and get nothing here; 0.35+ read the image's DOKKU_SCALE in it, which
  # only the entry does (the `*` below).
  031:post-release-builder) [ "$ps_n" -ge 350000 ] || return 0 ;;
  031:ps-get-property) [ "$ps_n" -ge 360000 ] || return 0 ;;
  031:docker-args-process-deploy) [ "$ps_n" -ge 380009 ] || return 0 ;;
  esac
  case "$ps_name" in
  procfile-get-command) ps_fast_procfile_get_command "$@" ;;
  docker-args-process-deploy) ps_fast_docker_args_process_deploy "$@" ;;
  post-extract | core-post-extract) ps_fast_extract "$@" ;;
  core-post-deploy) ps_fast_core_post_deploy "$@" ;;
  procfile-exists) ps_fast_procfile_exists "$@" ;;
  ps-current-scale) ps_fast_ps_current_scale "$@" ;;
  ps-get-property) ps_fast_ps_get_property "$@" ;;
  ps-can-scale) ps_fast_ps_can_scale "$@" ;;
  *) return 1 ;;
  esac
}

# ps_host: the ps contract of the host's Dokku into $ps_v, as the entry reads
# $DOKKU_LIB_ROOT/VERSION (src/core/dokku-version.ts, dokku-contract.ts):
# 024 for 0.24.x (and for no VERSION file), 031 for 0.30.x-0.38.x (core ps
# 0.31.5's contract and its growth), and the version as a number into $ps_n
# (minor * 10000 + patch: 380027 for 0.38.27) for the steps of that growth.
# Any other text (a suffix, spaces, a version dokku-ps refuses, a byte
# outside printable ASCII): return 1, the entry decides.
ps_host() {
  [ -z "$ps_v" ] || return 0
  [ -d "$ps_lib" ] && [ -x "$ps_lib" ] || return 1
  if [ ! -e "$ps_lib/VERSION" ]; then
    ps_v=024
    return 0
  fi
  [ -f "$ps_lib/VERSION" ] && [ -r "$ps_lib/VERSION" ] || return 1
  ps_clean "$ps_lib/VERSION" || return 1
  ps_slurp "$ps_lib/VERSION" || return 1
  ps_t=${ps_out%"$ps_nl"}
  ps_t=${ps_t#v}
  case "$ps_t" in
  0.24.*) ps_f=024 ;;
  0.3[0-8].*) ps_f=031 ;;
  *) return 1 ;;
  esac
  case "${ps_t#0.[23][0-9].}" in
  [0-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9]) ps_v=$ps_f ;;
  *) return 1 ;;
  esac
  ps_m=${ps_t#0.}
  ps_n=$((${ps_m%%.*} * 10000 + ${ps_t##*.}))
}

# ps_clean <file>…: every byte of the files is printable ASCII or a newline
# (so `read` sees them as the entry does: no NUL it would drop, no CR, tab
# or UTF-8 the entry's trim and \s would treat otherwise). One grep.
ps_clean() {
  LC_ALL=C grep -qa '[^ -~]' "$@" 2>/dev/null
  [ $? -eq 1 ]
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

# procfile-get-command <app> <type> [port] on 0.24: the start command pre-deploy
# computed (src/services/hot-answers.ts), while the Procfile copy it was
# computed from is there; the entry's error when the image had no Procfile.
ps_fast_procfile_get_command() {
  [ "$ps_v" = 031 ] && {
    ps_fast_procfile_get_command_031 "$@"
    return
  }
  case "$2" in "" | *[!A-Za-z0-9_-]*) return 1 ;; esac
  case "${3:-5000}" in *[!0-9]*) return 1 ;; esac
  if [ ! -e "$ps_lib/data/ps/$1/Procfile" ] && [ -f "$ps_lib/data/ps/$1/hot/no-procfile" ]; then
    # With DOKKU_TRACE the entry adds the error's stack.
    [ -z "${DOKKU_TRACE-}" ] || return 1
    printf ' !     No procfile found\n' >&2
    ps_rc=1
    return 0
  fi
  [ -f "$ps_lib/data/ps/$1/Procfile" ] || return 1
  ps_slurp "$ps_lib/data/ps/$1/hot/start-command.$2.${3:-5000}" || return 1
  printf '%s' "$ps_out"
}

# The argument chain docker-args-process-deploy is given on stdin, without
# its trailing newlines (as the entry reads it), followed by "$1".
ps_print_stdin_and() {
  ps_slurp_stdin
  while :; do
    case "$ps_out" in *"$ps_nl") ps_out=${ps_out%"$ps_nl"} ;; *) break ;; esac
  done
  printf '%s%s' "$ps_out" "$1"
}

# docker-args-process-deploy <app> …: the argument chain from stdin (without
# its trailing newlines, as the entry reads it) plus the restart policy.
ps_fast_docker_args_process_deploy() {
  [ "$ps_v" = 031 ] && {
    ps_fast_docker_args_process_deploy_038 "$@"
    return
  }
  [ "$ps_v" = 024 ] || return 1
  ps_slurp "$ps_lib/data/ps/$1/hot/docker-args-process-deploy" || return 1
  ps_args=$ps_out
  ps_print_stdin_and "$ps_args"
}

# post-extract / core-post-extract <app> <source-dir> [rev]: nothing to check
# when each Procfile, DOKKU_SCALE and app.json present is byte-equal to a
# copy that passed validation before (src/triggers/extract.ts writes them);
# both triggers fire on one push, and most pushes do not touch these files.
ps_fast_extract() {
  [ "$ps_v:$ps_name" != 031:core-post-extract ] || {
    ps_fast_core_post_extract_031 "$@"
    return
  }
  [ "$ps_v" = 024 ] || return 1
  [ -n "$2" ] || return 1
  for ps_f in Procfile DOKKU_SCALE app.json; do
    [ -e "$2/$ps_f" ] || [ -L "$2/$ps_f" ] || continue
    [ ! -L "$2/$ps_f" ] && [ -f "$2/$ps_f" ] || return 1
    cmp -s "$2/$ps_f" "$ps_lib/data/ps/$1/validated/$ps_f" || return 1
  done
}

# core-post-deploy <app> … on 0.24: nothing to do when the app is already marked
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
  [ "$ps_v" = 031 ] && {
    ps_fast_core_post_deploy_031 "$@"
    return
  }
  [ "$ps_v" = 024 ] || return 1
  ps_slurp "$ps_lib/config/common/$1/deployed" || return 1
  [ "$ps_out" = true ] || return 1
  ps_restore_is_1 "$1"
}

# ps_restore_is_1 <app>: the app's ENV file sets DOKKU_APP_RESTORE to 1
# beyond doubt (see above).
ps_restore_is_1() {
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

# ---- Dokku 0.30+ (core ps 0.31.5's contract, src/triggers/scale-property.ts) ----
# Nothing precomputed: the answers are read from the files the entry reads,
# whoever wrote them, so they can never be stale.

# ps_procfile_031 <app>: the app's Procfile as the entry's hasProcfile /
# currentProcfilePath see it (src/services/scale-property.ts): the deploy's
# copy data/ps/<app>/Procfile.$DOKKU_PID (none when its `.missing` marker is
# there), else the deployed copy. $ps_pf: its path, empty when the app has
# none. Returns 1 when the app does not exist (the entry's error).
ps_procfile_031() {
  [ -d "$ps_root/$1" ] || return 1
  case "${DOKKU_PID-}" in *[!0-9]*) return 1 ;; esac
  ps_pf=$ps_lib/data/ps/$1/Procfile.${DOKKU_PID-}
  if [ -e "$ps_pf.missing" ]; then
    ps_pf=
  elif [ ! -e "$ps_pf" ]; then
    ps_pf=$ps_lib/data/ps/$1/Procfile
    [ -e "$ps_pf" ] || ps_pf=
  fi
}

# procfile-exists <app>: exit 0 when the app has a Procfile, else the entry's error.
ps_fast_procfile_exists() {
  [ "$ps_v" = 031 ] || return 1
  ps_procfile_031 "$1" || return 1
  [ -z "$ps_pf" ] || return 0
  [ -z "${DOKKU_TRACE-}" ] || return 1
  printf ' !     Procfile does not exist\n' >&2
  ps_rc=1
}

# ps_procfile_lines <file> <type>: the whole Procfile checked as the
# entry's parseProcfile checks it (src/core/procfile.ts); returns 1 for any
# line it refuses (or that the shell might read otherwise), else the type's
# command in $ps_cmd ($ps_found set when the type is there).
ps_procfile_lines() {
  [ -f "$1" ] && [ -r "$1" ] || return 1
  ps_clean "$1" || return 1
  ps_seen=' ' ps_cmd= ps_found=
  while IFS= read -r ps_l || [ -n "$ps_l" ]; do
    # trim (only spaces can be there), then blank lines and comments
    ps_l=${ps_l#"${ps_l%%[! ]*}"}
    ps_l=${ps_l%"${ps_l##*[! ]}"}
    case "$ps_l" in "" | "#"*) continue ;; *:*) ;; *) return 1 ;; esac
    ps_t=${ps_l%%:*}
    case "$ps_t" in "" | *[!A-Za-z0-9_-]*) return 1 ;; esac
    [ ${#ps_t} -le 63 ] || return 1
    case "$ps_seen" in *" $ps_t "*) return 1 ;; esac
    ps_seen="$ps_seen$ps_t "
    ps_c=${ps_l#*:}
    ps_c=${ps_c#"${ps_c%%[! ]*}"}
    [ -n "$ps_c" ] || return 1
    [ "$ps_t" != "$2" ] || ps_cmd=$ps_c ps_found=1
  done <"$1"
}

# core-post-extract <app> <source dir> on 0.30+ (src/triggers/scale-property.ts
# corePostExtract), for a push of a source (no source image) with the default
# procfile-path: the deploy's copy of the source's Procfile (data/ps/<app>/
# Procfile.$DOKKU_PID, 0644, written to a temp file, synced and renamed),
# or its `.missing` marker, after the old Procfile.* go. Anything unusual
# (a property, a link, a Procfile the entry would refuse or might read
# otherwise, a dir not the caller's, 0.24's hot answers) goes to the entry.
ps_fast_core_post_extract_031() {
  [ -d "$ps_root/$1" ] && [ -n "${2-}" ] && [ -d "$2" ] || return 1
  case "${DOKKU_PID-}" in "" | *[!0-9]*) return 1 ;; esac
  for ps_f in "$ps_lib/config/ps/$1/procfile-path" "$ps_lib/config/ps/--global/procfile-path"; do
    if [ -e "$ps_f" ] || [ -L "$ps_f" ]; then return 1; fi
  done
  ps_d=$ps_lib/data/ps/$1
  [ -d "$ps_d" ] && [ ! -L "$ps_d" ] && [ -O "$ps_d" ] && [ -w "$ps_d" ] || return 1
  if [ -e "$ps_d/hot" ] || [ -L "$ps_d/hot" ]; then return 1; fi
  for ps_f in "$ps_d"/Procfile.*; do
    if [ -d "$ps_f" ] && [ ! -L "$ps_f" ]; then return 1; fi
  done
  ps_src=$2/Procfile
  if [ -e "$ps_src" ] || [ -L "$ps_src" ]; then
    [ ! -L "$ps_src" ] || return 1
    ps_procfile_lines "$ps_src" "" || return 1
    ps_slurp "$ps_src" || return 1
    [ ${#ps_out} -le 65536 ] || return 1
  else
    ps_src=
  fi
  # As the entry: git-get-property <app> source-image (a source image's
  # Procfile comes from the image: the entry reads it).
  command -v plugn >/dev/null 2>&1 || return 1
  ps_si=$(plugn trigger git-get-property "$1" source-image </dev/null 2>/dev/null) || return 1
  [ -z "$ps_si" ] || return 1
  rm -f "$ps_d"/Procfile.* 2>/dev/null || return 1
  ps_to=$ps_d/Procfile.$DOKKU_PID
  [ -n "$ps_src" ] || ps_to=$ps_to.missing
  ps_tmp=$ps_to.tmp-$$
  if [ -n "$ps_src" ]; then
    cat "$ps_src" >"$ps_tmp" 2>/dev/null || { rm -f "$ps_tmp"; return 1; }
  else
    : >"$ps_tmp" 2>/dev/null || return 1
  fi
  ps_put 0644 "$ps_tmp" "$ps_to" "$ps_d"
}

# ps_put <mode> <tmp> <file> <dir>: the written <tmp> in <dir> becomes <file>
# as the entry's writeFileAtomic makes it (src/adapters/files.ts): <mode>,
# fsynced, renamed over <file>, the dir fsynced; on failure <tmp> goes and
# the status is 1.
ps_put() {
  chmod "$1" "$2" && sync -- "$2" && mv -f -T "$2" "$3" || { rm -f "$2"; return 1; }
  sync -- "$4" 2>/dev/null || true
}

# procfile-get-command <app> <type> [port] on 0.30+: the type's command from
# the Procfile, `$PORT` / `${PORT}` as the port (src/core/procfile.ts
# parseProcfile, procfileCommand); nothing when the app has no Procfile or
# the Procfile no such type. The whole Procfile is checked as parseProcfile
# checks it: any line it refuses (or that the shell might read otherwise)
# goes to the entry, which prints its error.
ps_fast_procfile_get_command_031() {
  case "$2" in "" | *[!A-Za-z0-9_-]*) return 1 ;; esac
  [ ${#2} -le 63 ] || return 1
  # The entry: digits are the port (Number), anything else 5000.
  case "${3-}" in
  0 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9] | [1-9][0-9][0-9][0-9][0-9]) ps_port=$3 ;;
  *[!0-9]* | "") ps_port=5000 ;;
  *) return 1 ;;
  esac
  ps_procfile_031 "$1" || return 1
  [ -n "$ps_pf" ] || return 0
  ps_procfile_lines "$ps_pf" "$2" || return 1
  [ -n "$ps_found" ] || return 0
  # 0.35+ (procfile-util 0.20) expands every name in the command, 0.36.10+
  # from the app's config first (src/core/procfile.ts expandLikeProcfileUtil):
  # here only $PORT / ${PORT}, and on 0.36.10+ only while neither ENV file
  # mentions PORT; any other `$` goes to the entry.
  ps_every=
  case "$ps_cmd" in *'$'*) [ "$ps_n" -lt 350000 ] || ps_every=1 ;; esac
  if [ -n "$ps_every" ] && [ "$ps_n" -ge 360010 ]; then
    if [ "$ps_n" -ge 380000 ]; then
      set -- "$1" "$ps_lib/config/$1/ENV" "$ps_lib/config/--global/ENV"
    else
      set -- "$1" "$ps_root/$1/ENV" "$ps_root/ENV"
    fi
    for ps_e in "$2" "$3"; do
      [ -e "$ps_e" ] || continue
      [ -f "$ps_e" ] && [ -r "$ps_e" ] || return 1
      ps_slurp "$ps_e" || return 1
      case "$ps_out" in *PORT*) return 1 ;; esac
    done
  fi
  # $PORT (not followed by a word character) and ${PORT}, left to right.
  ps_out=
  while :; do
    case "$ps_cmd" in *'$'*) ;; *) break ;; esac
    ps_out=$ps_out${ps_cmd%%'$'*}
    ps_cmd=${ps_cmd#*'$'}
    case "$ps_cmd" in
    '{PORT}'*) ps_out=$ps_out$ps_port ps_cmd=${ps_cmd#'{PORT}'} ;;
    PORT[A-Za-z0-9_]*)
      [ -z "$ps_every" ] || return 1
      ps_out=$ps_out'$'
      ;;
    PORT*) ps_out=$ps_out$ps_port ps_cmd=${ps_cmd#PORT} ;;
    *)
      [ -z "$ps_every" ] || return 1
      ps_out=$ps_out'$'
      ;;
    esac
  done
  printf '%s\n' "$ps_out$ps_cmd"
}

# ps-current-scale <app> on 0.30+: the property lists `scale` then
# `scale.old` (config/ps/<app>/), `type=count` lines sorted by type (stable),
# joined by newlines, no final newline (src/core/scale-property.ts
# renderCurrentScale). Only lines the entry would print unchanged are
# answered here (a count in canonical form); anything else goes to the entry.
ps_fast_ps_current_scale() {
  [ "$ps_v" = 031 ] || return 1
  [ -d "$ps_root/$1" ] || return 1
  ps_d=$ps_lib/config/ps/$1
  [ -d "$ps_d" ] && [ -x "$ps_d" ] && [ -f "$ps_d/scale" ] && [ -r "$ps_d/scale" ] || return 1
  ps_sorted=
  if [ -e "$ps_d/scale.old" ]; then
    [ -f "$ps_d/scale.old" ] && [ -r "$ps_d/scale.old" ] || return 1
    ps_clean "$ps_d/scale" "$ps_d/scale.old" || return 1
    ps_scale_lines "$ps_d/scale" && ps_scale_lines "$ps_d/scale.old" || return 1
  else
    ps_clean "$ps_d/scale" || return 1
    ps_scale_lines "$ps_d/scale" || return 1
  fi
  printf '%s' "${ps_sorted%"$ps_nl"}"
}

# ps_scale_lines <file>: its lines inserted into $ps_sorted (newline-ended
# lines, sorted by type, a line after those of the same type).
ps_scale_lines() {
  while IFS= read -r ps_l || [ -n "$ps_l" ]; do
    case "$ps_l" in *=*=* | *[!A-Za-z0-9_=-]*) return 1 ;; esac
    ps_t=${ps_l%%=*}
    case "$ps_t" in "" | "$ps_l") return 1 ;; esac
    case "${ps_l#*=}" in 0 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;; *) return 1 ;; esac
    ps_rest=$ps_sorted ps_new= ps_in=
    while [ -n "$ps_rest" ]; do
      ps_e=${ps_rest%%"$ps_nl"*}
      ps_rest=${ps_rest#*"$ps_nl"}
      if [ -z "$ps_in" ] && [ "$ps_t" \< "${ps_e%%=*}" ]; then
        ps_new=$ps_new$ps_l$ps_nl ps_in=1
      fi
      ps_new=$ps_new$ps_e$ps_nl
    done
    [ -n "$ps_in" ] || ps_new=$ps_new$ps_l$ps_nl
    ps_sorted=$ps_new
  done <"$1"
}

# core-post-deploy <app> … on 0.30+ (src/triggers/scale-property.ts
# corePostDeploy): the deploy's Procfile copy becomes the app's (or, when the
# source had none, the `.missing` marker and the old copy go), `scale.old`
# and app-json's kept requests go, and DOKKU_APP_RESTORE must be 1. The file
# steps are the entry's own, done in its order, each one that the entry
# would find done were it to run after them (it then skips it); anything
# unusual where one of them renames or unlinks (a link, a directory) is left
# to the entry before any step. When the ENV file does not say 1 beyond
# doubt, the entry runs next, finds the file steps done and sets the flag
# (writing ENV and firing post-config-update), as it would have.
ps_fast_core_post_deploy_031() {
  [ -d "$ps_root/$1" ] || return 1
  case "${DOKKU_PID-}" in *[!0-9]*) return 1 ;; esac
  ps_d=$ps_lib/data/ps/$1
  ps_pf=$ps_d/Procfile.${DOKKU_PID-}
  ps_so=$ps_lib/config/ps/$1/scale.old
  for ps_f in "$ps_pf" "$ps_pf.missing" "$ps_d/Procfile" "$ps_so" "$ps_d"/app-json-scale.*; do
    if [ -L "$ps_f" ] || { [ -e "$ps_f" ] && [ ! -f "$ps_f" ]; }; then return 1; fi
  done
  if [ -e "$ps_pf" ]; then
    mv -f -T "$ps_pf" "$ps_d/Procfile" 2>/dev/null || return 1
  elif [ -e "$ps_pf.missing" ]; then
    rm -f "$ps_pf.missing" "$ps_d/Procfile" 2>/dev/null || return 1
  fi
  rm -f "$ps_so" "$ps_d"/app-json-scale.* 2>/dev/null || return 1
  # 0.38+: the restore flag is the `restore` property (the entry writes it unless it says true).
  if [ "$ps_n" -ge 380000 ]; then
    ps_prop "$1" restore && [ "$ps_out" = true ]
    return
  fi
  ps_restore_is_1 "$1"
}

# ps-can-scale while the image's DOKKU_SCALE rules: the entry keeps
# app-json's request for when the image stops shipping one
# (src/services/image-scale.ts keepAppJsonRequest, JSON in
# data/ps/<app>/app-json-scale.<DOKKU_PID>, 0600). The shell writes this
# deploy's first request, the entry's JSON byte for byte; a request to merge
# with, a marker that is not a plain file, or no DOKKU_PID: the entry.
ps_fast_keep_can_scale() {
  case "${DOKKU_PID-}" in "" | *[!0-9]*) return 1 ;; esac
  ps_d=$ps_lib/data/ps/$1
  [ -d "$ps_d" ] && [ ! -L "$ps_d" ] && [ -O "$ps_d" ] && [ -w "$ps_d" ] || return 1
  [ -f "$ps_d/DOKKU_SCALE" ] && [ ! -L "$ps_d/DOKKU_SCALE" ] || return 1
  ps_to=$ps_d/app-json-scale.$DOKKU_PID
  if [ -e "$ps_to" ] || [ -L "$ps_to" ]; then return 1; fi
  ps_tmp=$ps_d/.app-json-scale.$DOKKU_PID.$$.tmp
  printf '{"canScale":%s}' "$2" 2>/dev/null >"$ps_tmp" || { rm -f "$ps_tmp"; return 1; }
  ps_put 0600 "$ps_tmp" "$ps_to" "$ps_d"
}

# ps-can-scale <app> <bool> on 0.30+ (app-json fires it on every deploy,
# src/triggers/scale-property.ts psCanScale): while the image's DOKKU_SCALE
# rules (its marker), the request kept (ps_fast_keep_can_scale); otherwise
# nothing to do when the `can-scale` property already holds what the entry
# would write (`true`/`false` as Go's ParseBool reads the argument), in a
# dir the entry would leave as it is; everything else goes to the entry.
ps_fast_ps_can_scale() {
  [ "$ps_v" = 031 ] && [ $# -eq 2 ] || return 1
  [ -d "$ps_root/$1" ] || return 1
  case "$2" in 1 | t | T | TRUE | true | True) ps_want=true ;; *) ps_want=false ;; esac
  ps_d=$ps_lib/data/ps/$1/DOKKU_SCALE
  if [ -e "$ps_d" ] || [ -L "$ps_d" ]; then
    ps_fast_keep_can_scale "$1" "$ps_want"
    return
  fi
  [ ! -L "$ps_lib/config/ps/$1" ] || return 1
  ps_prop "$1" can-scale || return 1
  [ "$ps_out" = "$ps_want" ] || return 1
  # The entry also makes the property dir 0755 and the file 0600, the Dokku user's.
  [ -O "$ps_lib/config/ps/$1/can-scale" ] && [ -O "$ps_lib/config/ps/$1" ] || return 1
  ps_modes=$(find "$ps_lib/config/ps/$1" "$ps_lib/config/ps/$1/can-scale" -maxdepth 0 -printf '%m ' 2>/dev/null) || return 1
  [ "$ps_modes" = "755 600 " ]
}

# ---- Dokku 0.36+ (ps properties the scheduler asks for per container) ----

# ps_prop <app|--global> <key>: the property file's content into $ps_out, as
# the entry's PropertyStore.get reads it; returns 1 when there is none
# ($ps_out empty), 2 when it is there but not a readable regular file of
# printable ASCII and newlines (the entry decides).
ps_prop() {
  ps_out=
  ps_pp=$ps_lib/config/ps/$1/$2
  if [ ! -e "$ps_pp" ] && [ ! -L "$ps_pp" ]; then return 1; fi
  [ -f "$ps_pp" ] && [ -r "$ps_pp" ] || return 2
  ps_clean "$ps_pp" || return 2
  ps_slurp "$ps_pp" || return 2
}

# ps_computed <app> <key> <default>: the app's value, else the global one,
# else the default, into $ps_out (src/triggers/scale-property.ts
# psGetProperty: an empty value counts as none); returns 1 for anything the
# entry must decide.
ps_computed() {
  ps_prop "$1" "$2"
  case $? in 0) [ -z "$ps_out" ] || return 0 ;; 1) ;; *) return 1 ;; esac
  ps_prop --global "$2"
  case $? in 0) [ -z "$ps_out" ] || return 0 ;; 1) ;; *) return 1 ;; esac
  ps_out=$3
}

# ps-get-property <app> <key> on 0.36+: the computed value and a newline,
# for the keys the host's ps answers (src/core/dokku-contract.ts
# getPropertyKeys); any other key is the entry's error.
ps_fast_ps_get_property() {
  [ "$ps_v" = 031 ] && [ "$ps_n" -ge 360000 ] || return 1
  case "$2" in
  stop-timeout-seconds) ps_computed "$1" "$2" 30 || return 1 ;;
  restore)
    [ "$ps_n" -ge 380000 ] || return 1
    ps_prop "$1" restore
    case $? in 0) ;; 1) ps_out=true ;; *) return 1 ;; esac
    ;;
  skip-deploy)
    [ "$ps_n" -ge 380000 ] || return 1
    ps_t=
    [ "$ps_n" -lt 380008 ] || ps_t=false
    ps_computed "$1" "$2" "$ps_t" || return 1
    ;;
  restart-policy)
    [ "$ps_n" -ge 380009 ] || return 1
    ps_computed "$1" "$2" on-failure:10 || return 1
    ;;
  *) return 1 ;;
  esac
  printf '%s\n' "$ps_out"
}

# docker-args-process-deploy <app> … on 0.38.9+: the argument chain from
# stdin (without its trailing newlines) and ` --restart=<computed policy>`
# (src/triggers/lifecycle.ts dockerArgsProcessDeploy; the policy is the
# `restart-policy` property, the app's, else the global one, else
# on-failure:10).
ps_fast_docker_args_process_deploy_038() {
  [ "$ps_n" -ge 380009 ] || return 1
  [ -d "$ps_root/$1" ] || return 1
  [ ! -t 0 ] || return 1
  ps_computed "$1" restart-policy on-failure:10 || return 1
  ps_args=" --restart=$ps_out"
  ps_print_stdin_and "$ps_args"
}
