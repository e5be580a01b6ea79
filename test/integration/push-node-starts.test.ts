/**
 * Speed guard (issue 5), not a benchmark: which ps triggers start Node
 * during a `git push`. Once an app has deployed, a push that leaves its
 * Procfile, DOKKU_SCALE and app.json alone starts Node exactly once, for
 * pre-deploy (which must read the new image); every other ps trigger of the
 * push is answered by the shell (scripts/fast-paths.sh), and so is the
 * `commands` file Dokku asks about `git-hook`. A `node` first on
 * PATH logs each start, so the count is observed, not assumed.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Host, commitFiles, countByType, deployedContainers, dockerfileApp, workTree, nodeStartLog } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: the shell fast paths of 0.24's push triggers and DOKKU_SCALE validation (0.31.5: push-node-starts-0.31.test.ts).
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
const starts = nodeStartLog();

before(async () => {
  host = await Host.create({ binDir: starts.binDir, version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

/** The ps triggers (and `commands` calls, as "commands") that started Node while `fn` ran. */
const nodeTriggersDuring = (fn: () => Promise<void>): Promise<string[]> => starts.during(fn);

test("a push that keeps Procfile, DOKKU_SCALE and app.json starts Node once (pre-deploy)", async () => {
  const app = await host.createApp("starts");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=1\n" }));

  const first = await nodeTriggersDuring(async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  // New files are validated by the entry once; the second extract trigger finds them validated.
  assert.ok(first.includes("post-extract") && !first.includes("core-post-extract"), first.join(" "));
  assert.ok(first.includes("pre-deploy") && first.includes("core-post-deploy"), first.join(" "));
  assert.ok(existsSync(join(host.lib, "data", "ps", app, "validated", "DOKKU_SCALE")));

  await commitFiles(src, { "bump.txt": "1" });
  const second = await nodeTriggersDuring(async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(second, ["pre-deploy"]);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });

  // A changed DOKKU_SCALE is validated again (and a bad one still stops the push).
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=2\n" });
  const third = await nodeTriggersDuring(async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(third, ["post-extract", "pre-deploy"]);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=-2\n" });
  const bad = await host.push(app, src);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /DOKKU_SCALE/);

  // A plugin upgrade (install) forgets what the old version validated.
  const install = await host.dokku("plugin:install");
  assert.equal(install.code, 0, install.stderr);
  assert.ok(!existsSync(join(host.lib, "data", "ps", app, "validated")));
});
