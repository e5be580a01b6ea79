import { test } from "node:test";
import assert from "node:assert/strict";
import { finalError, failureWarning, finishedLine, planRun, shortReason, startLine, summaryLine } from "../../src/core/all-apps.ts";
import { parseParallel } from "../../src/core/parallel.ts";
import { deployBranchCandidates, isCommitId, isSafeBranchName, runningStateFromStatus } from "../../src/core/source.ts";

const serial = { mode: "serial" } as const;
const parallel = { mode: "parallel", workers: 3, fromCpuCount: false } as const;

test("--all plan: Dokku's warnings per --parallel value", () => {
  assert.deepEqual(planRun("restart", parseParallel(undefined, 4)), { concurrency: serial, warnings: ["Running restart in serial mode"] });
  assert.deepEqual(planRun("stop", parseParallel("1", 4)).warnings, ["Running stop in serial mode"]);
  assert.deepEqual(planRun("start", parseParallel("3", 4)), { concurrency: parallel, warnings: [] });
  assert.deepEqual(planRun("rebuild", parseParallel("-1", 4)), {
    concurrency: { mode: "parallel", workers: 4, fromCpuCount: true },
    warnings: ["Setting --parallel=-1 value to CPU count of 4"],
  });
  // One CPU: Dokku sets the count to 1, which is its serial mode.
  assert.deepEqual(planRun("restore", parseParallel("-1", 1)), {
    concurrency: serial,
    warnings: ["Setting --parallel=-1 value to CPU count of 1", "Running restore in serial mode"],
  });
  assert.throws(() => parseParallel("-2", 4), /^DokkuError: Invalid value -2 for --parallel flag$/);
});

test("--all lines: Dokku's wording in serial and parallel mode", () => {
  assert.equal(startLine("restart", "a", serial), "Running restart against app a");
  assert.equal(startLine("restart", "a", parallel), "Running command against a");
  const failed = { app: "a", ok: false, reason: "boom" };
  assert.equal(failureWarning("stop", failed, serial), "Error running stop against app a: boom");
  assert.equal(failureWarning("stop", failed, parallel), "Error running stop against a: boom");
  assert.equal(finishedLine(failed), "a: failed (boom)");
  assert.equal(finishedLine({ app: "b", ok: true, reason: "" }), "b: ok");
});

test("--all summary and final error", () => {
  const outcomes = [
    { app: "a", ok: true, reason: "" },
    { app: "b", ok: false, reason: "x" },
    { app: "c", ok: true, reason: "" },
  ];
  const summary = summaryLine("restart", outcomes);
  assert.equal(summary, "restart --all: 2 succeeded, 1 failed");
  // Must not look like a test runner's "N passed, M failed" summary.
  assert.doesNotMatch(summary, /^\d+ (passed|succeeded), \d+ failed$/);
  assert.equal(finalError("restart", outcomes, serial), "restart command returned 1 errors");
  assert.equal(finalError("restart", outcomes, parallel), "Encountered 1 errors during parallel run");
  assert.equal(finalError("restart", outcomes.filter((o) => o.ok), serial), undefined);
  assert.equal(summaryLine("stop", []), "stop --all: 0 succeeded, 0 failed");
});

test("short reason: last Dokku error line, else exit status", () => {
  assert.equal(shortReason(" !     first\nnoise\n !     Image dokku/x:latest not found\n", 1), "Image dokku/x:latest not found");
  assert.equal(shortReason("\u001b[31m !     coloured\u001b[0m\n", 1), "coloured");
  assert.equal(shortReason("invalid argument x\n\nUsage: docker\n", 125), "invalid argument x (exit status 125)");
  assert.equal(shortReason("\n", 3), "exit status 3");
  assert.equal(shortReason("", undefined, "SIGKILL"), "killed by SIGKILL");
  assert.equal(shortReason(` !     ${"x".repeat(500)}`, 1).length, 200);
});

test("deploy branch candidates: property, master, main", () => {
  assert.deepEqual(deployBranchCandidates(undefined), ["master", "main"]);
  assert.deepEqual(deployBranchCandidates("main"), ["main", "master"]);
  assert.deepEqual(deployBranchCandidates(" prod\n"), ["prod", "master", "main"]);
  assert.deepEqual(deployBranchCandidates("--upload-pack=x"), ["master", "main"]);
  for (const bad of ["", "-x", "a..b", "a b", "a:b", "a^", "HEAD@{1}", "x.lock", "a\\b"]) assert.equal(isSafeBranchName(bad), false, bad);
  for (const good of ["main", "release/1.2", "feature_x"]) assert.equal(isSafeBranchName(good), true, good);
  assert.equal(isCommitId("a".repeat(40)), true);
  assert.equal(isCommitId("a".repeat(39)), false);
  assert.equal(isCommitId(""), false);
});

test("running state from scheduler-app-status", () => {
  assert.equal(runningStateFromStatus("2 true\n"), "true");
  assert.equal(runningStateFromStatus("1 mixed"), "mixed");
  assert.equal(runningStateFromStatus("0 false"), "false");
  assert.equal(runningStateFromStatus(""), "");
});
