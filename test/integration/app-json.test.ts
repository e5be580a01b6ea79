/**
 * GitHub issue 4, item 10: an app.json `formation` read out of the image.
 * Without a DOKKU_SCALE in the image it is the formation (and locks
 * ps:scale); DOKKU_SCALE wins when both ship; dropping the formation hands
 * scaling back to ps:scale.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, commitFiles, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: the app.json formation is read out of the image and DOKKU_SCALE wins over it (0.31.5's, from the pushed source: dokku-0.31-deploy.test.ts).
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
const trees: string[] = [];
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
  for (const dir of trees) rmSync(dir, { recursive: true, force: true });
});

const APP_JSON = JSON.stringify({ name: "demo", formation: { web: { quantity: 2 }, worker: { quantity: 1 } } });
const scaleFile = (app: string): string => readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8");
const extracted = (app: string): string => join(host.home, app, "DOKKU_SCALE.extracted");

async function source(files: Record<string, string>): Promise<string> {
  const dir = await workTree(dockerfileApp(files));
  trees.push(dir);
  return dir;
}

describe("app.json formation", () => {
  test("is the formation when the image has no DOKKU_SCALE, locks ps:scale, and removing it hands scaling back", async () => {
    const app = await host.createApp("appjson");
    const src = await source({ Procfile: PROCFILE_WEB_WORKER, "app.json": APP_JSON });
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout + push.stderr, /-----> app\.json formation found/);
    assert.doesNotMatch(push.stdout + push.stderr, /DOKKU_SCALE file not found in app image/);

    const running = await deployedContainers(app);
    assert.deepEqual(countByType(running), { web: 2, worker: 1 });
    assert.deepEqual(running.map((c) => c.name).sort(), [`${app}.web.1`, `${app}.web.2`, `${app}.worker.1`]);
    assert.equal(scaleFile(app), "web=2\nworker=1\n");
    assert.ok(existsSync(extracted(app)), "the image owns the formation");

    const show = await host.dokku("ps:scale", app);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(show.stdout, `-----> Scaling for ${app}\nproctype: qty\n--------: ---\nweb:  2\nworker: 1\n`);
    const report = await host.dokku("ps:report", app, "--ps-can-scale");
    assert.equal(report.stdout.trim(), "false");

    const refused = await host.dokku("ps:scale", app, "web=1");
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, "");
    assert.equal(refused.stderr, ` !     App ${app} contains an app.json file with a formations key and cannot be manually scaled\n`);
    assert.equal(scaleFile(app), "web=2\nworker=1\n", "a refused scale writes nothing");
    assert.deepEqual(
      (await deployedContainers(app)).map((c) => c.id).sort(),
      running.map((c) => c.id).sort(),
      "a refused scale deploys nothing",
    );

    // app.json without `formation`: the image no longer owns the formation.
    await commitFiles(src, { "app.json": JSON.stringify({ name: "demo" }) });
    const handback = await host.push(app, src);
    assert.equal(handback.code, 0, handback.stderr);
    assert.ok(!existsSync(extracted(app)));
    assert.equal(scaleFile(app), "web=1\nworker=0\n", "regenerated from the Procfile, as when DOKKU_SCALE goes away");
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
    assert.equal((await host.dokku("ps:report", app, "--ps-can-scale")).stdout.trim(), "true");

    const scaled = await host.dokku("ps:scale", "--skip-deploy", app, "web=1", "worker=2");
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.equal(scaleFile(app), "web=1\nworker=2\n");
  });

  test("DOKKU_SCALE wins when the image ships both (also over an app.json formation deployed before)", async () => {
    const app = await host.createApp("both");
    const src = await source({ Procfile: PROCFILE_WEB_WORKER, "app.json": APP_JSON });
    assert.equal((await host.push(app, src)).code, 0);
    assert.match((await host.dokku("ps:scale", app, "web=1")).stderr, /app\.json file with a formations key/);

    await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=2\n" });
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout + push.stderr, /-----> DOKKU_SCALE file exists/);
    assert.doesNotMatch(push.stdout + push.stderr, /app\.json formation found/);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
    assert.equal(scaleFile(app), "web=1\nworker=2\n");
    assert.equal(readFileSync(extracted(app), "utf8"), "web=1\nworker=2\n");

    const refused = await host.dokku("ps:scale", app, "web=1");
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);
  });
});
