import { test } from "node:test";
import assert from "node:assert/strict";
import {
  goBool,
  parsePropertyList,
  parseScaleLines,
  parseScaleRequest,
  renderCurrentScale,
  renderScaleTableByType,
  serializePropertyList,
  sourceProcfilePath,
  updateScale,
  renderScaleJson,
} from "../../src/core/scale-property.ts";

// Dokku 0.30+ (core ps 0.31.5) formation rules.
const e = (processType: string, quantity: number) => ({ processType, quantity });

test("0.31.5 property list: one line and a newline each (PropertyListWrite), read back as bufio.Scanner does", () => {
  assert.equal(serializePropertyList(["web=-1", "worker=1"]), "web=-1\nworker=1\n");
  assert.equal(serializePropertyList(["web=-1", "worker=1"]).length, 16); // the recorded 16-byte `scale`
  assert.equal(serializePropertyList([]), "");
  assert.deepEqual(parsePropertyList("worker=1\nweb=0\n"), ["worker=1", "web=0"]);
  assert.deepEqual(parsePropertyList("web=1"), ["web=1"]);
  assert.deepEqual(parsePropertyList(""), []);
});

test("0.31.5 stored counts read as Go's Atoi reads them (a stored -1 is shown as stored)", () => {
  assert.deepEqual(parseScaleLines(["web=-1", "worker=+2"]), [e("web", -1), e("worker", 2)]);
  assert.throws(() => parseScaleLines(["web"]), /^DokkuError: Missing count for process type web$/);
  assert.throws(() => parseScaleLines(["web=x"]), /^DokkuError: Invalid count for process type web$/);
});

test("0.31.5 ps:scale input: Dokku's messages; a negative count refused (on purpose: 0.31.5 stores web=-1)", () => {
  assert.deepEqual(parseScaleRequest(["worker=2", "web=1"]), [e("worker", 2), e("web", 1)]);
  assert.throws(() => parseScaleRequest(["web=x"]), /^DokkuError: Invalid count for process type web$/);
  assert.throws(() => parseScaleRequest(["web=-1"]), /^DokkuError: Invalid count for process type web: a count can not be negative$/);
  assert.throws(() => parseScaleRequest(["web=101"]), /at most 100/);
  assert.throws(() => parseScaleRequest(["a/b=1"]), /Invalid process type "a\/b"/);
  assert.deepEqual(parseScaleRequest(["web=1", "web=2"]), [e("web", 2)]);
});

test("0.31.5 post-create: web=1 without a Procfile", () => {
  assert.deepEqual(updateScale([], [e("web", 1)], undefined), { scale: ["web=1"], scaleOld: [] });
});

test("0.31.5 first deploy: every other Procfile type joins at 0, after what is stored", () => {
  assert.deepEqual(updateScale([e("web", 1)], [], ["web", "worker", "clock"]), { scale: ["web=1", "worker=0", "clock=0"], scaleOld: [] });
});

test("0.31.5 updates go first, then the stored entries they do not name (the recorded `worker=1` / `web=0` order)", () => {
  assert.deepEqual(updateScale([e("web", 1), e("worker", 2)], [e("worker", 1), e("web", 0)], ["web", "worker"]), {
    scale: ["worker=1", "web=0"],
    scaleOld: [],
  });
});

test("0.31.5 a type gone from the Procfile: kept while scaled up, moved to scale.old at 0", () => {
  assert.deepEqual(updateScale([e("web", 1), e("worker", 2), e("clock", 0)], [], ["web"]), {
    scale: ["web=1", "worker=2"],
    scaleOld: ["clock=0"],
  });
});

test("0.31.5 without a Procfile every type at 0 moves to scale.old", () => {
  assert.deepEqual(updateScale([e("web", 1), e("worker", 0)], [], undefined), { scale: ["web=1"], scaleOld: ["worker=0"] });
});

test("0.31.5 scaling up a type the Procfile lacks is refused; scaling it to 0 is not", () => {
  assert.throws(() => updateScale([e("web", 1)], [e("bogus", 1)], ["web", "worker"]), /^DokkuError: bogus is not a valid process name to scale up$/);
  assert.deepEqual(updateScale([e("web", 1)], [e("bogus", 0)], ["web"]), { scale: ["web=1"], scaleOld: ["bogus=0"] });
  // Without a Procfile anything may be scaled.
  assert.deepEqual(updateScale([], [e("bogus", 1)], undefined).scale, ["bogus=1"]);
});

test("0.31.5 clearing (ps-set-scale's clear-existing) starts from the updates", () => {
  assert.deepEqual(updateScale([], [e("worker", 1)], ["web", "worker"]), { scale: ["worker=1", "web=0"], scaleOld: [] });
});

test("0.31.5 ps-current-scale: sorted by type, no final newline", () => {
  assert.equal(renderCurrentScale([e("worker", 1), e("web", 0)]), "web=0\nworker=1");
  assert.equal(renderCurrentScale([]), "");
});

test("0.31.5 ps:scale table: rows sorted by type, as recorded", () => {
  assert.equal(renderScaleTableByType([e("worker", 1), e("web", -1)], false), "proctype: qty\n--------: ---\nweb:  -1\nworker: 1\n");
  assert.equal(renderScaleTableByType([e("web", 1)], true), "web:  1\n");
});

test("can-scale and trigger booleans as Go's ParseBool (false on anything else)", () => {
  for (const t of ["true", "1", "t", "TRUE", "True"]) assert.equal(goBool(t), true, t);
  for (const f of ["false", "", "yes", undefined]) assert.equal(goBool(f), false, String(f));
});

test("procfile-path: app's, else global's, else Procfile; slashes trimmed; never outside the source", () => {
  assert.equal(sourceProcfilePath(undefined, undefined), "Procfile");
  assert.equal(sourceProcfilePath("", "Procfile.global"), "Procfile.global");
  assert.equal(sourceProcfilePath("/deploy/Procfile/", "x"), "deploy/Procfile");
  assert.equal(sourceProcfilePath("/", undefined), "Procfile");
  for (const bad of ["../Procfile", "a/../../b", "a//b", "./Procfile"]) assert.throws(() => sourceProcfilePath(bad, undefined), /Invalid procfile-path/, bad);
});

test("ps:scale --format json: core 0.38.21+'s formation list (sorted, numbers), dokku-ps's object before", () => {
  const formation = [
    { processType: "worker", quantity: 1 },
    { processType: "web", quantity: -1 },
  ];
  // core-ps-0.38.27.log: `ps:scale rdweb --format json`
  assert.equal(renderScaleJson(formation, "formation-list"), '[{"process_type":"web","quantity":-1},{"process_type":"worker","quantity":1}]');
  assert.equal(renderScaleJson([{ processType: "web", quantity: 1 }], "formation-list"), '[{"process_type":"web","quantity":1}]');
  assert.equal(renderScaleJson(formation, "object"), '{"worker":1,"web":-1}');
});
