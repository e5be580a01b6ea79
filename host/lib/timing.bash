# Bench instrumentation (bench/run.ts P5), shared by bin/plugn (each hook) and
# bin/dokku (each plugin's `commands`): `run_timed <plugin> <what> <cmd…>` runs
# the command and, when PLUGN_TIMING_LOG is set, appends
# "<plugin> <what> <seconds>" to it. Both instants are taken in this shell, so
# the log's own subshell is not counted. Returns the command's status.
run_timed() {
  local plugin="$1" what="$2" started ended rc=0
  shift 2
  if [[ -z "$PLUGN_TIMING_LOG" ]]; then
    "$@"
    return
  fi
  started=$EPOCHREALTIME
  "$@" || rc=$?
  ended=$EPOCHREALTIME
  printf '%s %s %s\n' "$plugin" "$what" "$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.6f", b - a }')" >>"$PLUGN_TIMING_LOG"
  return "$rc"
}
