#!/usr/bin/env bash
# in-debian-root.sh <root> <dir> <command…>: runs <command> as root in a
# throw-away Debian root (test/integration/deb.test.ts): an overlay of the
# cached root <root> (scripts/debian-root.sh; never written) with <dir>/upper,
# which holds every change of this test, mounted in a mount and network
# namespace of its own (no network, and every mount gone when the command
# ends, whatever happens). Inside: /proc, /dev, this machine's Docker engine
# socket at /run/docker.sock and its docker CLI at /usr/local/bin/docker (as
# on a Dokku host, which has the engine installed), and a clean environment
# (what is passed goes through `env` in <command>).
set -euo pipefail
root=$1 dir=$2
shift 2
if [[ -z "${IN_DEBIAN_ROOT_NS:-}" ]]; then
  exec env IN_DEBIAN_ROOT_NS=1 unshare --mount --net --fork -- bash "$0" "$root" "$dir" "$@"
fi
m="$dir/merged"
mkdir -p "$dir/upper" "$dir/work" "$m"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
sock=/var/run/docker.sock
[[ "${DOCKER_HOST:-}" != unix://* ]] || sock=${DOCKER_HOST#unix://}
: >>"$m/run/docker.sock"
mount --bind "$sock" "$m/run/docker.sock"
: >>"$m/usr/local/bin/docker"
mount --bind "$(command -v docker)" "$m/usr/local/bin/docker"
exec chroot "$m" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"
