import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyScaleUpdates,
  formationToJson,
  generateFormation,
  parseAppJsonFormation,
  parseImageScaleFile,
  parseScaleFile,
  parseScaleTuples,
  renderScaleTable,
  serializeFormation,
} from "../../src/core/formation.ts";
import { DokkuError } from "../../src/core/errors.ts";

const f = (o: Record<string, number>) => new Map(Object.entries(o));

test("parseScaleFile reads type=count lines and skips comments", () => {
  const { formation, warnings } = parseScaleFile("web=1\n# a comment\nworker=2 # inline\n\n");
  assert.deepEqual([...formation], [["web", 1], ["worker", 2]]);
  assert.deepEqual(warnings, []);
});

test("parseScaleFile warns with Dokku's 0-based line index and skips bad lines", () => {
  const { formation, warnings } = parseScaleFile("web=1\nworker\nclock=abc\n");
  assert.deepEqual([...formation], [["web", 1]]);
  assert.deepEqual(warnings, ["Invalid scale entry on line 1, skipping", "Invalid count on line 2, skipping"]);
});

test("parseScaleFile falls back to web=1 when nothing is valid", () => {
  const { formation, warnings } = parseScaleFile("garbage\n");
  assert.deepEqual([...formation], [["web", 1]]);
  assert.equal(warnings.at(-1), "No valid entries found in scale file, defaulting to web=1");
});

test("parseImageScaleFile accepts CRLF and comments", () => {
  assert.deepEqual([...parseImageScaleFile("web=1\r\nworker=2\r\n# x\r\n")], [["web", 1], ["worker", 2]]);
});

for (const [text, pattern] of [
  ["web=-1", /count for web must be an integer/],
  ["web=1e9", /count for web/],
  ["web=101", /count for web/],
  ["../x=1", /invalid process type/],
  ["web=1;rm -rf /", /count for web/],
  ["web", /expected <process-type>=<count>/],
  ["web=1\nweb=2", /listed twice/],
  ["", /no process types/],
  ["wéb=1", /invalid process type/],
  ["web=1\0", /NUL/],
] as const) {
  test(`parseImageScaleFile refuses ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseImageScaleFile(text), (e: unknown) => e instanceof DokkuError && pattern.test(e.message));
  });
}

test("parseImageScaleFile refuses oversized files", () => {
  assert.throws(() => parseImageScaleFile("web=1\n".repeat(20_000)), /larger than 65536 bytes/);
});

test("parseAppJsonFormation reads quantities and defaults a missing one to 1", () => {
  assert.deepEqual([...(parseAppJsonFormation('{"formation":{"web":{"quantity":2},"worker":{}}}') ?? [])], [
    ["web", 2],
    ["worker", 1],
  ]);
  assert.equal(parseAppJsonFormation('{"name":"x"}'), undefined);
  assert.throws(() => parseAppJsonFormation('{"formation":{"web":{"quantity":-1}}}'), /quantity for web/);
  assert.throws(() => parseAppJsonFormation("{"), /not valid JSON/);
});

test("generateFormation: web=1 without a Procfile; web at 1 and others at 0 with one", () => {
  assert.deepEqual([...generateFormation(undefined)], [["web", 1]]);
  const procfile = [
    { processType: "web", command: "a" },
    { processType: "worker", command: "b" },
  ];
  assert.deepEqual([...generateFormation(procfile)], [["web", 1], ["worker", 0]]);
});

test("parseScaleTuples: Dokku's messages, stricter counts", () => {
  assert.deepEqual([...parseScaleTuples(["web=2", "worker=0"])], [["web", 2], ["worker", 0]]);
  assert.throws(() => parseScaleTuples(["web"]), /^Error: Missing count for process type web$|Missing count for process type web/);
  assert.throws(() => parseScaleTuples(["web=x"]), /Invalid count for process type web/);
  assert.throws(() => parseScaleTuples(["web="]), /Invalid count for process type web/);
  assert.throws(() => parseScaleTuples(["web=-1"]), /Invalid count for process type web/);
  assert.throws(() => parseScaleTuples(["../etc=1"]), /Invalid process type/);
});

test("applyScaleUpdates refuses scaling up a type the Procfile lacks and adds missing types at 0", () => {
  const next = applyScaleUpdates(f({ web: 1 }), f({ worker: 3 }), ["web", "worker", "clock"]);
  assert.deepEqual(Object.fromEntries(next), { web: 1, worker: 3, clock: 0 });
  assert.throws(() => applyScaleUpdates(f({ web: 1 }), f({ ghost: 1 }), ["web"]), /ghost is not a valid process name to scale up/);
  assert.deepEqual(Object.fromEntries(applyScaleUpdates(f({ web: 1 }), f({ ghost: 0 }), ["web"])), { web: 1, ghost: 0 });
});

test("renderScaleTable matches Dokku's layout", () => {
  assert.equal(
    renderScaleTable(f({ worker: 0, web: 1 }), false),
    "proctype: qty\n--------: ---\nweb:  1\nworker: 0\n",
  );
  assert.equal(renderScaleTable(f({ web: 1 }), true), "web:  1\n");
});

test("serializeFormation and JSON are sorted by type", () => {
  assert.equal(serializeFormation(f({ worker: 2, web: 1 })), "web=1\nworker=2\n");
  assert.equal(formationToJson(f({ worker: 2, web: 1 })), '{"web":1,"worker":2}');
});
