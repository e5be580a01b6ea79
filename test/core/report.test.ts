import { test } from "node:test";
import assert from "node:assert/strict";
import { labelForFlag, renderReport, renderReportJson, reportValue } from "../../src/core/report.ts";

const fields = [
  { flag: "--running", value: "true" },
  { flag: "--deployed", value: "true" },
  { flag: "--processes", value: "1" },
  { flag: "--ps-can-scale", value: "true" },
  { flag: "--ps-restart-policy", value: "on-failure:10" },
  { flag: "--restore", value: "true" },
  { flag: "--status-web.1", value: "running (CID: 3f1e2d4c5b6)" },
  { flag: "--ps-stop-timeout-seconds", value: "10", extra: true },
];

test("labels follow Dokku's rule", () => {
  assert.equal(labelForFlag("--ps-can-scale"), "Ps can scale");
  assert.equal(labelForFlag("--status-web.1"), "Status web 1");
});

test("stdout report is byte-equal to Dokku 0.24's layout (contract example)", () => {
  const golden =
    "=====> node-js-app ps information\n" +
    "       Deployed:                      true\n" +
    "       Processes:                     1\n" +
    "       Ps can scale:                  true\n" +
    "       Ps restart policy:             on-failure:10\n" +
    "       Restore:                       true\n" +
    "       Running:                       true\n" +
    "       Status web 1:                  running (CID: 3f1e2d4c5b6)\n";
  assert.equal(renderReport("node-js-app", fields, false), golden);
  assert.equal(renderReport("node-js-app", fields, true), golden.split("\n").slice(1).join("\n"));
});

test("json has every field, keys sorted, values strings", () => {
  const parsed = JSON.parse(renderReportJson(fields));
  assert.equal(parsed["ps-restart-policy"], "on-failure:10");
  assert.equal(parsed["ps-stop-timeout-seconds"], "10");
  assert.deepEqual(Object.keys(parsed), Object.keys(parsed).slice().sort());
});

test("a single flag gives the bare value; an unknown one lists the valid flags", () => {
  assert.equal(reportValue(fields, "--ps-restart-policy"), "on-failure:10");
  assert.throws(() => reportValue(fields, "--nope"), /Invalid flag passed, valid flags: --deployed, --processes, /);
});

test("0.30+ labels: padded to the longest flag (at least 31): 0.38's values at column 42, a long status flag widens the block", () => {
  const fields = [
    { flag: "--ps-computed-stop-timeout-seconds", value: "30" },
    { flag: "--ps-procfile-path", value: "" },
  ];
  assert.equal(
    renderReport("rdweb", fields, false, "longest-flag"),
    "=====> rdweb ps information\n       Ps computed stop timeout seconds: 30\n       Ps procfile path:                 \n",
  );
  const short = [{ flag: "--deployed", value: "true" }];
  assert.equal(renderReport("a", short, true, "longest-flag"), renderReport("a", short, true, "fixed"));
  const long = [{ flag: "--deployed", value: "true" }, { flag: `--status-${"w".repeat(30)}.1`, value: "running (CID: abc)" }];
  assert.equal(renderReport("a", long, true, "longest-flag").split("\n")[0], `       Deployed:${" ".repeat(41 - 9)}true`);
});

test("0.38.8+ json: each --ps- flag twice (trimmed and legacy), others once, sorted; Go's escaping", () => {
  const fields = [
    { flag: "--running", value: "true" },
    { flag: "--ps-can-scale", value: "true" },
    { flag: "--status-web.1", value: "running (CID: x)" },
    { flag: "--ps-start-cmd", value: "a > b & <c>" },
  ];
  assert.equal(
    renderReportJson(fields, "trimmed-and-legacy"),
    '{"can-scale":"true","ps-can-scale":"true","ps-start-cmd":"a \\u003e b \\u0026 \\u003cc\\u003e","running":"true","start-cmd":"a \\u003e b \\u0026 \\u003cc\\u003e","status-web.1":"running (CID: x)"}',
  );
  assert.equal(renderReportJson(fields.slice(0, 2)), '{"ps-can-scale":"true","running":"true"}');
});
