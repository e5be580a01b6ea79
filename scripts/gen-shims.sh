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
for name in $(node -e 'console.log(require("/tmp/dokku-ps-names.json").triggers.join(" "))'); do
  # The two per-container triggers have shims with a precomputed fast path.
  template=scripts/shim-trigger.sh
  [[ -f "scripts/shim-$name.sh" ]] && template="scripts/shim-$name.sh"
  install -m 0755 "$template" "triggers/$name"
done
