/**
 * Dokku 0.35.20's ps differs from 0.31.5's in a few ps-visible ways
 * (shared/real-dokku-0.35.20/README.md): `ps:stop` prints `-----> Stopping
 * <app>`, the plugin dir has `post-release-builder` and no `pre-deploy`, and
 * the rest of what ps prints is the same (the `ps:report` flags and rows,
 * `ps:help`, the errors). On a host whose VERSION is v0.35.20, dokku-ps's
 * outputs for those steps are compared with the record
 * (test/fixtures/real-dokku-0.35.20/, copies of the shared records), each
 * step found in the record by its command and normalised as the 0.31.5 replay
 * does (transcript.ts). Not a full replay of core-ps-0.35.20.log.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Host, REPO, workTree } from "./harness.ts";
import { RECORDED_APP_FILES_031 } from "./records.ts";
import { CORE031_APP, RECORDED_LIB, RECORDED_ROOT, classify031, expected031, lineDiff, parseTranscript, type RecordedStep } from "./transcript.ts";

const RECORDS = join(REPO, "test", "fixtures", "real-dokku-0.35.20");
const steps = [
  ...parseTranscript(readFileSync(join(RECORDS, "core-ps-0.35.20.log"), "utf8")),
  ...parseTranscript(readFileSync(join(RECORDS, "core-ps-0.35.20-extra.log"), "utf8")),
];

/** The record's first step with this command (the app as `rdweb`). */
function recorded(command: string): RecordedStep {
  const step = steps.find((s) => s.command === command);
  assert.ok(step, `no step "${command}" in the 0.35.20 record`);
  return step;
}

let host: Host;
let app: string;
before(async () => {
  host = await Host.create({ version: "0.35.20" });
  app = host.appName("rd35");
  assert.equal((await host.dokku("apps:create", app)).code, 0);
  assert.equal((await host.dokku("proxy:disable", app)).code, 0);
  const push = await host.push(app, await workTree(RECORDED_APP_FILES_031));
  assert.equal(push.code, 0, push.stderr);
});
after(async () => {
  await host?.destroy();
});

/** Runs the record's command on the host and compares text and exit code, both normalised. */
async function same(command: string): Promise<void> {
  const step = recorded(command);
  const how = classify031(step.command);
  const label = step.command.split(CORE031_APP).join("<app>");
  const expected = `${expected031(step.output, how, label, CORE031_APP, RECORDED_ROOT, RECORDED_LIB, [])}\n[exit ${step.exitCode}]`;
  const cmd = step.command.split(RECORDED_LIB).join(host.lib).split(CORE031_APP).join(app);
  const r = await host.combined(["bash", "-c", cmd]);
  const actual = `${expected031(r.text, how, label, app, host.home, host.lib, [])}\n[exit ${r.code}]`;
  assert.equal(actual, expected, `${label}: differs from Dokku 0.35.20's record\n${lineDiff(expected, actual)}`);
}

test("0.35.20: ps:report's flags and rows as core ps 0.35.20's (text report of a fresh deploy, the invalid-flag list)", async () => {
  await same("dokku ps:report rdweb");
  await same("dokku ps:report rdweb --nonsense");
  await same("dokku ps:report rdweb --ps-can-scale");
});

test("0.35.20: the trigger files in plugins/available/ps are core ps 0.35.20's (post-release-builder, no pre-deploy)", async () => {
  await same("ls /var/lib/dokku/plugins/available/ps/");
});

test("0.35.20: ps:help and the errors are core ps 0.35.20's", async () => {
  await same("dokku ps:help");
  await same("dokku ps:scale");
  await same("dokku ps:report nosuchapp");
});

test("0.35.20: ps:stop prints '-----> Stopping <app>' (0.31.5: 'Stopping <app>')", async () => {
  assert.match(recorded("dokku ps:stop rdweb").output, /^-----> Stopping rdweb\n$/);
  await same("dokku ps:stop rdweb");
});
