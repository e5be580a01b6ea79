/**
 * dokku-ps on a host speaking Dokku 0.31.5 (these tests concern that version
 * only), with real git pushes and the real engine: the host's 0.31.5
 * scheduler reads the formation through ps-current-scale and asks
 * procfile-exists, app-json applies an app.json formation through
 * ps-can-scale / ps-set-scale — all answered by dokku-ps.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, commitFiles, countByType, deployedContainers, dockerfileApp, workTree, assertPsProperty } from "./harness.ts";

// This file concerns Dokku 0.31.5 only: core ps 0.31.5's contract in real pushes.
export const CONCERNS_DOKKU = "0.31.5";

let host: Host;

before(async () => {
  host = await Host.create({ version: "0.31.5" });
});
after(async () => {
  await host?.destroy();
});


const scalePath = (app: string, key = "scale") => join(host.lib, "config", "ps", app, key);

const assertScaleFile = (app: string, key: string, content: string) => assertPsProperty(host, app, key, content);

test("0.31.5 push: the first deploy stores web=1 and every other Procfile type at 0 (dokku:dokku 0600), and runs that", async () => {
  const app = await host.createApp("d31first");
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
  assert.equal(push.code, 0, push.stderr);
  assertScaleFile(app, "scale", "web=1\nworker=0\n");
  assert.ok(!existsSync(scalePath(app, "scale.old")), "scale.old goes with the deploy");
  assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE")), "no DOKKU_SCALE on 0.31.5");
  assert.equal(readFileSync(join(host.lib, "data", "ps", app, "Procfile"), "utf8"), PROCFILE_WEB_WORKER);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
  const report = await host.dokku("ps:report", app, "--deployed");
  assert.equal(report.stdout, "true\n");

  // ps:scale with a deploy: `deploy <app> <tag> worker`, no release.
  const up = await host.dokku("ps:scale", app, "worker=2");
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`^-----> Scaling ${app} processes: worker=2\n`));
  assert.ok(!/Releasing/.test(up.stdout), "ps:scale deploys without a release");
  assertScaleFile(app, "scale", "worker=2\nweb=1\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  assert.equal((await host.dokku("ps:report", app, "--processes")).stdout, "3\n");
});

test("0.31.5 push: an app without a Procfile gets its web container (procfile-exists answered no)", async () => {
  const app = await host.createApp("d31noproc");
  const push = await host.push(app, await workTree(dockerfileApp()));
  assert.equal(push.code, 0, push.stderr);
  assertScaleFile(app, "scale", "web=1\n");
  const web = (await deployedContainers(app)).filter((c) => c.processType === "web");
  assert.equal(web.length, 1);
  assert.deepEqual(web[0]?.cmd, ["sleep", "86400"], "the image's CMD");
  assert.ok(!existsSync(join(host.lib, "data", "ps", app, "Procfile")));
});

test("0.31.5 push: an app.json formation sets can-scale false; ps:scale refuses; without app.json it scales again", async () => {
  const app = await host.createApp("d31json");
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, "app.json": JSON.stringify({ formation: { web: { quantity: 1 }, worker: { quantity: 2 } } }) }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assertScaleFile(app, "can-scale", "false");
  assert.equal((await host.dokku("ps:report", app, "--ps-can-scale")).stdout, "false\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

  const refused = await host.dokku("ps:scale", app, "worker=1");
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, "");
  assert.equal(refused.stderr, ` !     App ${app} contains an app.json file with a formations key and cannot be manually scaled\n`);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 }, "nothing redeployed");

  await commitFiles(src, { "app.json": null });
  const again = await host.push(app, src);
  assert.equal(again.code, 0, again.stderr);
  assertScaleFile(app, "can-scale", "true");
  const show = await host.dokku("ps:scale", app);
  assert.equal(show.stdout, `-----> Scaling for ${app}\nproctype: qty\n--------: ---\nweb:  1\nworker: 2\n`, "the last scale is kept");
  assert.equal((await host.dokku("ps:scale", "--skip-deploy", app, "worker=1")).code, 0);
});

test("0.31.5: ps:stop, ps:start and ps:restart as core ps 0.31.5's", async () => {
  const app = await host.createApp("d31life");
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
  assert.equal(push.code, 0, push.stderr);
  const stop = await host.dokku("ps:stop", app);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stdout, `Stopping ${app}\n`);
  assert.equal((await host.dokku("ps:report", app, "--restore")).stdout, "false\n");
  const start = await host.dokku("ps:start", app);
  assert.equal(start.code, 0, start.stderr);
  assert.match(start.stderr, / !     App has been detected as not running, releasing\n/);
  assert.equal((await host.dokku("ps:report", app, "--running")).stdout, "true\n");
  const running = await host.dokku("ps:start", app);
  assert.equal(running.code, 0);
  assert.match(running.stderr, new RegExp(` !     App ${app} already running\n`));
  // ps:restore: the scheduler's scheduler-pre-restore (0.31's hook), then start.
  const restore = await host.dokku("ps:restore", app);
  assert.equal(restore.code, 0, restore.stderr);
  assert.equal(restore.stdout, "-----> Clearing potentially invalid proxy configuration\n-----> Starting app\n");
  assert.match(restore.stderr, new RegExp(` !     App ${app} already running\n`));
  const restart = await host.dokku("ps:restart", app);
  assert.equal(restart.code, 0, restart.stderr);
  assert.ok(!/Releasing/.test(restart.stdout), "ps:restart deploys the running image, no release");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
});
