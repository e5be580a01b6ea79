#!/usr/bin/env bash
# Starts the Docker engine detached, with no bridge network (containers get
# no address), unless one already answers. Waits until it does.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
setsid dockerd --bridge=none --iptables=false --ip6tables=false >/var/log/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo " !     dockerd did not start; see /var/log/dockerd.log" >&2
tail -20 /var/log/dockerd.log >&2 || true
exit 1
