/**
 * What the release ships (issue 15) agrees with the package: plugin.toml's
 * version is the package's (the plugin's own version, shown by plugin:list;
 * not Dokku's, which is `$DOKKU_LIB_ROOT/VERSION`), the licence is the one
 * package.json names, and release/ output is never committed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./source-scan.ts";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string; license: string; scripts: Record<string, string> };

test("plugin.toml's version is package.json's", () => {
  const toml = readFileSync(join(REPO, "plugin.toml"), "utf8");
  assert.deepEqual(toml.match(/^version = "([^"]*)"$/gm), [`version = "${pkg.version}"`]);
  assert.notEqual(pkg.version, "0.24.10", "the plugin's version, not Dokku's");
});

test("LICENSE is the licence package.json names; release/ is ignored; npm run release exists", () => {
  assert.equal(pkg.license, "MIT");
  assert.match(readFileSync(join(REPO, "LICENSE"), "utf8"), /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.ok(readFileSync(join(REPO, ".gitignore"), "utf8").split("\n").includes("release/"));
  assert.match(pkg.scripts["release"] ?? "", /build.*scripts\/release\.mjs/);
});
