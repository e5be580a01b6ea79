/**
 * Concurrency and crash safety (issue 6): the deploy lock serialises
 * formation changes, and atomic writes mean a killed command never leaves
 * a torn file.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, PROCFILE_WEB_WORKER, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";
import { parseImageScaleFile } from "../../src/core/formation.ts";
import { assertRestartPolicy } from "../../src/core/restart-policy.ts";

let host: Host;
before(async () => {
  host = await Host.create();
});
after(async () => {
  await host?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("concurrent and interrupted ps commands", () => {
  test("20 concurrent ps:scale worker=N: the file is one of the requests and the containers match it", async () => {
    const app = await host.createApp("race");
    const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => host.dokku("ps:scale", app, `worker=${i + 1}`)));
    const winners = results.map((r, i) => ({ r, n: i + 1 })).filter(({ r }) => r.code === 0);
    assert.ok(winners.length >= 1, "at least one ps:scale succeeded");
    for (const r of results.filter((x) => x.code !== 0)) {
      assert.equal(r.stderr, ` !     ${app} currently has a deploy lock in place. Exiting...\n`);
    }
    const formation = parseImageScaleFile(readFileSync(host.formationFile(app), "utf8"));
    const workers = formation.get("worker");
    assert.ok(winners.some(({ n }) => n === workers), `formation worker=${workers} is one that succeeded`);
    assert.equal(formation.get("web"), 1);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: workers });
  });

  test("kill -9 at random points during 100 writes never leaves a torn formation or property file", async () => {
    const app = await host.createApp("crash");
    const policies = ["always", "no", "unless-stopped", "on-failure:3"];
    for (let i = 0; i < 100; i++) {
      const write =
        i % 2 === 0
          ? ["ps:scale", "--skip-deploy", app, `web=${(i % 7) + 1}`, `worker=${i % 5}`]
          : ["ps:set", app, "restart-policy", policies[i % policies.length] as string];
      const child = execa(DOKKU, write, { env: host.env(), reject: false, detached: true, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      await sleep(Math.floor(Math.random() * 250));
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already finished
      }
      await child;
      // 0.24's post-create writes DOKKU_SCALE; on 0.31.5 the scale property
      // is absent until a ps:scale gets far enough to write it.
      if (host.is024 || existsSync(host.formationFile(app))) {
        const scale = readFileSync(host.formationFile(app), "utf8");
        const formation = parseImageScaleFile(scale);
        assert.ok((formation.get("web") ?? 0) >= 1, `web count intact after kill ${i}: ${JSON.stringify(scale)}`);
      }
      if (host.contract.restartPolicyStore === "docker-options") {
        const options = readFileSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY"), "utf8");
        assert.match(options, /^--restart=\S+\n$/, `DOCKER_OPTIONS_DEPLOY intact after kill ${i}`);
        assertRestartPolicy(options.trim().slice("--restart=".length));
      } else {
        // 0.38.9+: the property `restart-policy` only (no --restart deploy option: restartPolicyOf checks),
        // absent until the first ps:set gets far enough to write it, never torn.
        const policy = host.restartPolicyOf(app);
        if (policy !== undefined) assertRestartPolicy(policy);
      }
      const propDir = join(host.lib, "config", "ps", app);
      // Absent until the first ps:set gets far enough to write it.
      const written = existsSync(propDir) ? readdirSync(propDir) : [];
      for (const name of written.filter((n) => !n.endsWith(".tmp"))) {
        const value = readFileSync(join(propDir, name), "utf8");
        if (name === "restart-policy") assertRestartPolicy(value);
      }
    }
  });
});
