#!/usr/bin/env bash
# The demo: a throw-away Dokku-compatible host, the plugin installed with
# install.sh, a sample app whose repo carries DOKKU_SCALE (web=1, worker=2)
# deployed with `git push`, then `ps:scale`, `ps:report` and the running
# containers. Everything is removed at the end unless KEEP=1.
# The host is a Dokku 0.38.27, today's release; DOKKU_VERSION=0.31.5 or
# 0.24.10 makes it that Dokku (host/README.md "Versions"): the same app,
# whose DOKKU_SCALE core ps 0.30+ would ignore and dokku-ps applies (README
# "DOKKU_SCALE on Dokku 0.30 and later"); wait-to-retire is a checks
# property from 0.30 on.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
bash "$REPO/scripts/setup.sh"

WORK=$(mktemp -d /tmp/dokku-ps-demo.XXXXXX)
chmod 0755 "$WORK" # every dokku command runs as the dokku user, as on Dokku
export DOKKU_ROOT="$WORK/home" DOKKU_LIB_ROOT="$WORK/lib"
APP=demo-$$
HOST_VERSION="${DOKKU_VERSION:-0.38.27}"
HOST_VERSION="${HOST_VERSION#v}"
# plugn and dokku are on every process's PATH on a Dokku host (/usr/bin):
# install.sh fires triggers through plugn (on 0.38, the config migration).
export PATH="$REPO/host/bin:$PATH"
dokku() { "$REPO/host/bin/dokku" "$@"; }
cleanup() {
  if [[ "${KEEP:-}" == 1 ]]; then
    echo
    echo "Kept the host in $WORK and the $APP containers. Reach it with (from $REPO):"
    echo "  DOKKU_ROOT=$DOKKU_ROOT DOKKU_LIB_ROOT=$DOKKU_LIB_ROOT host/bin/dokku ps:report $APP"
    echo "Remove it with:"
    echo "  docker rm -f \$(docker ps -aq --filter label=com.dokku.app-name=$APP); docker rmi -f dokku/$APP:latest; rm -rf $WORK"
    return
  fi
  docker rm -f $(docker ps -aq --filter "label=com.dokku.app-name=$APP") >/dev/null 2>&1 || true
  docker rmi -f "dokku/$APP:latest" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step "dokku version   (a new Dokku $HOST_VERSION host)"
DOKKU_HOST_VERSION="$HOST_VERSION" dokku version

step "./install.sh"
"$REPO/install.sh"
if [[ "$HOST_VERSION" == 0.24.10 ]]; then
  dokku config:set --global DOKKU_WAIT_TO_RETIRE=0 >/dev/null
else
  dokku checks:set --global wait-to-retire 0 >/dev/null
fi

step "dokku apps:create $APP"
dokku apps:create "$APP"

SRC="$WORK/src"
mkdir -p "$SRC"
cat >"$SRC/Dockerfile" <<'DOCKERFILE'
FROM dokku-ps/busybox:latest
WORKDIR /app
COPY . /app
CMD ["sleep", "86400"]
DOCKERFILE
printf 'web: httpd -f -p $PORT -h /app\nworker: sleep 86400\n' >"$SRC/Procfile"
printf 'web=1\nworker=2\n' >"$SRC/DOKKU_SCALE"
git -C "$SRC" init -q -b main
git -C "$SRC" add -A
git -C "$SRC" -c user.name=demo -c user.email=demo@example.com commit -qm "demo app"

# What sshd runs for `git push dokku@host:$APP main`: dokku git-receive-pack '$APP'.
step "git push dokku@host:$APP main   (ext::dokku git-receive-pack $APP)"
git -C "$SRC" -c protocol.ext.allow=always push "ext::$REPO/host/bin/dokku %S $APP" main 2>&1 | tee "$WORK/push.log"

step "what the push said about DOKKU_SCALE"
sed 's/^remote: //; s/\x1b\[1G//g; s/[[:space:]]*$//' "$WORK/push.log" | grep -a 'DOKKU_SCALE' || echo "(nothing)"

step "dokku ps:scale $APP"
dokku ps:scale "$APP"

step "dokku ps:scale $APP worker=3   (refused: the image ships DOKKU_SCALE)"
dokku ps:scale "$APP" worker=3 || echo "(exit $?)"

step "dokku ps:report $APP"
dokku ps:report "$APP" || true

step "docker ps --filter label=com.dokku.app-name=$APP"
docker ps --filter "label=com.dokku.app-name=$APP" --format 'table {{.Names}}\t{{.Status}}\t{{.Label "com.dokku.process-type"}}'
echo
for id in $(docker ps -q --filter "label=com.dokku.app-name=$APP"); do
  docker inspect -f '{{.Name}}  restart={{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}' "$id"
done
