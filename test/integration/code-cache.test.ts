/**
 * The V8 code cache of each command and trigger (src/core/code-cache.ts,
 * src/adapters/code-cache.ts), on an installed plugin: written by the Dokku
 * user on a command's first run, read on the next, never trusted when V8
 * refuses it or the dir is not the runner's own, and never a change in
 * what a command prints.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, dokkuUser } from "./harness.ts";

let host: Host;
let app: string;
let plugin: string;
let cacheDir: string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("cc");
  plugin = join(host.lib, "plugins", "enabled", "ps");
  cacheDir = join(plugin, "dist", "code-cache");
});
after(async () => {
  await host?.destroy();
});

/** The launcher's build id (scripts/build.mjs writes it into dist/ps.cjs). */
function buildId(): string {
  const launcher = readFileSync(join(plugin, "dist", "ps.cjs"), "utf8");
  const found = [...new Set(launcher.match(/"[0-9a-f]{16}"/g) ?? [])];
  assert.equal(found.length, 1, "one build id in the launcher");
  return (found[0] as string).slice(1, -1);
}

const cacheFile = (key: string, module: string) => join(cacheDir, `${buildId()}.${process.version}.${process.arch}.${key}.${module}.v8`);
const files = () => readdirSync(cacheDir).sort();
const report = () => host.dokku("ps:report", app);

test("install.sh makes the cache dir: the Dokku user's, 0755, empty but for what the set-up ran", () => {
  const st = statSync(cacheDir);
  assert.ok(st.isDirectory());
  assert.equal(st.mode & 0o777, 0o755);
  assert.equal(st.uid, dokkuUser().uid);
  assert.ok(!files().some((f) => f.includes("subcommand-report")), "ps:report has not run yet");
});

test("a command's first run writes its cache (the bundle and dockerode), the next reads it, and both print the same", async () => {
  await report(); // (the first report of an app caches its deployed state, and says so)
  // Without the dir: Node loads the bundles as always, which is what to compare with.
  renameSync(cacheDir, `${cacheDir}.off`);
  const plain = await report();
  renameSync(`${cacheDir}.off`, cacheDir);
  assert.equal(plain.code, 0, plain.stderr);

  const first = await report();
  const main = cacheFile("subcommand-report", "main");
  const dockerode = cacheFile("subcommand-report", "dockerode");
  for (const file of [main, dockerode]) {
    assert.ok(existsSync(file), `${file} written`);
    const st = statSync(file);
    assert.equal(st.uid, dokkuUser().uid);
    assert.equal(st.mode & 0o777, 0o644);
  }
  const written = statSync(main);
  const second = await report();
  assert.deepEqual([first.code, first.stdout, first.stderr], [plain.code, plain.stdout, plain.stderr]);
  assert.deepEqual([second.code, second.stdout, second.stderr], [plain.code, plain.stdout, plain.stderr]);
  const read = statSync(main);
  assert.deepEqual([read.ino, read.mtimeMs], [written.ino, written.mtimeMs], "an accepted cache is not written again");
  assert.deepEqual(files().filter((f) => f.endsWith(".tmp")), [], "no temp file left");
});

test("a cache V8 refuses (garbage) is replaced, and the command still works", async () => {
  const main = cacheFile("subcommand-report", "main");
  const garbage = Buffer.alloc(statSync(main).size, 0x5a);
  writeFileSync(main, garbage);
  const r = await report();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`=====> ${app} ps information`));
  assert.notDeepEqual(readFileSync(main), garbage, "rewritten from what this run compiled");
});

test("a trigger keeps its own cache, apart from the commands'", async () => {
  const r = await host.dokku("ps:set", app, "restart-policy", "always");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(cacheFile("subcommand-set", "main")));
  assert.ok(!existsSync(cacheFile("subcommand-set", "dockerode")), "ps:set never loads dockerode, so it has no dockerode cache");
});

test("root never reads or writes it, nor does anybody when the dir is writable by others", async () => {
  const entry = join(plugin, "dist", "ps.cjs");
  const before = files();
  // The test runs as root: the entry straight, not through dokku (which runs as the Dokku user).
  const asRoot = await execa("node", [entry, "subcommand", "scale", "ps:scale", app], { env: host.env(), reject: false, stdin: "ignore" });
  assert.equal(asRoot.exitCode, 0, asRoot.stderr);
  assert.deepEqual(files(), before, "root wrote nothing");

  chmodSync(cacheDir, 0o777);
  try {
    const r = await host.dokku("ps:scale", app);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(files(), before, "a dir others may write is not used");
  } finally {
    chmodSync(cacheDir, 0o755);
  }
  const r = await host.dokku("ps:scale", app);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd(), asRoot.stdout.trimEnd());
  assert.ok(existsSync(cacheFile("subcommand-scale", "main")), "the guard can fail: the Dokku user's own dir is used");
});
