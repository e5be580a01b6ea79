/**
 * The code cache's build id (src/core/code-cache.ts): the launcher carries a
 * hash of exactly the bundles beside it, so a cache written for other
 * bundles is never read. Checks the built dist/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

test("dist/ps.cjs carries the hash of dist/main.cjs and dist/vendor/*", () => {
  const bundles = ["dist/main.cjs", ...readdirSync("dist/vendor").sort().map((f) => `dist/vendor/${f}`)];
  const hash = createHash("sha256");
  for (const file of bundles) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  const launcher = readFileSync("dist/ps.cjs", "utf8");
  assert.ok(launcher.includes(`"${hash.digest("hex").slice(0, 16)}"`));
  assert.ok(launcher.length < 8192, "the launcher stays small (it is compiled at every start)");
  assert.ok(!launcher.includes("docker-modem") && !launcher.includes("minimist"), "and holds none of the plugin");
});
