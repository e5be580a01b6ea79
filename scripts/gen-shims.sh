#!/usr/bin/env bash
# Regenerates subcommands/<name> and triggers/<name> from the two shim
# templates, one per name the entry knows (test/shims.test.ts checks they agree).
set -eo pipefail
cd "$(dirname "$0")/.."
rm -f subcommands/* triggers/*
node --import tsx -e '
import("./src/main.ts").then((m) => {
  console.log(JSON.stringify({ subcommands: m.subcommandNames(), triggers: m.triggerNames() }));
});' > /tmp/dokku-ps-names.json
for name in $(node -e 'console.log(require("/tmp/dokku-ps-names.json").subcommands.join(" "))'); do
  install -m 0755 scripts/shim-subcommand.sh "subcommands/$name"
done
# Triggers with a shell fast path: the labels of ps_fast's case in fast-paths.sh.
fast=" $(sed -nE 's/^  ([a-z| -]+)\) ps_fast_.*/\1/p' scripts/fast-paths.sh | tr -d '|' | tr -s ' \n' '  ') "
for name in $(node -e 'console.log(require("/tmp/dokku-ps-names.json").triggers.join(" "))'); do
  template=scripts/shim-trigger.sh
  [[ "$fast" == *" $name "* ]] && template=scripts/shim-fast.sh
  install -m 0755 "$template" "triggers/$name"
done
