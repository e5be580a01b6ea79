#!/usr/bin/env bash
# Smoke test of the dokku-ps test host against the real Docker engine.
# Uses a throw-away DOKKU_ROOT/DOKKU_LIB_ROOT and two hand-installed fixture
# plugins (no ps plugin): `zz-fixture` records the triggers it receives and
# plays the ps plugin's part crudely (procfile-get-command, app-restart);
# `10_early` exists to check plugn ordering/abort.
#   usage: host/test/smoke.sh        (SMOKE_APP=name to pick the app name)
set -eo pipefail

HOST_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DOKKU="$HOST_DIR/bin/dokku"
# Unique by default: concurrent runs on one Docker engine must not share
# container names or the dokku/<app> image.
APP="${SMOKE_APP:-demo-$$}"
WORK="$(mktemp -d /tmp/dokku-ps-smoke.XXXXXX)"
chmod 0755 "$WORK" # commands run as the dokku user
export DOKKU_ROOT="$WORK/home" DOKKU_LIB_ROOT="$WORK/lib"
# Same environment as `dokku` gives its plugins, for direct `plugn` calls.
# shellcheck source=../lib/dokku-env.bash
source "$HOST_DIR/lib/dokku-env.bash"
TRIGGER_LOG="$DOKKU_LIB_ROOT/data/zz-fixture/triggers.log"
CHECKS=0

# ---- helpers ----------------------------------------------------------------

cleanup() {
  local ids
  ids="$(docker container ls -aq --filter "label=com.dokku.app-name=$APP" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker container rm --force $ids >/dev/null 2>&1 || true
  ids="$(docker image ls -q --filter "label=com.dokku.app-name=$APP" 2>/dev/null | sort -u || true)"
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker image rm --force $ids >/dev/null 2>&1 || true
  docker image rm --force "dokku/$APP:latest" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}

fail() {
  echo "not ok - $*" >&2
  [[ -f "$WORK/last.out" ]] && sed 's/^/    | /' "$WORK/last.out" >&2
  exit 1
}

ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }

# run_cmd <cmd...>: runs with stdout+stderr captured in $WORK/last.out; sets RC.
run_cmd() {
  RC=0
  "$@" >"$WORK/last.out" 2>&1 || RC=$?
}

expect_rc() { [[ "$RC" == "$1" ]] || fail "$2 (exit $RC, expected $1)"; ok "$2"; }
expect_out() { grep -qF -- "$1" "$WORK/last.out" || fail "$2 (output lacks: $1)"; ok "$2"; }
expect_eq() { [[ "$1" == "$2" ]] || fail "$3 (got '$1', expected '$2')"; ok "$3"; }

web_cid() { cat "$DOKKU_ROOT/$APP/CONTAINER.web.1"; }
cinspect() { docker container inspect -f "$1" "$2"; }
is_running() { [[ "$(cinspect '{{.State.Running}}' "$1" 2>/dev/null)" == true ]]; }
# The busybox base image has no printenv.
cenv() { docker exec "$1" sh -c "printf '%s' \"\$$2\""; }
container_gone() { ! docker container inspect "$1" >/dev/null 2>&1; }
# Retired, as Dokku's retire job leaves it: stopped (ps:retire removes it later).
container_retired() { [[ "$(docker container inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" != true ]]; }

# commit_and_push <message>: commits the work tree of $WORK/src and pushes
# the way sshd does for `git push dokku@host:<app>` (dokku git-receive-pack),
# from an environment that knows nothing of Dokku but the host's roots.
commit_and_push() {
  git -C "$WORK/src" add -A
  git -C "$WORK/src" -c user.email=smoke@test -c user.name=smoke commit -qm "$1"
  run_cmd env -i PATH=/usr/bin:/bin HOME="$WORK" DOKKU_ROOT="$DOKKU_ROOT" DOKKU_LIB_ROOT="$DOKKU_LIB_ROOT" \
    git -C "$WORK/src" -c protocol.ext.allow=always push -q "ext::$DOKKU %S $APP" main
}

install_fixtures() {
  local fx="$PLUGIN_PATH/available/zz-fixture" early="$PLUGIN_PATH/available/10_early" t
  mkdir -p "$fx/subcommands" "$early" "$DOKKU_LIB_ROOT/data/zz-fixture"
  printf '[plugin]\ndescription = "smoke fixture"\nversion = "0.0.1"\n[plugin.config]\n' >"$fx/plugin.toml"
  cp "$fx/plugin.toml" "$early/plugin.toml"

  # One script for every recorded trigger; behaviour switches on its name.
  cat >"$fx/hook" <<'EOF'
#!/usr/bin/env bash
set -eo pipefail
data="$DOKKU_LIB_ROOT/data/zz-fixture"
name="$(basename "$0")"
echo "$name $*" >>"$data/triggers.log"
case "$name" in
  post-extract)
    mkdir -p "$data/$1"
    if [[ -f "$2/Procfile" ]]; then cp "$2/Procfile" "$data/$1/Procfile"; else rm -f "$data/$1/Procfile"; fi
    if [[ -f "$2/FAIL_POST_EXTRACT" ]]; then echo " !     fixture: post-extract refused" >&2; exit 1; fi ;;
  procfile-get-command)
    [[ -f "$data/$1/Procfile" ]] || exit 0
    sed -n "s/^$2:[[:space:]]*//p" "$data/$1/Procfile" ;;
  app-restart) plugn trigger release-and-deploy "$1" ;;
  smoke-order) echo "zz-fixture" ;;
  smoke-abort) echo "zz-fixture must not run" ;;
esac
EOF
  chmod +x "$fx/hook"
  for t in post-create post-extract core-post-extract pre-receive-app pre-deploy core-post-deploy \
    post-deploy post-config-update pre-delete post-delete app-restart procfile-get-command \
    smoke-order smoke-abort; do
    ln -s hook "$fx/$t"
  done
  printf '#!/usr/bin/env bash\necho "argv: $*"\necho "app=$DOKKU_APP_NAME quiet=$DOKKU_QUIET_OUTPUT"\n' >"$fx/subcommands/hello"
  cat >"$fx/commands" <<'EOF'
#!/usr/bin/env bash
case "$1" in
  help) echo "    fixture-legacy, Smoke fixture command" ;;
  fixture-legacy) echo "legacy: $*" ;;
  fixture-fail) echo "failing on purpose" >&2; exit 7 ;;
  *) exit "$DOKKU_NOT_IMPLEMENTED_EXIT" ;;
esac
EOF
  chmod +x "$fx/subcommands/hello" "$fx/commands"

  printf '#!/usr/bin/env bash\necho 10_early\n' >"$early/smoke-order"
  printf '#!/usr/bin/env bash\necho "10_early aborting"\nexit 3\n' >"$early/smoke-abort"
  printf '#!/usr/bin/env bash\necho "not executable, must not run"\n' >"$early/smoke-nonexec"
  chmod +x "$early/smoke-order" "$early/smoke-abort"
  # The hooks log as whoever fires them: plugn run directly here (root) and
  # every dokku command (the dokku user).
  : >"$DOKKU_LIB_ROOT/data/zz-fixture/triggers.log"
  chmod 0666 "$DOKKU_LIB_ROOT/data/zz-fixture/triggers.log"
  chown -R dokku:dokku "$DOKKU_LIB_ROOT/data/zz-fixture"
  ln -s "$fx" "$PLUGIN_PATH/enabled/zz-fixture"
  ln -s "$early" "$PLUGIN_PATH/enabled/10_early"
}

# ---- tests ------------------------------------------------------------------

test_dispatch() {
  run_cmd "$DOKKU" version
  expect_out "dokku version 0.24.10" "version"
  [[ "$(cat "$DOKKU_LIB_ROOT/VERSION")" == v0.24.10 ]] || fail "a new host writes VERSION v0.24.10"; ok "a new host writes VERSION v0.24.10"
  run_cmd "$DOKKU" zz-fixture:hello a b
  expect_out "argv: zz-fixture:hello a b" "subcommands/<cmd> receives the command as \$1"
  run_cmd "$DOKKU" --quiet --app other zz-fixture:hello x
  expect_out "argv: zz-fixture:hello x" "leading global flags stripped, no --app rewrite for third-party plugins"
  expect_out "app=other quiet=1" "global flags exported"
  run_cmd "$DOKKU" fixture-legacy one
  expect_rc 0 "commands fallback handles a command"
  expect_out "legacy: fixture-legacy one" "commands fallback gets full argv"
  run_cmd "$DOKKU" fixture-fail
  expect_rc 7 "commands fallback exit code propagates"
  run_cmd "$DOKKU" no-such-command arg
  expect_rc 1 "unknown command exits 1"
  expect_out ' !     `no-such-command arg` is not a dokku command.' "unknown command message"
  expect_out ' !     See `dokku help` for a list of available commands.' "unknown command hint"
  run_cmd "$DOKKU" help
  expect_out "fixture-legacy" "help lists community plugin commands"
}

test_plugn() {
  run_cmd plugn trigger smoke-order
  expect_eq "$(tr '\n' ' ' <"$WORK/last.out")" "10_early zz-fixture " "plugn runs hooks in C-collation plugin order"
  run_cmd plugn trigger smoke-abort
  expect_rc 3 "plugn exits with the first failing hook's code"
  grep -q "must not run" "$WORK/last.out" && fail "plugn continued after a failing hook"
  ok "plugn stops at the first failing hook"
  run_cmd plugn trigger smoke-nonexec
  expect_rc 0 "plugn skips non-executable hooks"
  [[ ! -s "$WORK/last.out" ]] || fail "non-executable hook produced output"
  run_cmd plugn trigger no-such-trigger
  expect_rc 0 "plugn with no hook exits 0"
}

test_first_deploy() {
  run_cmd "$DOKKU" apps:create "$APP"
  expect_rc 0 "apps:create"
  expect_out "-----> Creating $APP..." "apps:create output"
  run_cmd "$DOKKU" apps:create "$APP"
  expect_out " !     Name is already taken" "apps:create refuses an existing name"
  run_cmd "$DOKKU" --app "$APP" apps:exists
  expect_rc 0 "--app is inserted as first positional for core plugins"
  run_cmd "$DOKKU" apps:exists nope
  expect_rc 20 "missing app exits 20"
  run_cmd "$DOKKU" config:set --global DOKKU_WAIT_TO_RETIRE=0
  expect_rc 0 "config:set --global"

  mkdir -p "$WORK/src"
  git -C "$WORK/src" init -q -b main
  printf 'FROM dokku-ps/busybox:latest\nCMD ["sleep","3600"]\n' >"$WORK/src/Dockerfile"
  printf 'web: sleep 1234\n' >"$WORK/src/Procfile"
  commit_and_push "first"
  expect_rc 0 "git push deploys (pusher has no DOKKU_* env)"
  expect_out "-----> Deploying $APP..." "release-and-deploy output"

  local cid
  cid="$(web_cid)"
  [[ "$cid" =~ ^[0-9a-f]{64}$ ]] || fail "CONTAINER.web.1 holds a full id"
  ok "CONTAINER.web.1 written"
  is_running "$cid" || fail "web.1 not running"
  ok "web.1 running"
  expect_eq "$(cinspect '{{.Name}}' "$cid")" "/$APP.web.1" "container renamed to $APP.web.1"
  expect_eq "$(cinspect '{{index .Config.Labels "com.dokku.app-name"}} {{index .Config.Labels "com.dokku.container-type"}} {{index .Config.Labels "com.dokku.process-type"}} {{index .Config.Labels "com.dokku.dyno"}} {{index .Config.Labels "org.label-schema.vendor"}}' "$cid")" \
    "$APP deploy web web.1 dokku" "labels per contract §7.1"
  cinspect '{{json .Config.Labels}}' "$cid" | grep -q '"dokku":""' || fail "label dokku missing"
  ok "label dokku present"
  expect_eq "$(cinspect '{{json .Config.Cmd}}' "$cid")" '["sleep","1234"]' "start command from procfile-get-command"
  cinspect '{{join .Config.Env " "}}' "$cid" | grep -q "DYNO=web.1" || fail "DYNO env missing"
  cinspect '{{join .Config.Env " "}}' "$cid" | grep -q "PORT=5000" || fail "PORT env missing"
  ok "DYNO and PORT env set"
  expect_eq "$(cinspect '{{.HostConfig.Init}}' "$cid")" "true" "container runs with --init"

  local t
  for t in "post-create $APP" "post-extract $APP " "core-post-extract $APP " "pre-receive-app $APP dockerfile" \
    "pre-deploy $APP latest" "procfile-get-command $APP web 5000" "core-post-deploy $APP 5000" "post-deploy $APP 5000"; do
    grep -qF -- "$t" "$TRIGGER_LOG" || fail "trigger not fired: $t"
  done
  ok "pipeline triggers fired with contract arguments"
  [[ "$(grep -nE '^(pre-deploy|core-post-deploy|post-deploy) ' "$TRIGGER_LOG" | cut -d' ' -f1 | cut -d: -f2 | tr '\n' ' ')" == "pre-deploy core-post-deploy post-deploy " ]] ||
    fail "deploy triggers out of order"
  ok "deploy triggers in order"

  run_cmd plugn trigger scheduler-app-status docker-local "$APP"
  expect_eq "$(cat "$WORK/last.out")" "1 true" "scheduler-app-status"
  run_cmd plugn trigger scheduler-is-deployed docker-local "$APP"
  expect_rc 0 "scheduler-is-deployed"
  run_cmd plugn trigger scheduler-inspect docker-local "$APP"
  node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1]));if(a.length!==1||a[0].Id!==process.argv[2])process.exit(1)' \
    "$WORK/last.out" "$cid" || fail "scheduler-inspect output"
  ok "scheduler-inspect prints docker inspect JSON only"
}

test_config_and_retire() {
  local old new
  old="$(web_cid)"
  run_cmd "$DOKKU" config:set "$APP" "GREETING=hello world" "QUOTE=it's \"quoted\"" "MULTI=line1
line2"
  expect_rc 0 "config:set restarts a deployed app (via app-restart)"
  grep -qF "post-config-update $APP set GREETING QUOTE MULTI" "$TRIGGER_LOG" || fail "post-config-update args"
  ok "post-config-update fired"
  new="$(web_cid)"
  [[ "$new" != "$old" ]] || fail "no new container after config:set"
  container_retired "$old" || fail "old container not retired with DOKKU_WAIT_TO_RETIRE=0"
  ok "old container retired"
  expect_eq "$(cenv "$new" GREETING)" "hello world" "config value with a space reaches the container"
  expect_eq "$(cenv "$new" QUOTE)" "it's \"quoted\"" "config value with quotes reaches the container"
  expect_eq "$(cenv "$new" MULTI)" $'line1\nline2' "config value with a newline reaches the container"
  expect_eq "$("$DOKKU" config:get "$APP" QUOTE)" "it's \"quoted\"" "config:get round-trips quotes"
  grep -qxF 'QUOTE="it'"'"'s \"quoted\""' "$DOKKU_ROOT/$APP/ENV" || fail "ENV file format"
  grep -qxF 'MULTI="line1\nline2"' "$DOKKU_ROOT/$APP/ENV" || fail "ENV file format (newline)"
  ok "ENV file uses godotenv KEY=\"value\" lines (Dokku 0.24.10)"
}

test_docker_options_and_second_push() {
  local old new
  run_cmd "$DOKKU" docker-options:add "$APP" deploy --restart=on-failure:10
  expect_rc 0 "docker-options:add"
  old="$(web_cid)"
  echo "v2" >"$WORK/src/VERSION"
  commit_and_push "second"
  expect_rc 0 "second push deploys"
  new="$(web_cid)"
  [[ "$new" != "$old" ]] || fail "second push did not replace the container"
  container_retired "$old" || fail "second push did not retire the old container"
  ok "second push retires the old container"
  expect_eq "$(cinspect '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}' "$new")" \
    "on-failure:10" "DOCKER_OPTIONS_DEPLOY reaches docker (restart policy)"
  expect_eq "$(cinspect '{{.Name}}' "$new")" "/$APP.web.1" "new container takes over the name"
}

# With a retire wait the old container outlives the push, and neither git
# (waiting on the hook's output) nor the deploy lock waits for it.
test_delayed_retire() {
  local old start
  run_cmd "$DOKKU" config:set --no-restart "$APP" DOKKU_WAIT_TO_RETIRE=2
  old="$(web_cid)"
  echo "v3" >"$WORK/src/VERSION"
  start="$(date +%s)"
  commit_and_push "delayed retire"
  expect_rc 0 "push with DOKKU_WAIT_TO_RETIRE=2"
  is_running "$old" || fail "old container stopped before the retire wait"
  ok "old container still running right after the push"
  # shellcheck disable=SC2012
  ! ls -l /proc/[0-9]*/fd 2>/dev/null | grep -qF "$DOKKU_ROOT/$APP/.deploy.lock" || fail "deploy lock still held"
  ok "deploy lock released although the retire job is pending"
  local i
  for i in $(seq 1 30); do container_retired "$old" && break; sleep 0.5; done
  container_retired "$old" || fail "old container not retired in the background"
  ok "old container retired by the background job"
  run_cmd "$DOKKU" config:unset --no-restart "$APP" DOKKU_WAIT_TO_RETIRE
}

test_failed_pushes_keep_old_release() {
  local cid before
  cid="$(web_cid)"
  before="$(ls -d /tmp/dokku-*-git_build_app_repo.* 2>/dev/null | sort || true)"
  touch "$WORK/src/FAIL_POST_EXTRACT"
  commit_and_push "refused by post-extract"
  [[ "$RC" != 0 ]] || fail "push succeeded although post-extract failed"
  ok "post-extract failure rejects the push"
  expect_out "fixture: post-extract refused" "post-extract error shown to the pusher"
  expect_eq "$(web_cid)" "$cid" "CONTAINER.web.1 untouched after a rejected push"
  is_running "$cid" || fail "old container stopped by a rejected push"
  ok "old container still running"
  [[ "$(ls -d /tmp/dokku-*-git_build_app_repo.* 2>/dev/null | sort || true)" == "$before" ]] || fail "temp checkout dir left behind"
  ok "temp checkout dir removed"

  rm -f "$WORK/src/FAIL_POST_EXTRACT" "$WORK/src/Procfile"
  printf 'FROM dokku-ps/busybox:latest\nCMD ["sh","-c","echo crashing; exit 4"]\n' >"$WORK/src/Dockerfile"
  # Earlier releases' retired containers stay (stopped) until ps:retire: compare with them.
  before="$(docker container ls -aq --no-trunc --filter "label=com.dokku.app-name=$APP" | sort)"
  commit_and_push "crashes"
  [[ "$RC" != 0 ]] || fail "push of a crashing app succeeded"
  ok "failed pre-flight checks reject the push"
  expect_out "failed pre-flight checks" "check failure message"
  expect_out "crashing" "check failure shows container output"
  expect_eq "$(web_cid)" "$cid" "CONTAINER.web.1 untouched after failed checks"
  is_running "$cid" || fail "old container stopped by failed checks"
  expect_eq "$(docker container ls -aq --no-trunc --filter "label=com.dokku.app-name=$APP" | sort)" "$before" \
    "failed deploy's containers removed, old one kept"
}

test_rebuild_scale_run_lock() {
  local cid
  printf 'FROM dokku-ps/busybox:latest\nCMD ["sleep","3600"]\n' >"$WORK/src/Dockerfile"
  printf 'web: sleep 1234\nworker: sleep 4321\nhello: echo from-procfile\n' >"$WORK/src/Procfile"
  printf 'web=2\nworker=1 # inline comment\n# comment line\n' >"$DOKKU_ROOT/$APP/DOKKU_SCALE"
  commit_and_push "scale up"
  expect_rc 0 "push with DOKKU_SCALE web=2 worker=1"
  local slot
  for slot in web.1 web.2 worker.1; do
    [[ -f "$DOKKU_ROOT/$APP/CONTAINER.$slot" ]] || fail "CONTAINER.$slot missing"
    expect_eq "$(cinspect '{{.Name}}' "$(cat "$DOKKU_ROOT/$APP/CONTAINER.$slot")")" "/$APP.$slot" "$slot running under its name"
  done
  expect_eq "$(cinspect '{{json .Config.Cmd}}' "$(cat "$DOKKU_ROOT/$APP/CONTAINER.worker.1")")" '["sleep","4321"]' "worker command from Procfile"
  # As Dokku: PORT is set for every type, empty unless web.
  cinspect '{{join .Config.Env " "}}' "$(cat "$DOKKU_ROOT/$APP/CONTAINER.worker.1")" | grep -qE '(^| )PORT=[^ ]' && fail "worker got a PORT value"
  ok "empty PORT for non-web"

  printf 'web=1\nworker=0\n' >"$DOKKU_ROOT/$APP/DOKKU_SCALE"
  cid="$(web_cid)"
  run_cmd plugn trigger receive-app "$APP"
  expect_rc 0 "receive-app (ps:rebuild path) rebuilds from the repo"
  [[ ! -e "$DOKKU_ROOT/$APP/CONTAINER.web.2" && ! -e "$DOKKU_ROOT/$APP/CONTAINER.worker.1" ]] || fail "scale-down left CONTAINER files"
  ok "scale-down removes surplus CONTAINER files"
  [[ "$(web_cid)" != "$cid" ]] || fail "receive-app did not redeploy"
  expect_eq "$(docker container ls -q --filter "label=com.dokku.app-name=$APP" | wc -l)" "1" "only one container left running"

  run_cmd "$DOKKU" --rm run "$APP" sh -c 'echo "$GREETING"'
  expect_eq "$(cat "$WORK/last.out")" "hello world" "run: one-off container gets the config env"
  run_cmd "$DOKKU" --rm run "$APP" hello there
  expect_out "-----> Found 'hello' in Procfile, running that command" "run: Procfile lookup announced"
  expect_eq "$(tail -n1 "$WORK/last.out")" "from-procfile there" "run: a Procfile process type is resolved"
}

test_run_and_lock() {
  run_cmd "$DOKKU" --rm run "$APP" sh -c 'exit 3'
  expect_rc 3 "run: exit status passes through"
  run_cmd "$DOKKU" run "$APP" true
  expect_eq "$(docker container ls -aq --filter "label=com.dokku.container-type=run" --filter "label=com.dokku.app-name=$APP" | wc -l)" "1" \
    "run without --rm keeps its container, labelled container-type=run"

  flock "$DOKKU_ROOT/$APP/.deploy.lock" sleep 5 &
  local holder=$!
  sleep 0.3
  run_cmd plugn trigger receive-app "$APP"
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  expect_rc 1 "deploy lock held: rebuild refused"
  expect_out " !     $APP currently has a deploy lock in place. Exiting..." "deploy lock message"

  run_cmd plugn trigger scheduler-stop docker-local "$APP"
  run_cmd plugn trigger scheduler-app-status docker-local "$APP"
  expect_eq "$(cat "$WORK/last.out")" "1 false" "scheduler-stop stops, files stay"
}

test_destroy() {
  run_cmd bash -c "echo wrong | '$DOKKU' apps:destroy '$APP'"
  expect_rc 1 "apps:destroy without --force needs the app name on stdin"
  [[ -d "$DOKKU_ROOT/$APP" ]] || fail "app destroyed despite wrong confirmation"
  run_cmd "$DOKKU" apps:destroy "$APP" --force
  expect_rc 0 "apps:destroy --force"
  [[ ! -e "$DOKKU_ROOT/$APP" ]] || fail "app dir left behind"
  expect_eq "$(docker container ls -aq --filter "label=com.dokku.app-name=$APP" | wc -l)" "0" "destroy removes all app containers"
  expect_eq "$(docker image ls -q "dokku/$APP" | wc -l)" "0" "destroy removes the app image"
  grep -qF "post-delete $APP" "$TRIGGER_LOG" || fail "post-delete not fired"
  ok "pre-delete/post-delete fired"
}

main() {
  trap cleanup EXIT
  if [[ -n "$(docker container ls -aq --filter "label=com.dokku.app-name=$APP")" ]]; then
    echo "containers labelled com.dokku.app-name=$APP already exist; refusing to touch them (set SMOKE_APP)" >&2
    trap - EXIT
    rm -rf "$WORK"
    exit 1
  fi
  "$HOST_DIR/bin/build-base-image"
  "$DOKKU" version >/dev/null # initialises the host
  install_fixtures
  test_dispatch
  test_plugn
  test_first_deploy
  test_config_and_retire
  test_docker_options_and_second_push
  test_delayed_retire
  test_failed_pushes_keep_old_release
  test_rebuild_scale_run_lock
  test_run_and_lock
  test_destroy
  echo "all $CHECKS checks passed"
}

main "$@"
