/**
 * `ps:restart --all --parallel -1` and `ps:start --all --parallel 1` over 10
 * deployed apps, one of which fails (issue 4): the other 9 restart, one line
 * per app, a summary, exit != 0; serial mode's wording.
 *
 * On today's Dokku only (0.38.27, in the first pass): the parallel runner is
 * the same code on every version, and the per-version restart each app goes
 * through is lifecycle.test.ts's, on every version. This file's 20 deploys
 * are its cost, paid once (CI time, issue 21 must-show 8).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execa } from "execa";
import { Host, buildsFlagLines, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// Version-agnostic behaviour, run on today's Dokku only (see above).
export const CONCERNS_DOKKU = "0.38.27";

async function deploy(host: Host, app: string, files: Record<string, string>): Promise<string> {
  const src = await workTree(files);
  const push = await host.push(app, src);
  assert.equal(push.code, 0, `push ${app}: ${push.stderr}`);
  return src;
}

const ids = (containers: { id: string }[]) => containers.map((c) => c.id).sort();

describe("--all --parallel -1 over 10 apps, one broken", () => {
  let h: Host;
  before(async () => {
    h = await Host.create({ version: CONCERNS_DOKKU });
  });
  after(async () => {
    await h?.destroy();
  });

  test("the 9 others restart, one line per app, a summary, exit != 0", async () => {
    const first = await h.createApp("all0");
    await deploy(h, first, dockerfileApp());
    const apps = [first];
    for (let i = 1; i < 10; i++) {
      const app = await h.createApp(`all${i}`);
      const r = await h.dokku("git:from-image", app, `dokku/${first}:latest`);
      assert.equal(r.code, 0, r.stderr);
      apps.push(app);
    }
    const broken = apps[4]!;
    // docker refuses to create its containers: that app's restart fails.
    const opt = await h.dokku("docker-options:add", broken, "deploy", "--memory=not-a-size");
    assert.equal(opt.code, 0, opt.stderr);
    const before = new Map<string, string[]>();
    for (const app of apps) before.set(app, ids(await deployedContainers(app)));

    const r = await h.dokku("ps:restart", "--all", "--parallel", "-1");
    assert.notEqual(r.code, 0);
    const cpus = (await execa("node", ["-p", "require('os').availableParallelism()"])).stdout.trim();
    assert.ok(r.stderr.startsWith(`${buildsFlagLines(h)} !     Setting --parallel=-1 value to CPU count of ${cpus}\n`), r.stderr);
    assert.match(r.stderr, / !     Encountered 1 errors during parallel run\n$/);
    assert.match(r.stderr, new RegExp(`^ !     Error running restart against ${broken}: .+$`, "m"));
    assert.match(r.stdout, /^=====> restart --all: 9 succeeded, 1 failed$/m);
    assert.match(r.stdout, new RegExp(`^=====> ${broken}: failed \\(.+\\)$`, "m"));
    for (const app of apps) {
      assert.match(r.stdout, new RegExp(`^-----> Running command against ${app}$`, "m"));
      if (app === broken) continue;
      assert.match(r.stdout, new RegExp(`^=====> ${app}: ok$`, "m"));
      const now = await deployedContainers(app);
      assert.equal(now.length, 1, app);
      assert.notDeepEqual(ids(now), before.get(app), `${app} restarted`);
    }
    // The broken app keeps its running container.
    assert.deepEqual(ids(await deployedContainers(broken)), before.get(broken));

    // Serial mode: Dokku's per-app wording and error text. Only the broken
    // app is stopped; the others answer "already running".
    const stop = await h.dokku("ps:stop", broken);
    assert.equal(stop.code, 0, stop.stderr);
    const start = await h.dokku("ps:start", "--all", "--parallel", "1");
    assert.equal(start.code, 1);
    assert.match(start.stderr, /^ !     Running start in serial mode$/m);
    assert.match(start.stderr, new RegExp(`^ !     Error running start against app ${broken}: .+$`, "m"));
    assert.match(start.stderr, / !     start command returned 1 errors\n$/);
    for (const app of apps) assert.match(start.stdout, new RegExp(`^-----> Running start against app ${app}$`, "m"));
    assert.match(start.stdout, /^=====> start --all: 9 succeeded, 1 failed$/m);
  });
});