/**
 * GitHub issue 4, item 12: deploying a prebuilt image with the host's
 * `git:from-image <app> <image>` (tag as dokku/<app>:latest, then
 * release-and-deploy). The image's DOKKU_SCALE is found at WORKDIR (not
 * /app) or at / and applied. Images built here are removed at the end.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { BASE_IMAGE, Host, PROCFILE_WEB_WORKER, countByType, deployedContainers } from "./harness.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.24.10 only: git:from-image applies the image's DOKKU_SCALE, which 0.30+ ignores.
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
const builtImages: string[] = [];
const dirs: string[] = [];

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
});
after(async () => {
  if (builtImages.length) await execa("docker", ["rmi", "-f", "--no-prune", ...builtImages], { reject: false });
  await host?.destroy();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `docker build --network=none` of a context holding `files`; returns the tag. */
async function buildImage(dockerfile: string, files: Record<string, string>): Promise<string> {
  const dir = tempDir("dokku-ps-img-");
  dirs.push(dir);
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const tag = `dokku-ps-it/from-image-${randomBytes(4).toString("hex")}:v1`;
  builtImages.push(tag);
  const r = await execa("docker", ["build", "--network=none", "-q", "-t", tag, dir], { reject: false });
  assert.equal(r.exitCode, 0, String(r.stderr));
  return tag;
}

async function imageWorkingDir(image: string): Promise<string> {
  const r = await execa("docker", ["image", "inspect", "--format", "{{.Config.WorkingDir}}", image]);
  return String(r.stdout).trim();
}

async function fromImage(app: string, image: string): Promise<string> {
  const r = await host.dokku("git:from-image", app, image);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout + r.stderr;
}

describe("git:from-image applies the image's DOKKU_SCALE", () => {
  test("WORKDIR/DOKKU_SCALE (WORKDIR is not /app) is the formation and wins over /DOKKU_SCALE", async () => {
    const image = await buildImage(
      `FROM ${BASE_IMAGE}\nWORKDIR /srv/code\nCOPY Procfile DOKKU_SCALE /srv/code/\nCOPY decoy /DOKKU_SCALE\nCMD ["sleep", "86400"]\n`,
      { Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n", decoy: "web=3\nworker=0\n" },
    );
    assert.equal(await imageWorkingDir(image), "/srv/code");
    const app = await host.createApp("imgwd");
    const out = await fromImage(app, image);
    assert.match(out, /-----> App Procfile file found/);
    assert.match(out, /-----> DOKKU_SCALE file exists/);

    const containers = await deployedContainers(app);
    assert.deepEqual(countByType(containers), { web: 1, worker: 2 });
    for (const c of containers) {
      assert.equal(c.image, `dokku/${app}:latest`);
      assert.deepEqual(c.restartPolicy, { Name: "on-failure", MaximumRetryCount: 10 });
    }
    assert.equal(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), "web=1\nworker=2\n");
    assert.ok(existsSync(join(host.home, app, "DOKKU_SCALE.extracted")));
    const refused = await host.dokku("ps:scale", app, "worker=1");
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, ` !     App ${app} contains DOKKU_SCALE file and cannot be manually scaled\n`);

    // An image-only app has no git refs: ps:rebuild is a silent no-op (contract §5.4).
    const ids = containers.map((c) => c.id).sort();
    const rebuild = await host.dokku("ps:rebuild", app);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.deepEqual((await deployedContainers(app)).map((c) => c.id).sort(), ids);
  });

  test("/DOKKU_SCALE alone (nothing at WORKDIR or /app) is the formation", async () => {
    const image = await buildImage(
      `FROM ${BASE_IMAGE}\nWORKDIR /opt/elsewhere\nCOPY Procfile /opt/elsewhere/Procfile\nCOPY DOKKU_SCALE /DOKKU_SCALE\nCMD ["sleep", "86400"]\n`,
      { Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=2\nworker=1\n" },
    );
    assert.equal(await imageWorkingDir(image), "/opt/elsewhere");
    const check = await execa("docker", ["run", "--rm", "--network=none", image, "sh", "-c", "test ! -e /opt/elsewhere/DOKKU_SCALE && test ! -e /app/DOKKU_SCALE && test -f /DOKKU_SCALE"], { reject: false });
    assert.equal(check.exitCode, 0, "the image layout is what this test is about");

    const app = await host.createApp("imgroot");
    const out = await fromImage(app, image);
    assert.match(out, /-----> DOKKU_SCALE file exists/);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 2, worker: 1 });
    assert.equal(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), "web=2\nworker=1\n");
  });
});
