/**
 * How pre-deploy reads the image (issue 5, P2/P4), seen from the engine's
 * own event stream: a new image costs two throw-away containers (Procfile
 * and DOKKU_SCALE read in parallel), all removed by the time the trigger
 * exits; a restart of the same image ID reads nothing but the ID. The kept
 * texts are trusted only for the very image ID they were read from.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, commitFiles, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

let host: Host;
before(async () => {
  host = await Host.create();
});
after(async () => {
  await host?.destroy();
});

/** Containers ps created to read images while `fn` ran (docker events), and any still there after. */
async function extractionContainersDuring(app: string, fn: () => Promise<void>): Promise<{ created: number; left: number }> {
  const since = Math.floor(Date.now() / 1000) - 1;
  await fn();
  const until = Math.floor(Date.now() / 1000) + 1;
  const filters = ["--filter", "type=container", "--filter", "label=com.dokku.container-type=ps-extract", "--filter", `label=com.dokku.app-name=${app}`];
  const events = await execa("docker", ["events", "--since", String(since), "--until", String(until), ...filters, "--filter", "event=create", "--format", "{{.Actor.ID}}"]);
  const left = await execa("docker", ["ps", "-aq", "--filter", "label=com.dokku.container-type=ps-extract", "--filter", `label=com.dokku.app-name=${app}`]);
  return { created: String(events.stdout).split("\n").filter(Boolean).length, left: String(left.stdout).split("\n").filter(Boolean).length };
}

const imageId = async (app: string) => String((await execa("docker", ["image", "inspect", "-f", "{{.Id}}", `dokku/${app}:latest`])).stdout).trim();

test("a new image is read through two containers, a restart of the same image through none", async () => {
  const app = await host.createApp("reads");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=1\n" }));
  const push = await extractionContainersDuring(app, async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(push, { created: 2, left: 0 });
  const kept = join(host.lib, "data", "ps", app, "image-files.json");
  assert.deepEqual(JSON.parse(readFileSync(kept, "utf8")), {
    image: await imageId(app),
    procfileText: "web: sleep 86400\nworker: sleep 86400\n",
    scaleText: "web=1\nworker=1\n",
  });

  const before = await deployedContainers(app);
  const restart = await extractionContainersDuring(app, async () => {
    const r = await host.dokku("ps:restart", app);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(restart, { created: 0, left: 0 });
  const after = await deployedContainers(app);
  assert.deepEqual(countByType(after), { web: 1, worker: 1 });
  assert.ok(after.every((c) => !before.some((b) => b.id === c.id)), "new containers");

  // Kept texts for another image ID, or an unreadable file, are ignored: the image is read again.
  const text = readFileSync(kept, "utf8");
  writeFileSync(kept, text.replace(/"image":"sha256:[0-9a-f]+"/, `"image":"sha256:${"0".repeat(64)}"`).replace("worker=1", "worker=5"));
  const stale = await extractionContainersDuring(app, async () => {
    const r = await host.dokku("ps:restart", app);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(stale, { created: 2, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
  writeFileSync(kept, "{not json");
  const broken = await extractionContainersDuring(app, async () => {
    const r = await host.dokku("ps:restart", app);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(broken, { created: 2, left: 0 });

  // A push with a new DOKKU_SCALE is a new image: read again, and applied.
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=2\n" });
  const second = await extractionContainersDuring(app, async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(second, { created: 2, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
});
