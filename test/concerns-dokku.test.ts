/**
 * Issue 14: the integration suite runs on both Dokku contracts, and a test
 * that concerns one version says which (convention: test/integration/
 * harness.ts). scripts/test.sh reads a file's `export const CONCERNS_DOKKU =
 * "<version>";` line; this checks every integration file against that
 * convention, so a marker test.sh cannot read, or a pinned file that still
 * creates a host of the run's default version, fails here and not silently
 * in CI. The checker is tried on good and bad snippets first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

import { REPO, stripComments } from "./source-scan.ts";
import { HOST_VERSIONS } from "./integration/harness.ts";

/** What scripts/test.sh's `concerns` reads: the version, or "" (agnostic). */
export function concerns(source: string): string {
  return /^export const CONCERNS_DOKKU = "([^"]*)";$/m.exec(source)?.[1] ?? "";
}

/** The convention's faults in one test file's source (none: []). */
export function faults(source: string): string[] {
  const out: string[] = [];
  const code = stripComments(source);
  const version = concerns(source);
  if (/CONCERNS_DOKKU\s*=/.test(code) && version === "") out.push("a CONCERNS_DOKKU line scripts/test.sh cannot read");
  if (version !== "" && !(HOST_VERSIONS as readonly string[]).includes(version)) out.push(`CONCERNS_DOKKU ${version} is no version host/ speaks`);
  const calls = [...code.matchAll(/Host\.create\(([^)]*)\)/g)].map((m) => m[1]!);
  if (version !== "") {
    for (const args of calls) if (!/\bversion\s*:/.test(args)) out.push(`concerns ${version} but Host.create(${args}) takes the run's version`);
  } else {
    // An agnostic file runs once per version pass: a host of one fixed
    // version in it runs the same test again on every pass (CI time).
    for (const args of calls) if (/\bversion\s*:/.test(args)) out.push(`version-agnostic, but Host.create(${args}) pins a version: say CONCERNS_DOKKU or move that test to a pinned file`);
  }
  return out;
}

test("the checker: good and bad files", () => {
  const pinned = 'export const CONCERNS_DOKKU = "0.24.10";\nhost = await Host.create({ version: CONCERNS_DOKKU });\n';
  assert.equal(concerns(pinned), "0.24.10");
  assert.deepEqual(faults(pinned), []);
  assert.deepEqual(faults("host = await Host.create();\nh = await Host.create({ binDir });\n"), [], "agnostic");
  assert.equal(faults("host = await Host.create();\nconst v31 = await Host.create({ version: \"0.31.5\" });\n").length, 1, "agnostic, with one pinned test: it runs again on every pass");
  assert.equal(faults('host = await Host.create({ version: "0.31.5" });\n').length, 1, "every host pinned but no CONCERNS_DOKKU");
  assert.equal(faults('export const CONCERNS_DOKKU = "0.24.10";\nhost = await Host.create();\n').length, 1, "pinned but takes the run's version");
  assert.equal(faults('export const CONCERNS_DOKKU = "0.24.10";\nh = await Host.create({ binDir });\n').length, 1);
  assert.equal(faults("export const CONCERNS_DOKKU = '0.24.10';\n").length, 1, "single quotes: test.sh cannot read it");
  assert.equal(faults('  export const CONCERNS_DOKKU = "0.24.10";\n').length, 1, "indented");
  assert.equal(faults('export const CONCERNS_DOKKU = "0.26.0";\n').length, 1, "a version host/ does not speak");
  assert.deepEqual(faults("// export const CONCERNS_DOKKU = 'x' (prose in a comment)\n"), []);
});

const dir = join(REPO, "test", "integration");
const files = [
  ...readdirSync(dir).filter((f) => f.endsWith(".test.ts")),
  ...readdirSync(join(dir, "isolated")).filter((f) => f.endsWith(".test.ts")).map((f) => join("isolated", f)),
];

test("every integration file follows the convention", () => {
  assert.ok(files.length > 20, `only ${files.length} files`);
  for (const f of files) assert.deepEqual(faults(readFileSync(join(dir, f), "utf8")), [], f);
});

test("scripts/test.sh reads the same versions as this checker", () => {
  // test.sh's own `concerns` function, run on every file.
  const script = readFileSync(join(REPO, "scripts", "test.sh"), "utf8");
  const fn = /^concerns\(\) \{.*\}$/m.exec(script)?.[0];
  assert.ok(fn, "scripts/test.sh defines concerns()");
  const paths = files.map((f) => join(dir, f));
  const out = execFileSync("bash", ["-c", `${fn}\nfor f in "$@"; do printf '%s\\n' "$(concerns "$f")"; done`, "_", ...paths], { encoding: "utf8" });
  assert.deepEqual(out.split("\n").slice(0, -1), paths.map((p) => concerns(readFileSync(p, "utf8"))));
  const pinned = files.filter((f) => concerns(readFileSync(join(dir, f), "utf8")) !== "");
  assert.ok(pinned.length > 0 && pinned.length < files.length, "some files concern one version, others both");
});
