import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { subcommandNames, triggerNames } from "../src/main.ts";

// Every executable Dokku may call must be a shim the entry understands, and
// every name the entry knows must have its executable (scripts/gen-shims.sh).
test("subcommands/ and triggers/ match the entry's registry", () => {
  assert.deepEqual(readdirSync("subcommands").sort(), subcommandNames().sort());
  assert.deepEqual(readdirSync("triggers").sort(), triggerNames().sort());
});

test("shims are small, executable and never build a shell string from input", () => {
  for (const dir of ["subcommands", "triggers"]) {
    for (const name of readdirSync(dir)) {
      const path = `${dir}/${name}`;
      assert.ok(statSync(path).mode & 0o111, `${path} is executable`);
      const text = readFileSync(path, "utf8");
      assert.ok(text.split("\n").length < 10, `${path} is a few lines`);
      assert.match(text, /exec node "[^"]+\/dist\/ps\.cjs" (trigger|subcommand) "\$\{0##\*\/\}" "\$@"/);
    }
  }
});
