import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DOCKER_DEFAULT_STOP_TIMEOUT,
  assertFormatWithFlag,
  computedStopTimeout,
  parseAppStatus,
  restoreValue,
  singleInfoFlag,
  statusValue,
  wantsStatusRows,
} from "../../src/core/ps-report.ts";
import { assertPsProperty, normalizePropertyValue, parseSetPositionals } from "../../src/core/ps-properties.ts";
import { parseArgs } from "../../src/cli-args.ts";

test("one info flag at most", () => {
  assert.equal(singleInfoFlag([]), undefined);
  assert.equal(singleInfoFlag(["--running"]), "--running");
  assert.throws(() => singleInfoFlag(["--running", "--deployed"]), /^DokkuError: ps:report command allows only a single flag$/);
});

test("--format other than stdout refuses an info flag", () => {
  assertFormatWithFlag("stdout", "--running");
  assertFormatWithFlag("json", undefined);
  assert.throws(() => assertFormatWithFlag("json", "--running"), /--format flag cannot be specified when specifying an info flag/);
  assert.throws(() => assertFormatWithFlag("yaml", "--running"), /--format flag/);
});

test("status rows only without an info flag or for a --status- one", () => {
  assert.equal(wantsStatusRows(undefined), true);
  assert.equal(wantsStatusRows("--status-web.1"), true);
  assert.equal(wantsStatusRows("--running"), false);
});

test("scheduler-app-status parsing", () => {
  assert.deepEqual(parseAppStatus("2 true\n"), { processes: "2", running: "true" });
  assert.deepEqual(parseAppStatus("0 false"), { processes: "0", running: "false" });
  assert.deepEqual(parseAppStatus("3 mixed"), { processes: "3", running: "mixed" });
  assert.deepEqual(parseAppStatus(""), { processes: "-1", running: "" });
  assert.deepEqual(parseAppStatus("x true"), { processes: "-1", running: "true" });
});

test("status value: state and 11-char CID, missing when unknown", () => {
  const id = "3f1e2d4c5b6a7980".padEnd(64, "0");
  assert.equal(statusValue("running", id), "running (CID: 3f1e2d4c5b6)");
  assert.equal(statusValue(undefined, id), "missing (CID: 3f1e2d4c5b6)");
  assert.equal(statusValue("exited", id), "exited (CID: 3f1e2d4c5b6)");
});

test("restore: DOKKU_APP_RESTORE decides; without it the app then global property; default true", () => {
  assert.equal(restoreValue("0", undefined, undefined), "false");
  assert.equal(restoreValue("1", "false", "false"), "true");
  assert.equal(restoreValue("anything", undefined, undefined), "true");
  assert.equal(restoreValue(undefined, undefined, undefined), "true");
  assert.equal(restoreValue(undefined, "false", "true"), "false");
  assert.equal(restoreValue(undefined, undefined, "false"), "false");
  assert.equal(restoreValue("", "true", "false"), "true");
});

test("computed stop timeout: app, global, config, docker default", () => {
  assert.equal(computedStopTimeout("5", "7", "9"), "5");
  assert.equal(computedStopTimeout(undefined, "7", "9"), "7");
  assert.equal(computedStopTimeout(undefined, undefined, "9"), "9");
  assert.equal(computedStopTimeout(undefined, undefined, "junk"), DOCKER_DEFAULT_STOP_TIMEOUT);
  assert.equal(computedStopTimeout(undefined, undefined, undefined), "10");
});

test("ps:set positionals with and without --global", () => {
  assert.deepEqual(parseSetPositionals(["app", "restore", "false"], false), { app: "app", key: "restore", value: "false" });
  assert.deepEqual(parseSetPositionals(["restore", "false"], true), { app: undefined, key: "restore", value: "false" });
  assert.deepEqual(parseSetPositionals(["app"], false), { app: "app", key: "", value: "" });
});

test("ps:set keys", () => {
  assert.equal(assertPsProperty("restore"), "restore");
  assert.throws(() => assertPsProperty(""), /^DokkuError: No property specified$/);
  assert.throws(
    () => assertPsProperty("bogus"),
    /^DokkuError: Invalid property specified, valid properties include: restart-policy, restore, stop-timeout-seconds$/,
  );
});

test("ps:set values", () => {
  assert.equal(normalizePropertyValue("restart-policy", "no"), "no");
  assert.equal(normalizePropertyValue("restart-policy", "on-failure:3"), "on-failure:3");
  assert.equal(normalizePropertyValue("restart-policy", ""), undefined);
  assert.throws(() => normalizePropertyValue("restart-policy", "sometimes"), /^DokkuError: Invalid restart-policy specified$/);
  assert.equal(normalizePropertyValue("restore", "false"), "false");
  assert.throws(() => normalizePropertyValue("restore", "0"), /Invalid restore specified/);
  assert.equal(normalizePropertyValue("stop-timeout-seconds", "007"), "7");
  assert.equal(normalizePropertyValue("stop-timeout-seconds", "0"), "0");
  for (const bad of ["-1", "1.5", "x", "86401", " 3"]) {
    assert.throws(() => normalizePropertyValue("stop-timeout-seconds", bad), /Invalid stop-timeout-seconds specified/, bad);
  }
});

test("report args: a free flag never swallows the app that follows it", () => {
  const spec = { strings: ["format"], freeFlags: true };
  const a = parseArgs(["--ps-restart-policy", "myapp"], spec);
  assert.deepEqual([a.positionals, a.rawFlags], [["myapp"], ["--ps-restart-policy"]]);
  const b = parseArgs(["myapp", "--status-web.1", "--format", "json"], spec);
  assert.deepEqual([b.positionals, b.rawFlags, b.string("format")], [["myapp"], ["--status-web.1"], "json"]);
  const c = parseArgs(["--format=json", "--quiet", "myapp"], spec);
  assert.deepEqual([c.positionals, c.rawFlags, c.string("format")], [["myapp"], [], "json"]);
});
