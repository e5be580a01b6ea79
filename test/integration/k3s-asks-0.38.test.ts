/**
 * Issue 21, must-show 6 (multi-host, as far as one machine allows): an app on
 * the `k3s-asks` scheduler (test/fixtures/scheduler-k3s-asks) asks ps, at each
 * deploy, exactly what Dokku's scheduler-k3s v0.38.27 asks (docs/multi-host.md
 * lists every ask with its source line):
 *
 *   chart.go BuildAppChart          `ps-current-scale <app>`, parsed by
 *                                   common.ParseScaleOutput
 *   functions.go extractStartCommand, per process type (a Dockerfile image):
 *                                   common.PropertyGet("ps", app, "start-cmd"),
 *                                   then "dockerfile-start-cmd" (a file read of
 *                                   $DOKKU_LIB_ROOT/config/ps/<app>/<key>, as it
 *                                   is), and only when both are empty
 *                                   `procfile-get-command <app> <type> 5000`
 *   triggers.go TriggerSchedulerRun `procfile-get-command <app> <cmd> 5000`
 *                                   (`dokku run`; host/ has no run: fired as is)
 *
 * Each answer dokku-ps gives is compared with what core ps 0.38.27 gives for
 * the same app state: from the record (real-dokku-0.38.27/transcripts) where
 * it has the step, else from core's source at v0.38.27; each expectation says
 * which. Real pushes and rebuilds on host/; the scheduler never touches Docker.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, assertPsProperty, commitFiles, dockerfileApp, dokkuUser, workTree } from "./harness.ts";

// This file concerns Dokku 0.38.27 only: what scheduler-k3s v0.38.27 asks of ps 0.38.27.
export const CONCERNS_DOKKU = "0.38.27";

const SCHEDULER = "k3s-asks";

let host: Host;
let src: string | undefined;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
  host.installFixturePlugin("scheduler-k3s-asks");
});
after(async () => {
  await host?.destroy();
  if (src) rmSync(src, { recursive: true, force: true });
});

/** One question the fixture asked and what it got: `[question, exit code, stdout, stderr]` (a note: `[note]`). */
type Ask = [string] | [string, number, string, string];

/** Everything the fixture asked about `app`, in order. */
function recorded(app: string): Ask[] {
  const dir = join(host.lib, "data", "scheduler-k3s-asks", app);
  if (!existsSync(join(dir, "asks"))) return [];
  return readFileSync(join(dir, "asks"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line): Ask => {
      const [, n, question] = /^([0-9]+) (.*)$/.exec(line)!;
      // The image tag a deploy gets is the host's business, not ps's.
      if (question!.startsWith("note ")) return [question!.replace(/^note deploy \S+ /, "note deploy <tag> ")];
      const file = (ext: string) => readFileSync(join(dir, `${n}.${ext}`), "utf8");
      return [question!, Number(file("code")), file("out"), file("err")];
    });
}

interface AppState {
  /** What core ps 0.38.27's `ps-current-scale` prints for the formation. */
  scale: string;
  /** config/ps/<app>/start-cmd as core keeps it; undefined: no file. */
  startCmd?: string;
  dockerfileStartCmd?: string;
  /** What core ps 0.38.27's `procfile-get-command <app> <type> 5000` prints, per type. */
  procfile: Record<string, string>;
}

/**
 * The asks of one k3s deploy of `app` in `state`, each with core ps 0.38.27's
 * answer (the fixture follows k3s's order; k3s visits the types in Go map
 * order, the fixture sorted).
 */
function expectedDeploy(app: string, state: AppState, restartType = ""): Ask[] {
  const out: Ask[] = [[`note deploy <tag> ${restartType || "<all>"}`]];
  // Record: core-ps-0.38.27-extra.log `plugin:trigger ps-current-scale rdweb`
  // printed `web=0` / `worker=1` with no final newline, exit 0, nothing on stderr.
  out.push([`trigger ps-current-scale ${app}`, 0, state.scale, ""]);
  const types = state.scale.split("\n").map((line) => line.split("=")[0]!);
  for (const type of [...types].sort()) {
    // common.PropertyGet reads the file as it is: a missing file is "" (the
    // fixture's exit code 1 marks "no file"). Record: `ps:set rdweb
    // dockerfile-start-cmd "sleep 4343"` left a 10-byte file `sleep 4343`
    // (no final newline); clearing a key deletes its file.
    out.push([`property ps ${app} start-cmd`, state.startCmd === undefined ? 1 : 0, state.startCmd ?? "", ""]);
    out.push([`property ps ${app} dockerfile-start-cmd`, state.dockerfileStartCmd === undefined ? 1 : 0, state.dockerfileStartCmd ?? "", ""]);
    let command = state.dockerfileStartCmd || state.startCmd || "";
    if (!command) {
      // Source (the record has no such step): plugins/ps/triggers.go
      // TriggerProcfileGetCommand at v0.38.27 prints the command procfile-util
      // shows for the type (trimmed, $PORT expanded from the port given) and
      // a newline, exit 0.
      const answer = state.procfile[type]!;
      out.push([`trigger procfile-get-command ${app} ${type} 5000`, 0, answer, ""]);
      command = answer.trim();
    }
    out.push([`note start-command ${type} ${command}`]);
  }
  return out;
}

/** The deploys recorded since `from` asks, split at each `note deploy`. */
function deploysSince(app: string, from: number): Ask[][] {
  const blocks: Ask[][] = [];
  for (const ask of recorded(app).slice(from)) {
    if (ask[0].startsWith("note deploy ")) blocks.push([]);
    assert.ok(blocks.length > 0, `an ask outside a deploy: ${JSON.stringify(ask)}`);
    blocks[blocks.length - 1]!.push(ask);
  }
  return blocks;
}

/** Runs `step` and checks that it deployed at least once and that every deploy asked exactly what k3s asks, answered as core ps answers. */
async function assertDeploysAsk(app: string, state: AppState, what: string, step: () => Promise<void>): Promise<void> {
  const from = recorded(app).length;
  await step();
  const deploys = deploysSince(app, from);
  assert.ok(deploys.length > 0, `${what}: no deploy reached the scheduler`);
  for (const block of deploys) {
    const restartType = /^note deploy <tag> (.*)$/.exec(block[0]![0])![1]!;
    assert.deepEqual(block, expectedDeploy(app, state, restartType === "<all>" ? "" : restartType), `${what}: the asks of one deploy`);
  }
}

async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await p;
  assert.equal(r.code, 0, `${what}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const dokku = (...args: string[]) => ok(host.dokku(...args), args.join(" "));

/** The ps property dir as core keeps it: drwxr-xr-x dokku dokku (record: `ls -la /var/lib/dokku/config/ps/rdweb/`). */
function assertPropertyDir(app: string): void {
  const st = statSync(join(host.lib, "config", "ps", app));
  const { uid, gid } = dokkuUser();
  assert.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o755, uid, gid], `config/ps/${app} mode and owner`);
}

test("0.38.27: every ask scheduler-k3s makes of ps at deploy gets core ps 0.38.27's answer; the properties k3s reads as files are where and as core leaves them", async () => {
  const app = await host.createApp("k3s");
  // 0.38 selects the scheduler with the scheduler property (plugins/scheduler TriggerSchedulerDetect).
  await dokku("scheduler:set", app, "selected", SCHEDULER);
  const procfile = { web: "sleep 86400\n", worker: "sleep 86400\n" };

  // A first push with web=1 worker=2 (ps:scale --skip-deploy first, as an operator does on 0.38).
  await dokku("ps:scale", "--skip-deploy", app, "web=1", "worker=2");
  src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  await assertDeploysAsk(app, { scale: "web=1\nworker=2", procfile }, "first push", async () => {
    const push = await host.push(app, src!);
    assert.equal(push.code, 0, push.stdout + push.stderr);
    assert.match(push.stdout + push.stderr, new RegExp(`k3s-asks: deployed ${app}`));
  });
  assertPropertyDir(app);
  // core-post-deploy (k3s fires it after its helm install): as core, the app is one to restore.
  assertPsProperty(host, app, "restore", "true");

  // dockerfile-start-cmd: k3s reads the file and asks no Procfile command.
  // Record: `=====> Setting dockerfile-start-cmd to sleep 4343`, a 0600 dokku file `sleep 4343`.
  const setDockerfile = await dokku("ps:set", app, "dockerfile-start-cmd", "sleep 4343");
  assert.equal(setDockerfile, "=====> Setting dockerfile-start-cmd to sleep 4343\n");
  assertPsProperty(host, app, "dockerfile-start-cmd", "sleep 4343");
  await assertDeploysAsk(app, { scale: "web=1\nworker=2", dockerfileStartCmd: "sleep 4343", procfile }, "ps:rebuild with dockerfile-start-cmd", async () => {
    await dokku("ps:rebuild", app);
  });

  // start-cmd as well: on a Dockerfile image dockerfile-start-cmd wins (k3s reads both, every type).
  await dokku("ps:set", app, "start-cmd", "sleep 4242");
  assertPsProperty(host, app, "start-cmd", "sleep 4242");
  await assertDeploysAsk(app, { scale: "web=1\nworker=2", startCmd: "sleep 4242", dockerfileStartCmd: "sleep 4343", procfile }, "ps:rebuild with both", async () => {
    await dokku("ps:rebuild", app);
  });

  // Cleared: core deletes the file (record: `=====> Unsetting dockerfile-start-cmd`, no file after).
  assert.equal(await dokku("ps:set", app, "dockerfile-start-cmd"), "=====> Unsetting dockerfile-start-cmd\n");
  assert.ok(!existsSync(join(host.lib, "config", "ps", app, "dockerfile-start-cmd")), "dockerfile-start-cmd file deleted");
  // ps:scale deploys (only what changed, on 0.38): k3s still asks about every type.
  // web=0 worker=1 is the record's state for `plugin:trigger ps-current-scale rdweb` (`web=0\nworker=1`).
  await assertDeploysAsk(app, { scale: "web=0\nworker=1", startCmd: "sleep 4242", procfile }, "ps:scale web=0 worker=1 with start-cmd", async () => {
    await dokku("ps:scale", app, "web=0", "worker=1");
  });

  // Nothing set: the Procfile's commands again, through procfile-get-command.
  assert.equal(await dokku("ps:set", app, "start-cmd"), "=====> Unsetting start-cmd\n");
  assert.ok(!existsSync(join(host.lib, "config", "ps", app, "start-cmd")), "start-cmd file deleted");
  await assertDeploysAsk(app, { scale: "web=0\nworker=1", procfile }, "ps:restart <app> worker", async () => {
    await dokku("ps:restart", app, "worker");
  });
  await dokku("ps:stop", app);
  assertPsProperty(host, app, "restore", "false");
  await assertDeploysAsk(app, { scale: "web=0\nworker=1", procfile }, "ps:start after ps:stop", async () => {
    await dokku("ps:start", app);
  });
  assertPsProperty(host, app, "restore", "true");

  // A Procfile command with variables: core's getProcfileCommand (plugins/ps/functions.go
  // at v0.38.27) hands procfile-util the app's config (`config-export <app> false true
  // envfile`) and the port k3s passes (5000); procfile-util 0.20 expands every name
  // (os.Expand): config first, then PORT and PS, any other name empty.
  await dokku("config:set", "--no-restart", app, "FOO=86400");
  await commitFiles(src, { Procfile: "web: sleep 86400 $PORT ${PS}\nworker: sleep $FOO$NOPE\n" });
  await assertDeploysAsk(app, { scale: "web=0\nworker=1", procfile: { web: "sleep 86400 5000 web\n", worker: "sleep 86400\n" } }, "push with $PORT, $PS and a config var", async () => {
    const push = await host.push(app, src!);
    assert.equal(push.code, 0, push.stdout + push.stderr);
  });

  // skip-deploy: core's release-and-deploy (plugins/common/functions at v0.38.27) reads the
  // property file itself, for every scheduler; k3s is not asked at all.
  await dokku("ps:set", app, "skip-deploy", "true");
  assertPsProperty(host, app, "skip-deploy", "true");
  const before = recorded(app).length;
  await commitFiles(src, {});
  const skipped = await host.push(app, src);
  assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
  assert.match(skipped.stdout + skipped.stderr, /-----> Skipping deployment/);
  assert.equal(recorded(app).length, before, "no deploy reached the scheduler");
  await dokku("ps:set", app, "skip-deploy");

  // `dokku run <app> <cmd>` on k3s (TriggerSchedulerRun) asks `procfile-get-command <app> <cmd> 5000`
  // and uses a non-empty answer; host/ has no `run`, so the ask is fired as k3s fires it.
  const run = await host.dokku("plugin:trigger", "procfile-get-command", app, "worker", "5000");
  assert.deepEqual([run.code, run.stdout], [0, "sleep 86400\n"]);
  // A command that is no process type: k3s ignores the exit status and finds no stdout
  // (core: procfile-util fails, nothing printed), so it runs the command as given.
  const none = await host.dokku("plugin:trigger", "procfile-get-command", app, "ls", "5000");
  assert.equal(none.stdout, "");
});
