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
