/**
 * Issue 14, must-show 5: the commands that were run against Dokku 0.31.5's
 * OWN ps (shared/real-dokku-0.31.5/transcripts/core-ps-0.31.5.log, then
 * core-ps-0.31.5-extra.log; copies in test/fixtures/real-dokku-0.31.5/)
 * replayed in order on a 0.31.5 host/ with dokku-ps, each step's text and exit
 * code compared with the record. The records are the oracle: their steps are
 * parsed out of the logs, nothing expected is written here.
 *
 * The app is the record's: a Dockerfile app on the busybox base with
 * `CMD ["/bin/sh","-c","while true; do sleep 1; done"]` and Procfile
 * `web`/`worker: sleep 86400`; the log's `###` comments say what was committed
 * before a push (COMMITS below). The work tree's branch is `master` with a
 * remote `dokku` = `ext::dokku %S <app>`, as the recording's.
 *
 * Normalised on both sides (transcript.ts, the 0.24 replays' normaliser with
 * the `escapes` and `lib` options): container IDs, upcoming-/timestamp
 * suffixes, waits, the app name, DOKKU_ROOT and DOKKU_LIB_ROOT, `remote: `
 * prefixes, the `ESC[1G` prefixes and colour codes, trailing blanks (the
 * healthchecker pads its lines), git's ref lines and revisions, the builder's
 * output; `ls -l`'s dates, totals, directory sizes and the `..` link count;
 * ps:inspect's hostname, proxy port and the Env entries only Dokku's own
 * builder/git plugins set; docker inspect's line count. `docker ps` listings
 * keep only the current release's containers, as in the 0.24 replay (see
 * normaliseListing; host/README.md Deviations).
 *
 * Not replayed as recorded, each with a host/README.md Deviations row:
 * - `plugn version`, the plugn-stdin-repro.js run and its output file: plugn's
 *   own stdin behaviour; host/'s plugn is a stand-in (plugn-stdin.test.ts
 *   covers dokku-ps's side). Not run.
 * - `dokku ps:start --all --parallel 2`, `dokku ps:restart --all --parallel -1`:
 *   the record interleaves the other apps' (upg, upg2) lines by timing. Run, so
 *   the next listings compare the state they leave; their text is not compared.
 * - Commands over every app (`dokku ps:report`, `apps:list`, `ps:restore`,
 *   `ps:stop --all`, the `data/ps/` listings): the recording host also had
 *   `upg` and `upg2`; the record's text keeps only this app's part (scopeToApp).
 * - After `ps:scale <app> web=-1`, which dokku-ps refuses (README row), the
 *   replay runs `ps:scale <app> web=0` (not compared): the nearest formation
 *   dokku-ps accepts to the one 0.31.5 stored, so the later steps compare
 *   (their `-1`s are README rows too).
 *
 * Every other difference must be a row of README.md's table "Where dokku-ps
 * differs from Dokku 0.31's ps, on purpose": a difference without a row fails,
 * and so does a row that no step of these records needs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Host, commitFiles, run, workTree, cleanEnv } from "./harness.ts";
import { COMMITS_031, RECORDED_APP_FILES_031, ReplayReport, loadRecords031 } from "./records.ts";
import { CORE031_APP, RECORDED_LIB, RECORDED_ROOT, expected031, releasedNames, type Expectation031 } from "./transcript.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.31.5 only: real Dokku 0.31.5's own ps record.
export const CONCERNS_DOKKU = "0.31.5";

/** The log's `###` comments: files committed before the next push (records.ts). */
const COMMITS = COMMITS_031;
/** Comments that commit nothing. */
const NO_COMMIT = [/^d\. core ps/, /^faster deploys/, /^0\.31\.5 reads wait-to-retire/, /^apps besides/, /^e\. extras/, /^plugn stdin test/, /^the same through dokku/];

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

test("Dokku 0.31.5's own ps records replayed on a 0.31.5 host/ with dokku-ps", { timeout: 40 * 60_000 }, async () => {
  const { steps, table } = loadRecords031();
  assert.ok(steps.length >= 130, `parsed ${steps.length} steps`);

  const app = host.appName("rd");
  const src = await workTree(RECORDED_APP_FILES_031);
  const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-C", src, ...args], { env: cleanEnv() });
  assert.equal((await git("branch", "-m", "master")).code, 0);
  assert.equal((await git("remote", "add", "dokku", `ext::dokku %S ${app}`)).code, 0);
  const scratch = tempDir("dokku-ps-replay031-");
  const report = new ReplayReport(table, "Dokku 0.31.5");
  let hostCurrent: string[] = [];
  const compared: Expectation031[] = [];

  for (const [index, e] of steps.entries()) {
    for (const marker of e.step.markers) {
      if (NO_COMMIT.some((re) => re.test(marker))) continue;
      const commit = COMMITS.find(([re]) => re.test(marker));
      assert.ok(commit, `no commit known for the comment "${marker}"`);
      await commitFiles(src, commit[1]);
      if (commit[2]) assert.equal((await git("commit", "-q", "--amend", "-m", commit[2])).code, 0);
    }
    if (e.kind === "dropped") continue;
    const label = `${e.record} #${index + 1} $ ${e.command}`;
    const cmd = e.step.command
      .split("./apps/rdweb").join(src)
      .split("/tmp/rd31-inspect.txt").join(join(scratch, "rd31-inspect.txt"))
      .split("cd /tmp &&").join(`cd ${scratch} &&`)
      .split(RECORDED_ROOT).join(host.home)
      .split(RECORDED_LIB).join(host.lib)
      .split(CORE031_APP).join(app);
    const r = await host.combined(["bash", "-c", cmd]);
    const text = expected031(r.text, e, e.command, app, host.home, host.lib, hostCurrent);
    if (e.kind === "listing" || e.kind === "restarts") {
      assert.equal(r.code, 0, `${label}: ${r.text}`);
      report.compare(label, e.command, e.expected, text, e.section);
      compared.push(e);
      continue;
    }
    hostCurrent = releasedNames(text) ?? hostCurrent;
    if (e.kind !== "unchecked") {
      report.compare(label, e.command, e.expected, `${text}\n[exit ${r.code}]`, e.section);
      compared.push(e);
    }
    if (e.command === "dokku ps:scale <app> web=-1") {
      // dokku-ps refuses web=-1 (README row); the nearest formation it accepts.
      const bridge = await host.combined(["bash", "-c", `dokku ps:scale ${app} web=0`]);
      assert.equal(bridge.code, 0, bridge.text);
      hostCurrent = releasedNames(expected031(bridge.text, { kind: "dokku" }, "", app, host.home, host.lib, [])) ?? hostCurrent;
    }
  }
  // Every row must be needed by some compared step of these records.
  report.finish(compared);
});
