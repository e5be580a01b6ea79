#!/usr/bin/env bash
# Regenerates subcommands/<name> and triggers/<name> from the two shim
# templates, one per name the entry knows (test/shims.test.ts checks they agree).
set -eo pipefail
cd "$(dirname "$0")/.."
rm -f subcommands/* triggers/*
names=$(node --import tsx -e '
import("./src/main.ts").then((m) => {
  console.log(JSON.stringify({ subcommands: m.subcommandNames(), triggers: m.triggerNames() }));
});')
names_of() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]].join(" "))' "$names" "$1"; }
for name in $(names_of subcommands); do
  install -m 0755 scripts/shim-subcommand.sh "subcommands/$name"
done
# Triggers with a shell fast path: the labels of ps_fast's case in fast-paths.sh.
# and the forward executables its version case answers (`031:post-release-builder)`).
fast=" $(sed -nE 's/^  ([a-z| -]+)\) ps_fast_.*/\1/p; s/^  [0-9]+:([a-z-]+)\).*/\1/p' scripts/fast-paths.sh | tr -d '|' | tr -s ' \n' '  ') "
for name in $(names_of triggers); do
  template=scripts/shim-trigger.sh
  [[ "$fast" == *" $name "* ]] && template=scripts/shim-fast.sh
  install -m 0755 "$template" "triggers/$name"
done
