/**
 * DOKKU_SCALE on a host speaking Dokku 0.35.20 (this version only; issue
 * 16): 0.35 has no pre-deploy, so the image's DOKKU_SCALE is read in
 * post-release-builder, after app-json's own post-release-builder applied
 * an app.json formation: DOKKU_SCALE still wins. Real push, real engine.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.35.20 only (DOKKU_SCALE read in post-release-builder on 0.35.20): it runs once, in the first pass.
export const CONCERNS_DOKKU = "0.35.20";

let host: Host;
let src: string | undefined;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
  if (src) rmSync(src, { recursive: true, force: true });
});

test("0.35.20 push: DOKKU_SCALE in the image (post-release-builder) wins over app.json's formation; ps:scale refuses", async () => {
  const app = await host.createApp("d35scale");
  const appJson = JSON.stringify({ formation: { web: { quantity: 2 }, worker: { quantity: 1 } } });
  src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n", "app.json": appJson }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout + push.stderr, new RegExp(`-----> Scaling ${app} from DOKKU_SCALE in the image: web=1 worker=2`));
  assert.doesNotMatch(push.stdout + push.stderr, /Deprecated: please upgrade plugin/, "no pre-deploy executable on 0.35");
  assert.equal(readFileSync(join(host.lib, "config", "ps", app, "scale"), "utf8"), "web=1\nworker=2\n");
  assert.equal(readFileSync(join(host.lib, "config", "ps", app, "can-scale"), "utf8"), "false");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  const refused = await host.dokku("ps:scale", app, "worker=3");
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);
});
