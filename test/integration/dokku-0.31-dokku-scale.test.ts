/**
 * DOKKU_SCALE on a host speaking Dokku 0.31.5 (these tests concern that
 * version only; issue 16): a DOKKU_SCALE baked into the image is read out
 * of it in pre-deploy and becomes the `scale` property list with
 * `can-scale` false, which the host's 0.31.5 scheduler runs; it wins over an
 * app.json formation; an image without one hands scaling back. Real pushes,
 * the real engine.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, commitFiles, countByType, deployedContainers, dockerfileApp, dokkuUser, workTree, assertPsProperty } from "./harness.ts";

// This file concerns Dokku 0.31.5 only (DOKKU_SCALE read in pre-deploy on 0.31.5's ps contract): it runs once, in the first pass.
export const CONCERNS_DOKKU = "0.31.5";

let host: Host;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});


function assertProperty(app: string, key: string, content: string): void {
  assertPsProperty(host, app, key, content);
  const { uid, gid } = dokkuUser();
  const dir = statSync(join(host.lib, "config", "ps", app));
  assert.equal(dir.mode & 0o777, 0o755, "property dir mode");
  assert.deepEqual([dir.uid, dir.gid], [uid, gid], "property dir owner");
}

/** The push output's lines naming DOKKU_SCALE, without git's `remote: ` framing. */
const pushLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.replace(/^remote: /, "").replace(/\x1B\[1G/g, "").trimEnd())
    .filter((l) => l.includes("DOKKU_SCALE"));

test("0.31.5 push: DOKKU_SCALE in the image is the formation (scale dokku:dokku 0600, can-scale false), one push line, ps:scale refuses with 0.24's text; an image without it hands scaling back", async () => {
  const app = await host.createApp("d31scale");
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  const said = pushLines(push.stdout + push.stderr);
  assert.deepEqual(said, [`-----> Scaling ${app} from DOKKU_SCALE in the image: web=1 worker=2`], "one line says where the formation came from");
  assertProperty(app, "scale", "web=1\nworker=2\n");
  assertProperty(app, "can-scale", "false");
  assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE")), "no DOKKU_SCALE in the app dir on 0.31.5");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  assert.equal((await host.dokku("plugin:trigger", "ps-current-scale", app)).stdout, "web=1\nworker=2");
  assert.equal((await host.dokku("ps:report", app, "--ps-can-scale")).stdout, "false\n");

  const refused = await host.dokku("ps:scale", app, "worker=3");
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, "");
  assert.equal(refused.stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);
  assertProperty(app, "scale", "web=1\nworker=2\n");

  // ps:rebuild deploys the same image: the same formation.
  const rebuild = await host.dokku("ps:rebuild", app);
  assert.equal(rebuild.code, 0, rebuild.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

  await commitFiles(src, { DOKKU_SCALE: null });
  const again = await host.push(app, src);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!/from DOKKU_SCALE in the image/.test(again.stdout), "no DOKKU_SCALE line without one");
  assertProperty(app, "can-scale", "true");
  assertProperty(app, "scale", "web=1\nworker=2\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 }, "the formation stays");
  const up = await host.dokku("ps:scale", app, "worker=3");
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 3 });
});

test("0.31.5 push: DOKKU_SCALE in the image wins over an app.json formation; without DOKKU_SCALE the app.json formation applies and keeps can-scale false", async () => {
  const app = await host.createApp("d31both");
  const appJson = JSON.stringify({ formation: { web: { quantity: 2 }, worker: { quantity: 1 } } });
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n", "app.json": appJson }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(pushLines(push.stdout + push.stderr), [`-----> Scaling ${app} from DOKKU_SCALE in the image: web=1 worker=2`]);
  assertProperty(app, "scale", "web=1\nworker=2\n");
  assertProperty(app, "can-scale", "false");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });

  // A second push: app-json's ps-set-scale now comes while DOKKU_SCALE rules.
  await commitFiles(src, { "README": "again\n" });
  const second = await host.push(app, src);
  assert.equal(second.code, 0, second.stderr);
  assertProperty(app, "scale", "web=1\nworker=2\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  assert.equal((await host.dokku("ps:scale", app, "web=3")).stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);

  await commitFiles(src, { DOKKU_SCALE: null });
  const handed = await host.push(app, src);
  assert.equal(handed.code, 0, handed.stderr);
  assertProperty(app, "can-scale", "false");
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 2, worker: 1 }, "app.json's formation, as core ps 0.31.5");
  const refused = await host.dokku("ps:scale", app, "worker=3");
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, ` !     App ${app} contains an app.json file with a formations key and cannot be manually scaled\n`);
  assert.equal(readdirNames(join(host.lib, "data", "ps", app)).filter((n) => n.startsWith("app-json-scale.")).length, 0, "no request left behind");
});

test("0.31.5 push: a DOKKU_SCALE at / (WORKDIR elsewhere) is read too, and a bad one fails the push and changes nothing", async () => {
  const app = await host.createApp("d31root");
  const dockerfile = `FROM dokku-ps/busybox:latest\nWORKDIR /srv\nCOPY Procfile /srv/Procfile\nCOPY DOKKU_SCALE /DOKKU_SCALE\nCMD ["sleep", "86400"]\n`;
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=0\nworker=1\n" }, dockerfile));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assertProperty(app, "scale", "web=0\nworker=1\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { worker: 1 });

  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=lots\n" });
  const bad = await host.push(app, src);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout + bad.stderr, /Invalid DOKKU_SCALE line 2/);
  assertProperty(app, "scale", "web=0\nworker=1\n");
  assert.deepEqual(countByType(await deployedContainers(app)), { worker: 1 });
});

test("0.31.5 push: an app whose image never shipped DOKKU_SCALE gets no extra line and nothing in data/ps/<app>/ but core ps's Procfile; after a DOKKU_SCALE is dropped, nothing of it stays there", async () => {
  const app = await host.createApp("d31plain");
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  const dataPs = () => readdirNames(join(host.lib, "data", "ps", app)).sort();
  for (const round of [1, 2]) {
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.deepEqual(pushLines(push.stdout + push.stderr), [], `push ${round}: no DOKKU_SCALE line`);
    assert.ok(!/can be scaled again/.test(push.stdout + push.stderr), `push ${round}: no hand-back line`);
    assert.deepEqual(dataPs(), ["Procfile"], `push ${round}: data/ps/<app>/ as core ps 0.31.5 leaves it`);
    assert.deepEqual(readdirNames(join(host.lib, "config", "ps", app)).sort(), ["can-scale", "scale"]);
    assertProperty(app, "can-scale", "true");
    await commitFiles(src, { README: `round ${round}\n` });
  }
  const restart = await host.dokku("ps:restart", app);
  assert.equal(restart.code, 0, restart.stderr);
  assert.deepEqual(pushLines(restart.stdout + restart.stderr), []);
  assert.deepEqual(dataPs(), ["Procfile"], "after ps:restart too");

  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=1\n" });
  assert.equal((await host.push(app, src)).code, 0);
  assert.deepEqual(dataPs(), ["DOKKU_SCALE", "Procfile", "image-files.json"], "while DOKKU_SCALE rules");
  await commitFiles(src, { DOKKU_SCALE: null });
  const back = await host.push(app, src);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout + back.stderr, new RegExp(`No DOKKU_SCALE in the image: ${app} can be scaled again`));
  assert.deepEqual(dataPs(), ["Procfile"], "the marker and the kept texts are gone");
  assertProperty(app, "can-scale", "true");
});

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
