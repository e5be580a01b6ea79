/**
 * Speed guard on Dokku 0.31.5 (issue 14), not a benchmark: which ps
 * triggers start Node during a `git push`. The per-container hooks the
 * scheduler asks (ps-current-scale, procfile-exists, procfile-get-command
 * per type and container) are answered by the shell (scripts/fast-paths.sh,
 * contract.fastPathTriggers), and so is the `commands` file Dokku asks about
 * `git-hook`, and core-post-deploy once the app's ENV says
 * DOKKU_APP_RESTORE=1 (its file steps are the shell's; the first deploy's
 * flag is set by the entry), core-post-extract (the Procfile copy of a
 * pushed source) and app-json's ps-can-scale once the property holds its
 * value (the first deploy's is written by the entry, and while the image's
 * DOKKU_SCALE rules the entry keeps the request). Node starts for pre-deploy
 * (the image's DOKKU_SCALE). A `node` first on PATH logs each start, so the count is
 * observed, not assumed; the containers show that the shell's answers were
 * the right ones.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { Host, commitFiles, countByType, deployedContainers, dockerfileApp, workTree, nodeStartLog } from "./harness.ts";
import { join } from "node:path";

// This file concerns Dokku 0.31.5 only: 0.30+'s fast paths (0.24's: push-node-starts.test.ts).
export const CONCERNS_DOKKU = "0.31.5";

let host: Host;
const starts = nodeStartLog();

before(async () => {
  host = await Host.create({ binDir: starts.binDir, version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

/** The ps triggers (and `commands` calls) that started Node while `fn` ran, sorted. */
const nodeTriggersDuring = async (fn: () => Promise<void>): Promise<string[]> => (await starts.during(fn)).sort();

test("0.31.5: a push starts Node only for pre-deploy once the app's flags are set; the scheduler's hooks, core-post-extract, ps-can-scale and core-post-deploy are the shell's", async () => {
  const app = await host.createApp("starts31");
  const scaled = await host.dokku("ps:scale", "--skip-deploy", app, "worker=2");
  assert.equal(scaled.code, 0, scaled.stderr);
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep $PORT\n" }));
  /** A push of the work tree (it must succeed), and the ps triggers that started Node during it. */
  const pushStarts = () =>
    nodeTriggersDuring(async () => {
      const r = await host.push(app, src);
      assert.equal(r.code, 0, r.stderr);
    });
  const first = await pushStarts();
  // The first deploy sets DOKKU_APP_RESTORE=1 and can-scale: the entry does that.
  assert.deepEqual(first, ["core-post-deploy", "pre-deploy", "ps-can-scale"]);
  assert.equal((await host.dokku("ps:report", app, "--restore")).stdout.trim(), "true");
  const containers = await deployedContainers(app);
  assert.deepEqual(countByType(containers), { web: 1, worker: 2 });
  // procfile-get-command's answer, from the shell: $PORT as the port asked.
  for (const c of containers) assert.match(c.cmd.join(" "), c.processType === "web" ? /sleep 86400/ : /sleep [0-9]+$/, c.name);

  // The next push: every flag already says it; only the image is read.
  await commitFiles(src, { marker: "2\n" });
  const again = await pushStarts();
  assert.deepEqual(again, ["pre-deploy"]);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

  // The image's DOKKU_SCALE rules from now on (pre-deploy reads it). app-json
  // asks ps-can-scale before that, while nothing rules yet: still the shell's.
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=1\n" });
  const second = await pushStarts();
  assert.deepEqual(second, ["pre-deploy"]);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
  // core-post-deploy's steps, done by the shell: the deploy's Procfile copy is the app's.
  assert.deepEqual(readdirSync(join(host.lib, "data", "ps", app)).filter((f) => f.startsWith("Procfile")), ["Procfile"]);
  assert.equal((await host.dokku("ps:report", app, "--restore")).stdout.trim(), "true");
});
