/**
 * host/ fidelity of the docker-local scheduler (issue 11): as Dokku 0.24.10's,
 * it evaluates the start command into words, so Procfile quoting works —
 * `web: sh -c 'sleep 86400' x` runs `sh`, `-c`, `sleep 86400`, `x`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Host, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

let host: Host;
before(async () => {
  host = await Host.create();
});
after(async () => {
  await host?.destroy();
});

test("a quoted Procfile command is run as bash words, as Dokku's scheduler evaluates it", async () => {
  const app = await host.createApp("words");
  const src = await workTree(dockerfileApp({ Procfile: "web: sh -c 'sleep 86400' x\nworker: sleep \"86400\"\n" }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr + push.stdout);
  const scale = await host.dokku("ps:scale", app, "worker=1");
  assert.equal(scale.code, 0, scale.stderr + scale.stdout);
  const byType = new Map((await deployedContainers(app)).map((c) => [c.processType, c]));
  assert.deepEqual(byType.get("web")?.cmd, ["sh", "-c", "sleep 86400", "x"]);
  assert.equal(byType.get("web")?.running, true);
  assert.deepEqual(byType.get("worker")?.cmd, ["sleep", "86400"]);
  assert.equal(byType.get("worker")?.running, true);
  // As Dokku: PORT is set for every process type, empty unless web.
  assert.ok(byType.get("web")?.env.includes("PORT=5000"));
  assert.ok(byType.get("worker")?.env.includes("PORT="));
});
