import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import { DirectoryScan } from "../../src/core/directory-scan.ts";
import { scanDirectoryTar } from "../../src/adapters/image-files.ts";

type Entry = { name: string; type?: "file" | "symlink" | "directory"; body?: string | Buffer };

async function tarBytes(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    if (e.type === "symlink") p.entry({ name: e.name, type: "symlink", linkname: "/etc/passwd" });
    else if (e.type === "directory") p.entry({ name: e.name, type: "directory" });
    else p.entry({ name: e.name }, e.body ?? "");
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The archive as the engine streams it (64 KiB at a time), counting what was pulled. */
function streamed(bytes: Buffer, breakAfter?: number): { archive: Readable; pulled: () => number } {
  let offset = 0;
  const archive = new Readable({
    read() {
      if (breakAfter !== undefined && offset >= breakAfter) return void this.destroy(new Error("connection reset"));
      if (offset >= bytes.length) return void this.push(null);
      this.push(bytes.subarray(offset, offset + 65536));
      offset += 65536;
    },
  });
  return { archive, pulled: () => offset };
}

const wanted = (found: ReadonlySet<string>) => (found.has("DOKKU_SCALE") ? ["DOKKU_SCALE", "Procfile"] : ["DOKKU_SCALE", "Procfile", "app.json"]);
const newScan = (budgetBytes = 4 << 20) => new DirectoryScan({ wanted, ordered: true, budgetBytes, maxFileBytes: 100 });

test("scanDirectoryTar takes the wanted files and drops the stream once they are decided", async () => {
  const bytes = await tarBytes([
    { name: "./", type: "directory" },
    { name: "./DOKKU_SCALE", body: "web=1\n" },
    { name: "./Procfile", body: "web: sleep 1\n" },
    { name: "./zz-big", body: Buffer.alloc(8 << 20) },
  ]);
  const { archive, pulled } = streamed(bytes);
  const result = await scanDirectoryTar(archive, newScan());
  assert.deepEqual([...result.files], [["DOKKU_SCALE", "web=1\n"], ["Procfile", "web: sleep 1\n"]]);
  assert.equal(result.complete, true);
  assert.ok(archive.destroyed, "the engine's stream is dropped");
  assert.ok(pulled() < 1 << 20, `pulled ${pulled()} of ${bytes.length} bytes`);
});

test("scanDirectoryTar: names not there are absent once the listing ends", async () => {
  const { archive } = streamed(await tarBytes([{ name: "./", type: "directory" }, { name: "./Procfile", body: "web: x\n" }]));
  const result = await scanDirectoryTar(archive, newScan());
  assert.deepEqual([...result.files.keys()], ["Procfile"]);
  assert.deepEqual([...result.absent].sort(), ["DOKKU_SCALE", "app.json"]);
});

test("scanDirectoryTar gives up past its budget, reading no further", async () => {
  const bytes = await tarBytes([{ name: "./", type: "directory" }, { name: "./.heroku", body: Buffer.alloc(3 << 20) }, { name: "./.z", body: Buffer.alloc(3 << 20) }, { name: "./Procfile", body: "web: x\n" }]);
  const { archive, pulled } = streamed(bytes);
  const result = await scanDirectoryTar(archive, newScan(4 << 20));
  assert.equal(result.complete, false);
  assert.deepEqual([...result.files], []);
  assert.ok(pulled() < 5 << 20, `pulled ${pulled()} bytes`);
});

test("scanDirectoryTar refuses a wanted file that is a symlink or too big", async () => {
  for (const [entry, message] of [
    [{ name: "./Procfile", type: "symlink" }, /Procfile in the app image is a symlink, not a regular file/],
    [{ name: "./DOKKU_SCALE", body: "x".repeat(101) }, /DOKKU_SCALE in the app image is larger than 100 bytes/],
  ] as Array<[Entry, RegExp]>) {
    const { archive } = streamed(await tarBytes([{ name: "./", type: "directory" }, entry]));
    await assert.rejects(scanDirectoryTar(archive, newScan()), message);
  }
});

test("scanDirectoryTar: a stream that breaks off or is not a tar is a scan that gave up", async () => {
  const bytes = await tarBytes([{ name: "./", type: "directory" }, { name: "./.cache", body: Buffer.alloc(200_000) }, { name: "./Procfile", body: "web: x\n" }]);
  const broken = streamed(bytes, 65536);
  const result = await scanDirectoryTar(broken.archive, newScan());
  assert.equal(result.complete, false);
  const garbage = await scanDirectoryTar(Readable.from([Buffer.alloc(4096, "x")]), newScan());
  assert.equal(garbage.complete, false);
});
