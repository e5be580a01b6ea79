/**
 * Issue 16 on a host speaking Dokku 0.24.10 (this version, then an in-place
 * upgrade to 0.31.5): dokku-ps keeps each app's formation also in
 * `config/ps/<app>/scale` (+ `can-scale`) in 0.31.5's format whenever it
 * writes DOKKU_SCALE, its install trigger seeds that for existing apps, and
 * after `host/bin/upgrade-host 0.31.5` (install.sh not rerun) the apps'
 * next `ps:rebuild` runs the same containers. Real pushes, the real engine.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, REPO, countByType, deployedContainers, dockerfileApp, run, workTree, assertPsProperty } from "./harness.ts";

// This file concerns Dokku 0.24.10 only (the scale mirror on 0.24.10 and the in-place upgrade to 0.31.5 from it): it runs once, in the first pass.
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});


const propertyPath = (app: string, key: string) => join(host.lib, "config", "ps", app, key);

const assertProperty = (app: string, key: string, content: string) => assertPsProperty(host, app, key, content);

test("0.24.10: the formation is mirrored into config/ps/<app>/scale on push and ps:scale, seeded by install, and survives an in-place upgrade to 0.31.5", async () => {
  // An image's DOKKU_SCALE, and a ps:scale of an app without one.
  const image = await host.createApp("m24img");
  const pushed = await host.push(image, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" })));
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.equal(readFileSync(join(host.home, image, "DOKKU_SCALE"), "utf8"), "web=1\nworker=2\n");
  assertProperty(image, "scale", "web=1\nworker=2\n");
  assertProperty(image, "can-scale", "false");

  const scaled = await host.createApp("m24cmd");
  const push2 = await host.push(scaled, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
  assert.equal(push2.code, 0, push2.stderr);
  assertProperty(scaled, "scale", "web=1\nworker=0\n");
  assertProperty(scaled, "can-scale", "true");
  const up = await host.dokku("ps:scale", scaled, "worker=3");
  assert.equal(up.code, 0, up.stderr);
  assertProperty(scaled, "scale", "web=1\nworker=3\n");
  assert.deepEqual(countByType(await deployedContainers(scaled)), { web: 1, worker: 3 });

  // dokku-ps's install trigger seeds the mirror of an app that has none.
  rmSync(propertyPath(scaled, "scale"));
  rmSync(propertyPath(scaled, "can-scale"));
  const install = await host.dokku("plugin:install");
  assert.equal(install.code, 0, install.stderr);
  assertProperty(scaled, "scale", "web=1\nworker=3\n");
  assertProperty(scaled, "can-scale", "true");

  // The 0.30+ ps triggers 0.24 never fires are installed (and do nothing on 0.24).
  const plugin = join(host.lib, "plugins", "available", "ps");
  for (const name of ["procfile-exists", "ps-can-scale", "ps-set-scale", "post-release-builder"]) assert.ok(existsSync(join(plugin, name)), name);
  const noop = await host.dokku("plugin:trigger", "ps-set-scale", scaled, "true", "true", "worker=9");
  assert.equal(noop.code, 0, noop.stderr);
  assertProperty(scaled, "scale", "web=1\nworker=3\n");

  // The package upgrade, install.sh not rerun.
  const upgrade = await run(join(REPO, "host", "bin", "upgrade-host"), ["0.31.5"], { env: host.env() });
  assert.equal(upgrade.code, 0, upgrade.stderr);
  assert.equal(readFileSync(join(host.lib, "VERSION"), "utf8"), "v0.31.5\n");
  assert.equal((await host.dokku("plugin:trigger", "ps-current-scale", image)).stdout, "web=1\nworker=2");
  assert.equal((await host.dokku("plugin:trigger", "ps-current-scale", scaled)).stdout, "web=1\nworker=3");
  assert.equal((await host.dokku("plugin:trigger", "procfile-exists", scaled)).code, 0, "0.31.5's procfile-exists answered");

  for (const [app, want] of [[image, { web: 1, worker: 2 }], [scaled, { web: 1, worker: 3 }]] as const) {
    const rebuild = await host.dokku("ps:rebuild", app);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), want, `${app} after ps:rebuild on 0.31.5`);
  }
  const refused = await host.dokku("ps:scale", image, "worker=3");
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, ` !     App ${image} contains DOKKU_SCALE file and cannot be manually scaled\n`);
  assert.equal((await host.dokku("ps:scale", scaled, "worker=2")).code, 0);
  assert.deepEqual(countByType(await deployedContainers(scaled)), { web: 1, worker: 2 });
});
