import { test } from "node:test";
import assert from "node:assert/strict";
import { DirectoryScan, type ScanStep, type TarHeader } from "../../src/core/directory-scan.ts";

const wantedInImage = (found: ReadonlySet<string>) => (found.has("DOKKU_SCALE") ? ["DOKKU_SCALE", "Procfile"] : ["DOKKU_SCALE", "Procfile", "app.json"]);

type Entry = TarHeader & { body?: string };
const dir = (name: string): Entry => ({ name, type: "directory", size: 0 });
const file = (name: string, body = "", size = body.length): Entry => ({ name, type: "file", size, body });

/** Runs a scan over entries as the adapter would; returns the steps taken and the result. */
function scanOf(entries: Entry[], options: { ordered?: boolean; budgetBytes?: number; maxFileBytes?: number } = {}) {
  const scan = new DirectoryScan({ wanted: wantedInImage, ordered: options.ordered ?? true, budgetBytes: options.budgetBytes ?? 1 << 20, maxFileBytes: options.maxFileBytes ?? 1000 });
  const steps: string[] = [];
  let last: ScanStep = { kind: "skip" };
  for (const entry of entries) {
    last = scan.next(entry);
    steps.push(`${entry.name}:${last.kind}`);
    if (last.kind === "take") {
      last = scan.took(last.name, entry.body ?? "");
      if (last.kind !== "skip") steps.push(`took:${last.kind}`);
    }
    if (last.kind !== "skip") break;
  }
  if (last.kind === "skip") scan.ended();
  return { steps, last, result: scan.result() };
}

test("takes DOKKU_SCALE and Procfile and stops at once: app.json no longer counts", () => {
  const { steps, result } = scanOf([dir("./"), dir("./.github/"), file("./.github/ci.yml", "x"), file("./DOKKU_SCALE", "web=1\n"), file("./Dockerfile", "FROM x"), file("./Procfile", "web: x\n"), file("./app.json", "{}")]);
  assert.deepEqual(steps.slice(-2), ["./Procfile:take", "took:stop"]);
  assert.deepEqual([...result.files], [["DOKKU_SCALE", "web=1\n"], ["Procfile", "web: x\n"]]);
  assert.deepEqual([...result.absent], []);
  assert.equal(result.complete, true);
});

test("without DOKKU_SCALE, app.json is wanted; the walk passing a name decides it absent", () => {
  const { steps, result } = scanOf([dir("./"), file("./Dockerfile"), file("./Procfile", "web: x\n"), file("./README.md"), file("./app.json", "{}"), dir("./lib/"), file("./lib/a.js")]);
  assert.deepEqual(steps.slice(-2), ["./app.json:take", "took:stop"]);
  assert.deepEqual([...result.files.keys()], ["Procfile", "app.json"]);
  assert.deepEqual([...result.absent], ["DOKKU_SCALE"]);

  const none = scanOf([dir("./"), file("./Dockerfile"), dir("./src/"), file("./src/Procfile", "nested: no\n"), file("./zz")]);
  assert.equal(none.steps.at(-1), "./src/:stop", "src sorts after app.json: nothing wanted can follow");
  assert.deepEqual([...none.result.absent].sort(), ["DOKKU_SCALE", "Procfile", "app.json"]);
  assert.equal(none.result.complete, true);
});

test("byte order, as Docker walks: upper case before lower case, a prefix before its extensions", () => {
  // "app" < "app.json": the /app directory's subtree comes first and must not stop the scan.
  const { result } = scanOf([dir("./"), file("./Procfile", "web: x\n"), dir("./app/"), file("./app/app.json", "{}"), file("./app.json", '{"a":1}'), file("./procfile")]);
  assert.equal(result.files.get("app.json"), '{"a":1}');
  assert.deepEqual([...result.absent], ["DOKKU_SCALE"]);
});

test("nested files of the wanted names are not taken", () => {
  const { result } = scanOf([dir("./"), dir("./.x/"), file("./.x/Procfile", "a: b\n"), file("./.x/DOKKU_SCALE", "a=1\n")]);
  assert.deepEqual([...result.files], []);
  assert.deepEqual([...result.absent].sort(), ["DOKKU_SCALE", "Procfile", "app.json"]);
});

test("without a known order the whole listing is read; names are absent only at its end", () => {
  const entries = [dir("./"), file("./zz"), file("./Procfile", "web: x\n"), file("./DOKKU_SCALE", "web=1\n")];
  const unordered = scanOf(entries, { ordered: false });
  assert.deepEqual([...unordered.result.files.keys()], ["Procfile", "DOKKU_SCALE"]);
  assert.equal(unordered.result.complete, true);
  const ended = scanOf([dir("./"), file("./zz"), file("./Procfile", "web: x\n")], { ordered: false });
  assert.deepEqual([...ended.result.absent].sort(), ["DOKKU_SCALE", "app.json"]);
  assert.equal(ended.steps.at(-1), "./Procfile:take");
});

test("entries out of byte order withdraw the engine's word: no early stop after that", () => {
  const { steps, result } = scanOf([dir("./"), file("./B"), file("./A"), file("./zz"), file("./Procfile", "web: x\n")]);
  assert.ok(steps.includes("./zz:skip"), steps.join(" "));
  assert.equal(result.files.get("Procfile"), "web: x\n");
});

test("over budget before the answer: gives up, and the names it could not decide stay open", () => {
  const { last, result } = scanOf([dir("./"), dir("./.heroku/"), file("./.heroku/node", "", 5 << 20), file("./Procfile", "web: x\n")], { budgetBytes: 4 << 20 });
  assert.equal(last.kind, "give-up");
  assert.equal(result.complete, false);
  assert.deepEqual([...result.absent], []);
  assert.deepEqual([...result.files], []);
});

test("not the archive of a directory: gives up", () => {
  assert.equal(scanOf([file("./", "x")]).last.kind, "give-up");
  assert.equal(scanOf([file("./Procfile", "web: x\n")]).last.kind, "give-up");
  assert.equal(scanOf([dir("./"), file("./../Procfile", "web: x\n")]).last.kind, "give-up");
  assert.equal(scanOf([]).result.complete, false);
});

test("a wanted name that is not a usable regular file is refused, as a per-file read would", () => {
  const cases: Array<[Entry, RegExp]> = [
    [{ name: "./Procfile", type: "symlink", size: 0 }, /^Procfile in the app image is a symlink, not a regular file; refusing it$/],
    [dir("./DOKKU_SCALE/"), /^DOKKU_SCALE in the app image is a directory, not a regular file; refusing it$/],
    [{ name: "./Procfile", type: "character-device", size: 0 }, /character-device, not a regular file/],
    [file("./Procfile", "", 1001), /^Procfile in the app image is larger than 1000 bytes; refusing it$/],
  ];
  for (const [entry, message] of cases) {
    const { last } = scanOf([dir("./"), entry]);
    assert.equal(last.kind, "refuse", entry.name);
    assert.match((last as { message: string }).message, message);
  }
  const twice = scanOf([dir("./"), file("./DOKKU_SCALE", "web=1\n"), file("./DOKKU_SCALE", "web=2\n")]);
  assert.match((twice.last as { message: string }).message, /DOKKU_SCALE in the app image is not a single file/);
});

test("a wanted name that is a hard link to an earlier entry is left to a per-file read", () => {
  const { result } = scanOf([dir("./"), file("./A-procfile", "web: x\n"), file("./DOKKU_SCALE", "web=1\n"), { name: "./Procfile", type: "link", size: 0 }, file("./zz")]);
  assert.deepEqual([...result.files.keys()], ["DOKKU_SCALE"]);
  assert.deepEqual([...result.absent], []);
  assert.equal(result.complete, true);
});
