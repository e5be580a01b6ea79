/**
 * The tests' build images (CI of 6049f19 failed on this): a test removing its
 * app's image must not remove the untagged parents under it, since another
 * test's build may stand on one of them as cache right then ("failed to set
 * parent …: unknown parent image ID"). The harness removes with --no-prune
 * and scripts/sweep-build-images.sh removes the leftovers when the run ends.
 * Here, alone (isolated/: the sweep must not run while other tests build),
 * once, on 0.38.27: its release build adds a labelled image to the chain.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, Host, REPO, dockerfileApp, requireEngine, workTree } from "../harness.ts";

export const CONCERNS_DOKKU = "0.38.27";

let kept: Host | undefined;
let removed: Host | undefined;
const dirs: string[] = [];

before(async () => {
  await requireEngine();
});
after(async () => {
  await removed?.destroy();
  await kept?.destroy();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  // This file's own leftovers, when it runs on its own.
  await execa("bash", [join(REPO, "scripts", "sweep-build-images.sh")]);
});

async function imageId(ref: string): Promise<string | undefined> {
  const r = await execa("docker", ["image", "inspect", "--format", "{{.Id}}", ref], { reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** The image's com.dokku.app-name label, if it has one. */
async function appLabel(id: string): Promise<string> {
  return (await execa("docker", ["image", "inspect", "--format", '{{index .Config.Labels "com.dokku.app-name"}}', id])).stdout.trim();
}

/** The image's ancestors up to (not including) the base image, nearest first. */
async function ancestors(ref: string): Promise<string[]> {
  const base = await imageId(BASE_IMAGE);
  const chain: string[] = [];
  let id = await imageId(ref);
  assert.ok(id, `${ref} exists`);
  for (;;) {
    const parent = (await execa("docker", ["image", "inspect", "--format", "{{.Parent}}", id as string])).stdout.trim();
    if (!parent || parent === base) break;
    chain.push(parent);
    id = parent;
  }
  return chain;
}

test("removing an app's image keeps the build parents under it; the end-of-run sweep removes them, never a tagged image or its parents", async () => {
  kept = await Host.create({ version: CONCERNS_DOKKU });
  removed = await Host.create({ version: CONCERNS_DOKKU });
  const keptApp = await kept.createApp("bimg");
  const removedApp = await removed.createApp("bimg");
  // The same Dockerfile: both builds share the WORKDIR step's image, as the
  // suite's apps do; the other content makes the rest of the chains differ.
  const keptSrc = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n", kept: "yes\n" }));
  const removedSrc = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n", removed: `${Date.now()}\n` }));
  dirs.push(keptSrc, removedSrc);
  for (const [h, app, src] of [[kept, keptApp, keptSrc], [removed, removedApp, removedSrc]] as const) {
    const push = await h.push(app, src);
    assert.equal(push.code, 0, push.stderr);
  }
  const keptChain = await ancestors(`dokku/${keptApp}:latest`);
  const removedChain = await ancestors(`dokku/${removedApp}:latest`);
  const own = removedChain.filter((id) => !keptChain.includes(id));
  const shared = removedChain.filter((id) => keptChain.includes(id));
  assert.ok(own.length > 0, "the removed app's build has parents of its own");
  assert.ok(shared.length > 0, "the two builds share a parent (the WORKDIR step)");

  // The app's own labelled images (0.38's build image under its release) go
  // with it, as the harness means; the build steps' images under them stay.
  const steps = [];
  for (const id of removedChain) if (!(await appLabel(id))) steps.push(id);
  assert.ok(steps.length > 0, "the removed app's build has step images");

  await removed.destroy();
  removed = undefined;
  assert.equal(await imageId(`dokku/${removedApp}:latest`), undefined, "the app's image is gone");
  for (const id of steps) assert.ok(await imageId(id), `build step image ${id} is still there after the app's images were removed`);

  const sweep = await execa("bash", [join(REPO, "scripts", "sweep-build-images.sh")], { reject: false });
  assert.equal(sweep.exitCode, 0, sweep.stderr);
  for (const id of own) assert.equal(await imageId(id), undefined, `the removed app's own build parent ${id} is swept`);
  assert.ok(await imageId(`dokku/${keptApp}:latest`), "the tagged image stays");
  for (const id of keptChain) assert.ok(await imageId(id), `the tagged image's parent ${id} stays`);
  assert.ok(await imageId(BASE_IMAGE), "the base image stays");
});
