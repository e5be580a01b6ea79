/**
 * The per-container triggers answer from what pre-deploy precomputed
 * without starting Node: those answers must equal what the bundled entry
 * computes, and must not outlive a change of restart policy.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, PROCFILE_WEB_WORKER, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: the shell fast paths answer 0.24's per-container triggers from what pre-deploy precomputed (0.30+'s read the files the entry reads: test/fast-paths-0.31.test.ts).
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

test("hot answers equal the entry's, and a policy change invalidates them", async () => {
  const app = await host.createApp("hot");
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: "web: httpd -f -p $PORT\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=1\n" })));
  assert.equal(push.code, 0, push.stderr);
  const plugin = join(host.lib, "plugins", "enabled", "ps");
  const hot = join(host.lib, "data", "ps", app, "hot");
  assert.ok(existsSync(join(hot, "start-command.web.5000")), "pre-deploy precomputed the answers");

  const viaShim = (trigger: string, args: string[], input = "") => execa(join(plugin, trigger), args, { env: host.env(), input, stripFinalNewline: false });
  const viaEntry = (trigger: string, args: string[], input = "") =>
    execa("node", [join(plugin, "dist", "ps.cjs"), "trigger", trigger, ...args], { env: host.env(), input, stripFinalNewline: false });

  for (const type of ["web", "worker"]) {
    const fast = await viaShim("procfile-get-command", [app, type, "5000"]);
    const slow = await viaEntry("procfile-get-command", [app, type, "5000"]);
    assert.equal(fast.stdout, slow.stdout, type);
  }
  assert.equal((await viaShim("procfile-get-command", [app, "web", "5000"])).stdout, "httpd -f -p 5000\n");
  // Another port is not precomputed: the entry answers.
  assert.equal((await viaShim("procfile-get-command", [app, "web", "8080"])).stdout, "httpd -f -p 8080\n");
  // A hostile type never reaches a path: the entry refuses it.
  assert.notEqual((await execa(join(plugin, "procfile-get-command"), [app, "../../x", "5000"], { env: host.env(), reject: false })).exitCode, 0);

  const args = ["dockerfile", "latest", "web", "1"];
  assert.equal((await viaShim("docker-args-process-deploy", [app, ...args], "--env=A=1")).stdout, "--env=A=1 --restart=on-failure:10");
  assert.equal((await viaShim("docker-args-process-deploy", [app, ...args], "--env=A=1")).stdout, (await viaEntry("docker-args-process-deploy", [app, ...args], "--env=A=1")).stdout);

  assert.equal((await host.dokku("ps:set", app, "restart-policy", "always")).code, 0);
  assert.ok(!existsSync(hot), "a policy change drops the precomputed answers");
  assert.equal((await viaShim("docker-args-process-deploy", [app, ...args])).stdout, " --restart=always");
  const restart = await host.dokku("ps:restart", app);
  assert.equal(restart.code, 0, restart.stderr);
  const containers = await deployedContainers(app);
  assert.deepEqual(countByType(containers), { web: 1, worker: 1 });
  for (const c of containers) assert.equal(c.restartPolicy.Name, "always");
  assert.deepEqual(containers.find((c) => c.processType === "web")?.cmd, ["httpd", "-f", "-p", "5000"]);
});

test("an image without a Procfile: the shim gives the entry's error, and the image CMD runs", async () => {
  const app = await host.createApp("hot-noproc");
  const push = await host.push(app, await workTree(dockerfileApp({ DOKKU_SCALE: "web=1\n" })));
  assert.equal(push.code, 0, push.stderr);
  const plugin = join(host.lib, "plugins", "enabled", "ps");
  assert.ok(existsSync(join(host.lib, "data", "ps", app, "hot", "no-procfile")));
  const fast = await execa(join(plugin, "procfile-get-command"), [app, "web", "5000"], { env: host.env(), reject: false });
  const slow = await execa("node", [join(plugin, "dist", "ps.cjs"), "trigger", "procfile-get-command", app, "web", "5000"], { env: host.env(), reject: false });
  assert.deepEqual([fast.exitCode, fast.stdout, fast.stderr], [slow.exitCode, slow.stdout, slow.stderr]);
  assert.deepEqual([fast.exitCode, fast.stderr], [1, " !     No procfile found"]);
  const [web] = await deployedContainers(app);
  assert.deepEqual(web?.cmd, ["sleep", "86400"]);
});
