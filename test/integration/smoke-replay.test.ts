/**
 * Issue 11, must-show 6, second record: smoke.sh (shared/real-dokku/smoke.sh,
 * kept in test/fixtures/real-dokku/) was run on a real Dokku 0.24.10 with its
 * OWN ps; its `run` helper kept each command's combined output in
 * smoke-commands.log, and smoke-fresh.log is that run's report (28 checks
 * passed). Here the same `run` calls are replayed in order on host/ with
 * dokku-ps (same app files, same commits, a `git push` through
 * `dokku git-receive-pack` as smoke.sh's ext:: remote) and each output and exit
 * code is compared with the record.
 *
 * The log holds outputs only: transcript.ts's SMOKE_STEPS names smoke.sh's
 * commands in order and where each output begins, and parseSmoke fails when
 * the log does not cut into exactly those outputs. Exit codes are the ones
 * smoke.sh checked and its report shows passed (`[exit 0]`, `[exit non-zero]`
 * for the refused ps:scale); the commands it did not check show
 * `[exit not recorded]` in the record's text, and the host's code is then
 * compared with what the same command exits in step2-core-ps.log (ps:scale,
 * `--ps-restart-policy`, `--ps-can-scale`: 0) or, for `--running` and the
 * docker inspect, with 0 (a command that printed the value smoke.sh accepted).
 *
 * Normalised on both sides by transcript.ts, as the step-2 replay (see
 * transcript-replay.test.ts): IDs, random names, timestamps, waits, the app
 * name, DOKKU_ROOT, `remote: ` prefixes, git's ref lines, the builder's output.
 * The host's outputs go through what `run` does to them (final newlines
 * dropped, `ESC[1G` removed). Every other difference must be a row of
 * README.md's table; a row that no record needs fails both replays.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOKKU, Host, commitFiles, workTree } from "./harness.ts";
import { RECORDED_APP_FILES, ReplayReport, loadRecords } from "./records.ts";
import {
  SMOKE_INSPECT_FORMAT,
  asSmokeRun,
  exitLine,
  hostExitLine,
  normaliseOutput,
  type SmokeStep,
} from "./transcript.ts";

// This file concerns Dokku 0.24.10 only: it replays a record of real Dokku 0.24.10's own ps.
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

interface Outcome {
  text: string;
  code: number;
}

/** `OUT=$("$@" 2>&1)` as smoke.sh's `run`: one pipe for both streams, stdin not a terminal. */
async function combined(argv: string[], cwd?: string): Promise<Outcome> {
  const r = await host.combined(argv, cwd);
  return { text: asSmokeRun(r.text), code: r.code };
}

async function runStep(step: SmokeStep, app: string, src: string): Promise<Outcome> {
  switch (step.kind) {
    case "dokku":
      return combined([DOKKU, ...step.command.split(" ").slice(1).map((w) => w.split("<app>").join(app))]);
    case "push":
      // `git push dokku master`, the remote being `ext::dokku %S <app>`, as smoke.sh.
      return combined(["git", "-c", "protocol.ext.allow=always", "push", `ext::${DOKKU} %S ${app}`, "HEAD:master"], src);
    case "inspect": {
      let cid = "";
      try {
        cid = readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim();
      } catch {
        // as `$(cat … 2>/dev/null)`: empty
      }
      return combined(["docker", "container", "inspect", "-f", SMOKE_INSPECT_FORMAT, cid]);
    }
  }
}

test("Dokku 0.24's own ps in smoke.sh's run, replayed on host/ with dokku-ps", { timeout: 30 * 60_000 }, async () => {
  const { step2, smoke: expectations, table } = loadRecords();
  assert.equal(expectations.length, 15);

  const app = host.appName("rd");
  const src = await workTree(RECORDED_APP_FILES);
  const report = new ReplayReport(table);

  for (const [index, { step, command, expected: recorded, exitCode }] of expectations.entries()) {
    if (step.commit) await commitFiles(src, step.commit);
    const label = `#${index + 1} $ ${command}`;
    const r = await runStep(step, app, src);
    const text = normaliseOutput(r.text, { app, root: host.home, pushed: step.kind === "push" });
    let expected = recorded;
    let actual = `${text}\n${hostExitLine(r.code, exitCode ?? 0)}`;
    if (exitCode === undefined) {
      // Not recorded: compared with step2-core-ps.log's exit for the same command, else with 0.
      const same = step2.find((e) => e.command === command && e.kind === "dokku");
      const code = same ? Number(/\[exit (\d+)\]$/.exec(same.expected)?.[1]) : 0;
      expected = expected.replace(/\n\[exit not recorded\]$/, `\n${exitLine(code)}`);
      actual = `${text}\n${exitLine(r.code)}`;
    }
    report.compare(label, command, expected, actual);
  }
  // Every row must be needed by one of the replayed records (this one or step2-core-ps.log).
  report.finish([...step2, ...expectations]);
  // The app is gone, as after smoke.sh's apps:destroy.
  assert.equal((await combined(["test", "-e", join(host.home, app)])).code, 1, "app dir left after apps:destroy");
});
