#!/usr/bin/env bash
# Removes the untagged images the tests' builds left on the base image
# (dokku-ps/busybox:latest, which host/bin/build-base-image makes): run by
# scripts/test.sh when a run ends, when none of its builds is in flight.
#
# Why not as each test ends: the legacy builder's intermediate images are
# shared between apps (same parent and step, same cache entry), and
# `docker rmi` removes an image's untagged parents that have no other child.
# A test removing its app's image while another test's build stands on such
# a parent (cache hit, next step running) pulled the parent away and that
# build failed ("failed to set parent …: unknown parent image ID"). So the
# tests remove their images with --no-prune, and this removes what is left
# once nothing builds.
#
# Only images with the base image among their ancestors, untagged and with no
# child: `docker rmi` of such a leaf also removes its untagged parents up to
# the first one another image (tagged, or another leaf still there) stands
# on. A tagged image is never touched, nor any image not built on the base,
# nor one a container uses (rmi without --force refuses it).
set -uo pipefail
base=$(docker image inspect --format '{{.Id}}' dokku-ps/busybox:latest 2>/dev/null) || exit 0
mapfile -t all < <(docker images --all --quiet --no-trunc | sort -u)
[[ ${#all[@]} -gt 0 ]] || exit 0
# id parent tags: one line an image.
mapfile -t leaves < <(docker image inspect --format '{{.Id}} {{if .Parent}}{{.Parent}}{{else}}-{{end}} {{len .RepoTags}}' "${all[@]}" 2>/dev/null |
  awk -v base="$base" '
    { parent[$1] = $2; tags[$1] = $3; if ($2 != "-") children[$2]++ }
    END {
      for (id in parent) {
        if (tags[id] > 0 || children[id] > 0) continue
        for (p = parent[id]; p != "-" && p != ""; p = parent[p]) if (p == base) { print id; break }
      }
    }')
[[ ${#leaves[@]} -eq 0 ]] || docker rmi "${leaves[@]}" >/dev/null 2>&1 || true
