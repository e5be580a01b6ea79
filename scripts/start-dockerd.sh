#!/usr/bin/env bash
# Starts the Docker engine detached, with no bridge network (containers get
# no address), unless one already answers. Waits until it does.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
# A dockerd that is still shutting down holds its pid file: let that one
# process (the pid the file names, not anything found by name) finish, then
# clear a pid file no live dockerd owns any more.
PIDFILE=/var/run/docker.pid
pidfile_owner_alive() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]
}
for _ in $(seq 1 60); do
  pidfile_owner_alive || break
  sleep 0.5
done
if [[ -f "$PIDFILE" ]] && ! pidfile_owner_alive; then rm -f "$PIDFILE"; fi
setsid dockerd --bridge=none --iptables=false --ip6tables=false >/var/log/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo " !     dockerd did not start; see /var/log/dockerd.log" >&2
tail -20 /var/log/dockerd.log >&2 || true
exit 1
