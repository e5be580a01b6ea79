/**
 * dokku-ps on a host speaking Dokku 0.35.20 (these tests concern that version
 * only): 0.31.5's ps contract with 0.35's differences — post-release-builder
 * instead of pre-deploy, `-----> Stopping <app>` (real-dokku-0.35.20/README.md).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.35.20 only: 0.35's differences from 0.31.5's contract.
export const CONCERNS_DOKKU = "0.35.20";

let host: Host;

before(async () => {
  host = await Host.create({ version: "0.35.20" });
});
after(async () => {
  await host?.destroy();
});

test("0.35.20: post-release-builder, no pre-deploy; a push stores web=1 worker=0; ps:stop says -----> Stopping", async () => {
  const plugin = join(host.lib, "plugins", "available", "ps");
  assert.ok(existsSync(join(plugin, "post-release-builder")));
  assert.ok(!existsSync(join(plugin, "pre-deploy")), "0.35 has no ps pre-deploy");
  // ps-get-property is 0.36's: on 0.35 its forward executable (there for an
  // in-place upgrade) answers nothing, as no executable would.
  const asked = await host.dokku("plugin:trigger", "ps-get-property", "nosuch", "restart-policy");
  assert.deepEqual([asked.code, asked.stdout, asked.stderr], [0, "", ""], "ps-get-property answers nothing on 0.35");

  const app = await host.createApp("d35");
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assert.equal(readFileSync(join(host.lib, "config", "ps", app, "scale"), "utf8"), "web=1\nworker=0\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });

  const stop = await host.dokku("ps:stop", app);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stdout, `-----> Stopping ${app}\n`);
  assert.deepEqual(countByType(await deployedContainers(app)), {});
});
