/**
 * The plugin must run on Node 18 (Debian 12's nodejs is 18.19): the whole
 * git-push slice with every plugin executable started by Node 18.19.0.
 * scripts/node18.sh fetches that binary into .cache/node18 (scripts/test.sh
 * starts it in the background; here it waits for it, or fetches it when the
 * file runs alone). Version-agnostic:
 * scripts/test.sh runs it on every Dokku host/ speaks (0.24.10, 0.31.5, 0.38.27).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, PROCFILE_WEB_WORKER, REPO, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

const NODE18 = join(REPO, ".cache", "node18", "bin");
let host: Host;

before(async () => {
  const fetched = await execa("bash", [join(REPO, "scripts", "node18.sh")], { reject: false });
  assert.equal(fetched.exitCode, 0, `scripts/node18.sh: ${fetched.stdout}${fetched.stderr}`);
  assert.ok(existsSync(join(NODE18, "node")), `Node 18 missing at ${NODE18}`);
  host = await Host.create({ binDir: NODE18 });
});
after(async () => {
  await host?.destroy();
});

test("push, scale, report and restart with every plugin process on Node 18.19", async () => {
  const version = await execa("node", ["--version"], { env: host.env() });
  assert.match(version.stdout, /^v18\.19\./);

  const app = await host.createApp("node18");
  const push = await host.push(app, await workTree(await host.withFormation(app, dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }), "web=1\nworker=2\n")));
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

  const scale = await host.dokku("ps:scale", app);
  assert.equal(scale.code, 0, scale.stderr);
  assert.match(scale.stdout, /worker: 2/);
  const report = await host.dokku("ps:report", app, "--format", "json");
  assert.equal(report.code, 0, report.stderr);
  assert.equal(JSON.parse(report.stdout)["running"], "true");
  const restart = await host.dokku("ps:restart", app);
  assert.equal(restart.code, 0, restart.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  const all = await host.dokku("ps:restart", "--all", "--parallel", "-1");
  assert.equal(all.code, 0, all.stderr);
});
