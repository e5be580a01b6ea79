import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import { writeFileAtomic, readIfExists } from "../../src/adapters/files.ts";
import { readSingleFileFromTar } from "../../src/adapters/image-files.ts";
import { parseArgs } from "../../src/cli-args.ts";
import { tempDir } from "../temp.ts";

test("writeFileAtomic replaces content, keeps mode, leaves no temp files", () => {
  const dir = tempDir("ps-files-");
  const file = join(dir, "DOKKU_SCALE");
  writeFileAtomic(file, "web=1\n");
  writeFileAtomic(file, "web=2\n");
  assert.equal(readFileSync(file, "utf8"), "web=2\n");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ["DOKKU_SCALE"]);
  assert.equal(readIfExists(join(dir, "nope")), undefined);
});

async function tarOf(entries: Array<{ name: string; type?: "file" | "symlink" | "directory"; body?: string; linkname?: string }>) {
  const p = pack();
  for (const e of entries) {
    if (e.type === "symlink") p.entry({ name: e.name, type: "symlink", linkname: e.linkname ?? "/etc/passwd" });
    else if (e.type === "directory") p.entry({ name: e.name, type: "directory" });
    else p.entry({ name: e.name }, e.body ?? "");
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}

test("readSingleFileFromTar returns the single regular file", async () => {
  assert.equal(await readSingleFileFromTar(await tarOf([{ name: "DOKKU_SCALE", body: "web=1\n" }]), "DOKKU_SCALE", "DOKKU_SCALE", 100), "web=1\n");
});

test("readSingleFileFromTar refuses symlinks, directories, extra entries, odd names and big files", async () => {
  const cases: Array<[Parameters<typeof tarOf>[0], RegExp]> = [
    [[{ name: "DOKKU_SCALE", type: "symlink" }], /symlink, not a regular file/],
    [[{ name: "DOKKU_SCALE", type: "directory" }], /directory, not a regular file/],
    [[{ name: "DOKKU_SCALE", body: "a" }, { name: "DOKKU_SCALE", body: "b" }], /not a single file/],
    [[{ name: "../DOKKU_SCALE", body: "a" }], /unexpected path/],
    [[{ name: "DOKKU_SCALE", body: "x".repeat(101) }], /larger than 100 bytes/],
  ];
  for (const [entries, pattern] of cases) {
    await assert.rejects(readSingleFileFromTar(await tarOf(entries), "DOKKU_SCALE", "DOKKU_SCALE", 100), pattern);
  }
});

test("parseArgs: pflag-like flags, values starting with '-', unknown flags exit 2", () => {
  const a = parseArgs(["demo", "--parallel", "-1", "--all"], { strings: ["parallel"], booleans: ["all"] });
  assert.equal(a.string("parallel"), "-1");
  assert.equal(a.bool("all"), true);
  assert.deepEqual(a.positionals, ["demo"]);
  assert.throws(() => parseArgs(["--nope"], {}), (e: any) => e.exitCode === 2 && /unknown flag: --nope/.test(e.message));
  const r = parseArgs(["demo", "--ps-restart-policy", "--format", "json"], { strings: ["format"], freeFlags: true });
  assert.deepEqual(r.rawFlags, ["--ps-restart-policy"]);
  assert.equal(r.string("format"), "json");
});
