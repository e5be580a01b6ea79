/**
 * Dokku 0.35.20's ps differs from 0.31.5's in a few ps-visible ways
 * (shared/real-dokku-0.35.20/README.md): `ps:stop` prints `-----> Stopping
 * <app>`, the plugin dir has `post-release-builder` and no `pre-deploy`, and
 * the rest of what ps prints is the same (the `ps:report` flags and rows,
 * `ps:help`, the errors), and a bad Procfile fails the push with procfile-util
 * 0.20's coloured prefix after Dokku's (` !     ESC[1mESC[31m !     …`). On a host whose VERSION is v0.35.20, dokku-ps's
 * outputs for those steps are compared with the record
 * (test/fixtures/real-dokku-0.35.20/, copies of the shared records), each
 * step found in the record by its command and normalised as the 0.31.5 replay
 * does (transcript.ts). Not a full replay of core-ps-0.35.20.log.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Host, REPO, cleanEnv, commitFiles, run, workTree } from "./harness.ts";
import { RECORDED_APP_FILES_031 } from "./records.ts";
import { CORE031_APP, RECORDED_LIB, RECORDED_ROOT, classify031, expected031, lineDiff, parseTranscript, type RecordedStep } from "./transcript.ts";

// This file concerns Dokku 0.35.20 only: real Dokku 0.35.20's record.
export const CONCERNS_DOKKU = "0.35.20";

const RECORDS = join(REPO, "test", "fixtures", "real-dokku-0.35.20");
const steps = [
  ...parseTranscript(readFileSync(join(RECORDS, "core-ps-0.35.20.log"), "utf8")),
  ...parseTranscript(readFileSync(join(RECORDS, "core-ps-0.35.20-extra.log"), "utf8")),
];

/** The record's first step with this command (the app as `rdweb`), after the `###` comment `after` if given. */
function recorded(command: string, after?: RegExp): RecordedStep {
  const from = after ? steps.findIndex((s) => s.markers.some((m) => after.test(m))) : 0;
  assert.ok(from >= 0, `no comment ${after} in the 0.35.20 record`);
  const step = steps.slice(from).find((s) => s.command === command);
  assert.ok(step, `no step "${command}" in the 0.35.20 record`);
  return step;
}

let host: Host;
let app: string;
/** The record's work tree: branch master, remote `dokku` = `ext::dokku %S <app>`. */
let src: string;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
  app = host.appName("rd35");
  assert.equal((await host.dokku("apps:create", app)).code, 0);
  assert.equal((await host.dokku("proxy:disable", app)).code, 0);
  src = await workTree(RECORDED_APP_FILES_031);
  for (const args of [["branch", "-m", "master"], ["remote", "add", "dokku", `ext::dokku %S ${app}`]]) {
    assert.equal((await run("git", ["-C", src, ...args], { env: cleanEnv() })).code, 0);
  }
  const push = await host.combined(["git", "-C", src, "-c", "protocol.ext.allow=always", "push", "dokku", "master"]);
  assert.equal(push.code, 0, push.text);
});
after(async () => {
  await host?.destroy();
});

/**
 * Runs the record's command on the host and compares text and exit code, both
 * normalised; `dropLines` are taken out of the host's output first.
 */
async function same(command: string, after?: RegExp, dropLines: readonly string[] = []): Promise<void> {
  const step = recorded(command, after);
  const how = classify031(step.command);
  const label = step.command.split(CORE031_APP).join("<app>");
  const expected = `${expected031(step.output, how, label, CORE031_APP, RECORDED_ROOT, RECORDED_LIB, [])}\n[exit ${step.exitCode}]`;
  const cmd = step.command.split("./apps/rdweb").join(src).split(RECORDED_LIB).join(host.lib).split(CORE031_APP).join(app);
  const r = await host.combined(["bash", "-c", cmd]);
  if (dropLines.length) r.text = r.text.split("\n").filter((line) => !dropLines.includes(line)).join("\n");
  const actual = `${expected031(r.text, how, label, app, host.home, host.lib, [])}\n[exit ${r.code}]`;
  assert.equal(actual, expected, `${label}: differs from Dokku 0.35.20's record\n${lineDiff(expected, actual)}`);
}

test("0.35.20: ps:report's flags and rows as core ps 0.35.20's (text report of a fresh deploy, the invalid-flag list)", async () => {
  await same("dokku ps:report rdweb");
  await same("dokku ps:report rdweb --nonsense");
  await same("dokku ps:report rdweb --ps-can-scale");
});

test("0.35.20: the trigger files in plugins/available/ps are core ps 0.35.20's (post-release-builder, no pre-deploy), plus the forward executables of newer Dokku's ps", async () => {
  // An install also carries the triggers newer supported Dokku's ps answers
  // (README "Upgrading Dokku"): on 0.35 they do nothing. They are exactly the
  // contract's executables beyond its triggers, and the rest is the record's.
  const forward = host.contract.executables.filter((t) => !host.contract.triggers.includes(t));
  assert.deepEqual([...forward].sort(), ["docker-args-process-deploy", "ps-get-property"]);
  await same("ls /var/lib/dokku/plugins/available/ps/", undefined, forward);
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

test("0.35.20: a Procfile line without a colon fails the push with 0.35's doubled, coloured prefix", async () => {
  const push = recorded("git -C ./apps/rdweb -c protocol.ext.allow=always push dokku master", /^bad Procfile/);
  assert.ok(push.output.includes(" !     \x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 1"), push.output);
  await commitFiles(src, { Procfile: "web sleep 86400\nworker: sleep 86400\n" });
  // The colour codes are compared too: normalised away only after this check.
  const r = await host.combined(["git", "-C", src, "-c", "protocol.ext.allow=always", "push", "dokku", "master"]);
  assert.ok(r.text.includes("remote:  !     \x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 1"), r.text);
  await same("git -C ./apps/rdweb -c protocol.ext.allow=always push dokku master", /^bad Procfile/);
});
