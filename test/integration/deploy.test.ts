/**
 * The git-push slice: create an app, push it, and check what the engine runs.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import {
  BASE_IMAGE,
  DOKKU,
  Host,
  PROCFILE_WEB_WORKER,
  commitFiles,
  countByType,
  deployedContainers,
  dockerfileApp,
  workTree,
} from "./harness.ts";

// This file concerns Dokku 0.24.10 only: the formation is the image's DOKKU_SCALE, which 0.30+ ignores (0.31.5's pushes: dokku-0.31-deploy.test.ts).
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

describe("git push deploys the image's formation", () => {
  test("/app/DOKKU_SCALE web=1 worker=2 → 1 web + 2 worker, restart policy on-failure:10", async () => {
    const app = await host.createApp("scale");
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stderr + push.stdout, /DOKKU_SCALE file exists/);

    const containers = await deployedContainers(app);
    assert.deepEqual(countByType(containers), { web: 1, worker: 2 });
    for (const c of containers) {
      assert.deepEqual(c.restartPolicy, { Name: "on-failure", MaximumRetryCount: 10 }, c.name);
      assert.equal(c.running, true);
      assert.equal(c.image, `dokku/${app}:latest`);
      assert.equal(c.labels["com.dokku.app-name"], app);
      assert.equal(c.labels["com.dokku.container-type"], "deploy");
      assert.equal(c.labels["com.dokku.dyno"], `${c.processType}.${c.dyno.split(".")[1]}`);
      assert.equal(c.labels["dokku"], "");
      assert.equal(c.labels["org.label-schema.vendor"], "dokku");
    }
    assert.deepEqual(containers.map((c) => c.name).sort(), [`${app}.web.1`, `${app}.worker.1`, `${app}.worker.2`]);
    assert.equal(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), "web=1\nworker=2\n");
    assert.ok(existsSync(join(host.home, app, "DOKKU_SCALE.extracted")));

    const scale = await host.dokku("ps:scale", app);
    assert.equal(scale.code, 0);
    assert.equal(scale.stdout, `-----> Scaling for ${app}\nproctype: qty\n--------: ---\nweb:  1\nworker: 2\n`);

    const json = await host.dokku("ps:scale", app, "--format", "json");
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { web: 1, worker: 2 });

    const refused = await host.dokku("ps:scale", app, "worker=3");
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  });

  test("/DOKKU_SCALE with WORKDIR elsewhere is found", async () => {
    const app = await host.createApp("root");
    const dockerfile = `FROM ${BASE_IMAGE}\nWORKDIR /srv/code\nCOPY Procfile /srv/code/Procfile\nCOPY DOKKU_SCALE /DOKKU_SCALE\nCMD ["sleep", "86400"]\n`;
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=2\nworker=1\n" }, dockerfile));
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 2, worker: 1 });
  });

  test("WORKDIR/DOKKU_SCALE wins over /app and /", async () => {
    const app = await host.createApp("workdir");
    const dockerfile =
      `FROM ${BASE_IMAGE}\nWORKDIR /srv/code\nCOPY . /srv/code\nCOPY other-scale /DOKKU_SCALE\nCOPY other-scale /app/DOKKU_SCALE\nCMD ["sleep", "86400"]\n`;
    const src = await workTree(
      dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=1\n", "other-scale": "web=3\nworker=0\n" }, dockerfile),
    );
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
  });

  test("no DOKKU_SCALE → web=1 only; ps:scale then works and deploys", async () => {
    const app = await host.createApp("plain");
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    // post-create already wrote web=1, so (as in Dokku) the file exists and is reconciled with the Procfile.
    assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE.extracted")));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
    assert.equal((await host.dokku("ps:scale", app)).stdout, `-----> Scaling for ${app}\nproctype: qty\n--------: ---\nweb:  1\nworker: 0\n`);

    const scaled = await host.dokku("ps:scale", app, "worker=2");
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.match(scaled.stdout, new RegExp(`-----> Scaling ${app} processes: worker=2`));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

    const skip = await host.dokku("ps:scale", "--skip-deploy", app, "worker=1");
    assert.equal(skip.code, 0, skip.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 }, "--skip-deploy must not deploy");
    assert.match(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), /^worker=1$/m);

    const ghost = await host.dokku("ps:scale", app, "ghost=1");
    assert.equal(ghost.code, 1);
    assert.equal(ghost.stderr.trimEnd().split("\n").at(-1), " !     ghost is not a valid process name to scale up");
  });

  test("removing DOKKU_SCALE from the repo hands scaling back to ps:scale", async () => {
    const app = await host.createApp("handback");
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
    assert.equal((await host.push(app, src)).code, 0);
    const refused = await host.dokku("ps:scale", app, "worker=3");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /DOKKU_SCALE/);

    await commitFiles(src, { DOKKU_SCALE: null });
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE.extracted")));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });

    const scaled = await host.dokku("ps:scale", app, "worker=3");
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 3 });
  });

  test("a Procfile that does not parse fails the push and leaves the running release untouched", async () => {
    const app = await host.createApp("badproc");
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
    assert.equal((await host.push(app, src)).code, 0);
    const before = (await deployedContainers(app)).map((c) => c.id).sort();
    assert.equal(before.length, 1);

    await commitFiles(src, { Procfile: "web: sleep 86400\nthis line is not valid\n" });
    const push = await host.push(app, src);
    assert.notEqual(push.code, 0);
    assert.match(push.stderr, / !     Invalid Procfile: line 2 is not of the form 'process-type: command'/);
    const afterIds = (await deployedContainers(app)).map((c) => c.id).sort();
    assert.deepEqual(afterIds, before);
    assert.equal(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), "web=1\nworker=0\n");
  });

  test("an app pushed on a non-deploy branch name still deploys from master", async () => {
    const app = await host.createApp("master");
    const src = await workTree(dockerfileApp());
    const { execa } = await import("execa");
    const r = await execa("git", ["-c", "protocol.ext.allow=always", "push", "-q", `ext::${DOKKU} %S ${app}`, "HEAD:master"], {
      cwd: src,
      reject: false,
      env: host.env(),
    });
    assert.equal(r.exitCode, 0, String(r.stderr));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
  });
});
