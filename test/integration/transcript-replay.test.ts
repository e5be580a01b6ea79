/**
 * Issue 11, must-show 6: the command sequence that was run against Dokku
 * 0.24.10's OWN ps (shared/real-dokku/transcripts/steps.sh, recorded in
 * step2-core-ps.log) replayed on host/ with dokku-ps, step by step, text and
 * exit code compared with the record. The record is the oracle: its steps are
 * parsed out of the log, nothing expected is written here.
 *
 * Normalised on both sides (see transcript.ts): container IDs, docker's random
 * names, rename timestamps, waits ("Waiting for 10 seconds", "in 60 seconds":
 * the harness sets both waits to 0), the app name, DOKKU_ROOT, `remote: `
 * prefixes and trailing blanks of pushed output, git's ref lines.
 * Dropped on both sides, with a host/README.md Deviations row: the builder's
 * output (host infrastructure, not ps), and in `docker ps` listings the old
 * releases' containers (Dokku stops them 60 s later and leaves them; the host
 * retires and removes them at once).
 * Every other difference must be a row of README.md's table "Where dokku-ps
 * differs from Dokku 0.24's ps, on purpose": a difference without a row fails,
 * and so does a row that matches no difference in either replayed record (this
 * one or smoke-commands.log, see smoke-replay.test.ts; both tests check the
 * table against both records, which needs only the records).
 *
 * Replayed as recorded: the log's 12th command is `ps:report rdweb --ps-running`
 * (exit 1), while steps.sh now has `--running`; the log is the record.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DOKKU, Host, commitFiles, workTree } from "./harness.ts";
import { RECORDED_APP_FILES, ReplayReport, loadRecords } from "./records.ts";
import {
  RECORDED_ROOT,
  STEP2_APP as RECORDED_APP,
  normaliseListing,
  normaliseOutput,
  releasedNames,
  stepKind,
  summariseInspect,
  type RecordedStep,
} from "./transcript.ts";

// This file concerns Dokku 0.24.10 only: it replays a record of real Dokku 0.24.10's own ps.
export const CONCERNS_DOKKU = "0.24.10";

/** steps.sh's commits between pushes, keyed by the log's `###` markers. */
const COMMITS: Array<[RegExp, Record<string, string | null>]> = [
  [/DOKKU_SCALE in the image/, { DOKKU_SCALE: "web=1\nworker=3\n" }],
  [/DOKKU_SCALE removed/, { DOKKU_SCALE: null }],
];

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

/** Runs argv with stdout and stderr on one pipe, in the order written, as the recording did (`2>&1`). */
const combined = (argv: string[], cwd?: string) => host.combined(argv, cwd);

test("Dokku 0.24's own ps transcript replayed on host/ with dokku-ps", { timeout: 30 * 60_000 }, async () => {
  const { step2: expectations, smoke, table } = loadRecords();
  assert.ok(expectations.length >= 30, `parsed ${expectations.length} steps`);

  const app = host.appName("rd");
  const src = await workTree(RECORDED_APP_FILES);
  const hostNorm = { app, root: host.home };
  let hostCurrent: string[] = [];
  const report = new ReplayReport(table);

  for (const [index, { step, command, kind, expected, section }] of expectations.entries()) {
    for (const marker of step.markers) {
      const commit = COMMITS.find(([re]) => re.test(marker));
      assert.ok(commit, `no commit known for marker "${marker}"`);
      await commitFiles(src, commit[1]);
    }
    const label = `#${index + 1} $ ${command}`;
    let actual: string;
    if (kind === "listing") {
      const r = await combined(["docker", "ps", "-a", "--filter", `label=com.dokku.app-name=${app}`, "--filter", "label=com.dokku.container-type=deploy", "--format", '{{.Names}}\t{{.Status}}\t{{.Label "com.dokku.process-type"}}']);
      assert.equal(r.code, 0, r.text);
      actual = normaliseListing(r.text, app, hostCurrent);
    } else {
      const r = await runStep(step, app, src);
      actual = step.command.startsWith(`dokku ps:inspect`) ? summariseInspect(r.text, app) : normaliseOutput(r.text, { ...hostNorm, pushed: kind === "push" });
      actual += `\n[exit ${r.code}]`;
      hostCurrent = releasedNames(actual) ?? hostCurrent;
    }
    report.compare(label, command, expected, actual, section);
  }
  // Every row must be needed by one of the replayed records (this one or smoke-commands.log).
  report.finish([...expectations, ...smoke]);
});

async function runStep(step: RecordedStep, app: string, src: string): Promise<{ text: string; code: number }> {
  const words = step.command.split(" ").map((w) => w.split(RECORDED_APP).join(app));
  switch (stepKind(step)) {
    case "dokku":
      return combined([DOKKU, ...words.slice(1)]);
    case "push":
      // `git push dokku master` with the remote `ext::dokku %S <app>`, as steps.sh.
      return combined(["git", "-c", "protocol.ext.allow=always", "push", `ext::${DOKKU} %S ${app}`, "HEAD:master"], src);
    case "cat":
      return combined(["cat", (words[1] as string).replace(RECORDED_ROOT, host.home)]);
    default:
      throw new Error(`not runnable: ${step.command}`);
  }
}
