/**
 * Issue 21, must-show 4: the commands that were run against Dokku 0.38.27's
 * OWN ps (shared/real-dokku-0.38.27/transcripts/core-ps-0.38.27.log, then
 * core-ps-0.38.27-extra.log; copies in test/fixtures/real-dokku-0.38.27/)
 * replayed in order on a 0.38.27 host/ with dokku-ps, each step's text and
 * exit code compared with the record. The records are the oracle: their steps
 * are parsed out of the logs, nothing expected is written here.
 *
 * The app is the record's (repo state `init`): a Dockerfile app on the
 * busybox base with `CMD ["/bin/sh","-c","while true; do sleep 1; done"]` and
 * Procfile `web`/`worker: sleep 86400`; the log's `###` comments say what was
 * committed before a push (records.ts COMMITS_038; the skip-deploy push is of
 * an empty commit). The work tree's branch is `master` with a remote `dokku` =
 * `ext::dokku %S <app>`, as the recording's; the record's `./rd38-inspect.txt`
 * is written in a scratch dir.
 *
 * Normalised on both sides as in the 0.31.5 replay (transcript.ts,
 * expected031): container and image IDs, upcoming-/timestamp suffixes,
 * waits, the app name, DOKKU_ROOT and DOKKU_LIB_ROOT, `remote: ` prefixes,
 * the colour codes and `ESC[1G` prefixes (0.38.27 prints none), trailing
 * blanks, git's ref lines and revisions, the builder's output (with 0.38's
 * line breaks after `Sending build context`); `ls -l`'s dates, totals,
 * directory sizes and the `..` entry; ps:inspect's host-only Env entries and
 * labels; `docker ps` listings keep only the current release's containers.
 *
 * The recording host's state before the first step, as its README says it
 * was found (not a step): core ps installed (host/'s stand-in, laid as the
 * package lays it), then dokku-ps installed over it by install.sh; checks
 * `--global default-wait 1` and `wait-to-retire 1`; no app. Between the main record and the extra log's
 * supplement the recorder undid the replayed global `config:set` with
 * `config:unset --global --no-restart` (its README, "After the run"): the
 * replay does the same at that `###` comment (not compared).
 *
 * Not replayed as recorded (classify038):
 * - the plugn stdin test and the tools' own versions (`plugn version`,
 *   `sigil -v`, …, `docker version`, `git --version`, `node --version`):
 *   the recording machine's, not ps. Not run.
 * - `ls -la` of the ps plugin dir: its files' types and sizes (Go binaries
 *   vs dokku-ps's bundle); the names are compared at the `ls` before. Not run.
 * - `ls -ld` of plugins/available/ps and its links (the extra log's last
 *   step): the recording host's core ps was built from source (its dirs'
 *   modes are the build's), and dokku-ps's install.sh puts itself in a plugin
 *   dir of its own, core ps kept aside for `--uninstall`. Not run.
 * - `dokku ps:retire`: it retired every container and image the recording
 *   host had registered, also of apps destroyed long before. Run, not
 *   compared (the next listings compare the state it leaves).
 * - `dokku plugin:list`: compared on its `ps` line.
 * - After `ps:scale <app> web=-1`, which dokku-ps refuses (README row), the
 *   replay runs `ps:scale <app> web=0` (not compared), as the 0.31.5 replay.
 *
 * Every other difference must be a row of README.md's table "Where dokku-ps
 * differs from Dokku 0.38's ps, on purpose": a difference without a row
 * fails, and so does a row that no step of these records needs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Host, REPO, commitFiles, run, workTree, cleanEnv } from "./harness.ts";
import { BETWEEN_038 as BETWEEN, COMMITS_038 as COMMITS, NO_COMMIT_038 as NO_COMMIT, RECORDED_APP_FILES_038, ReplayReport, loadRecords038 } from "./records.ts";
import { CORE038_APP, RECORDED_LIB, RECORDED_ROOT, expected031, releasedNames, type Expectation031 } from "./transcript.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.38.27 only: real Dokku 0.38.27's own ps record.
export const CONCERNS_DOKKU = "0.38.27";

let host: Host;
before(async () => {
  // As on the recording host, core ps is installed first (plugins/available/ps a link into
  // core-plugins/available/ps); dokku-ps is installed over it, as an operator does.
  host = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
  await host.layCorePs();
  const install = await run(join(REPO, "install.sh"), [], { env: host.env() });
  assert.equal(install.code, 0, install.stderr);
  // The recording host as it was found: checks --global default-wait 1 and wait-to-retire 1
  // (the properties as Dokku keeps them: dokku-owned 0600 files without a final newline).
  for (const key of ["default-wait", "wait-to-retire"]) host.seedFile(join(host.lib, "config", "checks", "--global", key), "1", 0o600);
});
after(async () => {
  await host?.destroy();
});

test("Dokku 0.38.27's own ps records replayed on a 0.38.27 host/ with dokku-ps", { timeout: 60 * 60_000 }, async () => {
  const { steps, table } = loadRecords038();
  assert.ok(steps.length >= 370, `parsed ${steps.length} steps`);

  const app = host.appName("rd");
  const src = await workTree(RECORDED_APP_FILES_038);
  const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-C", src, ...args], { env: cleanEnv() });
  assert.equal((await git("branch", "-m", "master")).code, 0);
  assert.equal((await git("remote", "add", "dokku", `ext::dokku %S ${app}`)).code, 0);
  const scratch = tempDir("dokku-ps-replay038-");
  const report = new ReplayReport(table, "Dokku 0.38.27");
  let hostCurrent: string[] = [];
  const compared: Expectation031[] = [];

  for (const [index, e] of steps.entries()) {
    for (const marker of e.step.markers) {
      for (const [re, argv] of BETWEEN) {
        if (!re.test(marker)) continue;
        const r = await host.dokku(...argv);
        assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
      }
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
      .split("./rd38-inspect.txt").join(join(scratch, "rd38-inspect.txt"))
      .split(RECORDED_ROOT).join(host.home)
      .split(RECORDED_LIB).join(host.lib)
      .split(CORE038_APP).join(app);
    const r = await host.combined(["bash", "-c", cmd], scratch);
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
    if (e.command === "dokku ps:scale <app> web=-1" && r.code !== 0) {
      // dokku-ps refuses web=-1 (README row); the nearest formation it accepts.
      const bridge = await host.combined(["bash", "-c", `dokku ps:scale ${app} web=0`]);
      assert.equal(bridge.code, 0, bridge.text);
      hostCurrent = releasedNames(expected031(bridge.text, { kind: "dokku" }, "", app, host.home, host.lib, [])) ?? hostCurrent;
    }
  }
  // Every row must be needed by some compared step of these records.
  report.finish(compared);
});
