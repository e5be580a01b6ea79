/**
 * How pre-deploy reads the image (issue 5, P2/P4/P5), seen from the
 * engine's own event stream: a new image costs one throw-away container and
 * one archive request (its WORKDIR, scanned for Procfile and DOKKU_SCALE),
 * removed by the time the trigger exits; a restart of the same image ID
 * reads nothing but the ID. The kept texts are trusted only for the very
 * image ID they were read from. An app whose WORKDIR holds too much before
 * its Procfile (herokuish's .heroku) is read file by file from then on.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, Host, commitFiles, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: pre-deploy reads the Procfile and DOKKU_SCALE out of the image (0.31.5 copies the Procfile from the pushed source).
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

/**
 * What ps asked of the engine to read images while `fn` ran (docker
 * events): throw-away containers created, archive requests made through
 * them, and containers still there afterwards.
 */
async function extractionContainersDuring(app: string, fn: () => Promise<void>): Promise<{ created: number; archives: number; left: number }> {
  // Whole seconds for the query, then the events' own nanosecond times: an
  // event of the step before (a push just done) is not this step's.
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const since = Math.floor(Date.now() / 1000) - 1;
  await fn();
  const until = Math.floor(Date.now() / 1000) + 1;
  const filters = ["--filter", "type=container", "--filter", "label=com.dokku.container-type=ps-extract", "--filter", `label=com.dokku.app-name=${app}`];
  const events = await execa("docker", ["events", "--since", String(since), "--until", String(until), ...filters, "--format", "{{.TimeNano}} {{.Action}}"]);
  const actions = String(events.stdout)
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ") as [string, string])
    .filter(([time]) => BigInt(time) >= startNs)
    .map(([, action]) => action);
  const left = await execa("docker", ["ps", "-aq", "--filter", "label=com.dokku.container-type=ps-extract", "--filter", `label=com.dokku.app-name=${app}`]);
  return {
    created: actions.filter((a) => a === "create").length,
    archives: actions.filter((a) => a === "archive-path").length,
    left: String(left.stdout).split("\n").filter(Boolean).length,
  };
}

/** A push that must succeed, and what it asked of the engine to read the image. */
const pushCounting = (app: string, src: string) =>
  extractionContainersDuring(app, async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });

const imageId = async (app: string) => String((await execa("docker", ["image", "inspect", "-f", "{{.Id}}", `dokku/${app}:latest`])).stdout).trim();

test("a new image is read through one container and one archive request, a restart of the same image through none", async () => {
  const app = await host.createApp("reads");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=1\n" }));
  const push = await pushCounting(app, src);
  assert.deepEqual(push, { created: 1, archives: 1, left: 0 });
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
  assert.deepEqual(restart, { created: 0, archives: 0, left: 0 });
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
  assert.deepEqual(stale, { created: 1, archives: 1, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
  writeFileSync(kept, "{not json");
  const broken = await extractionContainersDuring(app, async () => {
    const r = await host.dokku("ps:restart", app);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(broken, { created: 1, archives: 1, left: 0 });

  // A push with a new DOKKU_SCALE is a new image: read again, and applied.
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=2\n" });
  const second = await pushCounting(app, src);
  assert.deepEqual(second, { created: 1, archives: 1, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
});

test("a WORKDIR with megabytes before its Procfile: the scan gives up, files are read one by one, and so from then on", async () => {
  const app = await host.createApp("heavy");
  // Like a herokuish /app: a big .heroku sorts before Procfile and DOKKU_SCALE.
  const dockerfile = `FROM ${BASE_IMAGE}\nWORKDIR /app\nRUN mkdir -p /app/.heroku && dd if=/dev/zero of=/app/.heroku/runtime bs=1M count=6 2>/dev/null\nCOPY . /app\nCMD ["sleep", "86400"]\n`;
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=2\n" }, dockerfile));
  const first = await pushCounting(app, src);
  // The scan, then Procfile and DOKKU_SCALE by path through the same container.
  assert.deepEqual(first, { created: 1, archives: 3, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  const kept = JSON.parse(readFileSync(join(host.lib, "data", "ps", app, "image-files.json"), "utf8"));
  assert.equal(kept.perFileReads, true);

  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=1\n" });
  const second = await pushCounting(app, src);
  // No scan: Procfile and DOKKU_SCALE in parallel, a container each.
  assert.deepEqual(second, { created: 2, archives: 2, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
});

test("a Procfile hard-linked to an earlier path (a link entry in the scan) is read by path", async () => {
  const app = await host.createApp("hardlink");
  const dockerfile = `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nRUN mv /app/Procfile /app/A-procfile && ln /app/A-procfile /app/Procfile\nCMD ["sleep", "86400"]\n`;
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n", DOKKU_SCALE: "web=1\nworker=2\n" }, dockerfile));
  const push = await pushCounting(app, src);
  assert.deepEqual(push, { created: 1, archives: 2, left: 0 });
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
});

test("what the scan finds in the image is refused as a per-file read refuses it, and the running app is untouched", async () => {
  const app = await host.createApp("scanbad");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
  assert.equal((await host.push(app, src)).code, 0);
  const running = (await deployedContainers(app)).map((c) => c.id).sort();
  const cases: Array<[string, RegExp]> = [
    ["RUN rm /app/Procfile && ln -s /etc/hostname /app/Procfile", /Procfile in the app image is a symlink, not a regular file; refusing it/],
    ["RUN mkdir /app/DOKKU_SCALE", /DOKKU_SCALE in the app image is a directory, not a regular file; refusing it/],
    ["RUN dd if=/dev/zero of=/app/app.json bs=1k count=80 2>/dev/null", /app.json in the app image is larger than 65536 bytes; refusing it/],
  ];
  for (const [step, message] of cases) {
    await commitFiles(src, { Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\n${step}\nCMD ["sleep", "86400"]\n` });
    const r = await host.push(app, src);
    assert.notEqual(r.code, 0, step);
    assert.match(r.stderr, message, step);
    assert.deepEqual((await deployedContainers(app)).map((c) => c.id).sort(), running, step);
  }
});
