/**
 * Issue 11, failure 5: `procfile-extract <app> <image>` and
 * `procfile-remove <app>`, which core ps 0.24.10 answers (app-json's
 * release-task lookup fires `procfile-extract` with the image being
 * deployed). Fired the way other plugins fire them, through the
 * trigger-caller fixture and plugn, on a deployed app and on images built
 * here; outputs and exit codes are those of Dokku's own ps
 * (plugins/ps/triggers.go and functions.go at v0.24.10):
 * `-----> App Procfile file found` / `-----> No Procfile found in app image`,
 * exit 0 also for an image that does not exist; a Procfile that fails the
 * check fails after the found line, with pre-deploy's message.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, callerCwd, REPO, BASE_IMAGE, countByType, deployedContainers, dockerfileApp, workTree, type RunResult } from "./harness.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.24.10 only: procfile-extract and procfile-remove are core ps 0.24's triggers, gone since 0.30.
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
let app: string;
const scratch: string[] = [];
const images: string[] = [];

const PROCFILE = "web: env SEEN_PORT=$PORT sleep 86400\nworker: sleep 86400\n";

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
  host.installFixturePlugin("trigger-caller");

  app = await host.createApp("pfx");
  const src = await workTree(dockerfileApp({ Procfile: PROCFILE }));
  scratch.push(src);
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
});
after(async () => {
  if (images.length) await execa("docker", ["rmi", "-f", "--no-prune", ...images], { reject: false });
  await host?.destroy();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** `dokku trigger-caller:fire <trigger> <args…>`: plugn runs ps's hook as another plugin's call would. */
async function fire(trigger: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const r = await execa(DOKKU, ["trigger-caller:fire", trigger, ...args], {
    env: host.env(env),
    cwd: callerCwd(),
    reject: false,
    stripFinalNewline: false,
    stdin: "ignore",
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** An image built straight from files (no push, so no post-extract check on the way). */
async function buildImage(files: Record<string, string>, workdir = "/app"): Promise<string> {
  const dir = tempDir("dokku-ps-img-");
  scratch.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, "Dockerfile"), `FROM ${BASE_IMAGE}\nWORKDIR ${workdir}\nCOPY . ${workdir}\nCMD ["sleep", "86400"]\n`);
  const name = `dokku-ps-test/pfx-${Math.random().toString(16).slice(2, 10)}:built`;
  const r = await execa("docker", ["image", "build", "--network=none", "-q", "-t", name, dir], { reject: false });
  assert.equal(r.exitCode, 0, String(r.stderr));
  images.push(name);
  return name;
}

const dataDir = () => join(host.lib, "data", "ps", app);
const copy = () => join(dataDir(), "Procfile");
const hot = () => join(dataDir(), "hot");
const FOUND = "-----> App Procfile file found\n";
const NOT_FOUND = "-----> No Procfile found in app image\n";

describe("procfile-extract", () => {
  test("from the app's image: found line, the copy, the data dir 0755, answers that match the copy", async () => {
    rmSync(dataDir(), { recursive: true, force: true });
    const r = await fire("procfile-extract", [app, `dokku/${app}:latest`]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, FOUND, ""]);
    assert.equal(readFileSync(copy(), "utf8"), PROCFILE);
    assert.equal(statSync(dataDir()).mode & 0o777, 0o755);
    // What the per-container shims answer from is derived from this copy.
    assert.equal(readFileSync(join(hot(), "start-command.web.5000"), "utf8"), "env SEEN_PORT=5000 sleep 86400\n");
    assert.equal((await fire("procfile-get-command", [app, "web", "5000"])).stdout, "env SEEN_PORT=5000 sleep 86400\n");
    assert.equal((await fire("procfile-get-command", [app, "worker"])).stdout, "sleep 86400\n");

    const quiet = await fire("procfile-extract", [app, `dokku/${app}:latest`], { DOKKU_QUIET_OUTPUT: "1" });
    assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, "", ""]);
  });

  test("an image without a Procfile: not-found line, exit 0, no copy and no answers left from the old one", async () => {
    const bare = await buildImage({ "README": "no procfile here\n" });
    const r = await fire("procfile-extract", [app, bare]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, NOT_FOUND, ""]);
    assert.ok(!existsSync(copy()), "the old copy is gone");
    assert.ok(!existsSync(hot()), "no answers outlive the copy they came from");
    // As in Dokku, the command is then read out of the app's image again.
    assert.equal((await fire("procfile-get-command", [app, "web", "5000"])).stdout, "env SEEN_PORT=5000 sleep 86400\n");
    assert.equal(readFileSync(copy(), "utf8"), PROCFILE);
  });

  test("the Procfile is looked for where pre-deploy looks: the image's WORKDIR", async () => {
    const other = await buildImage({ Procfile: "web: sleep 2\nclock: sleep 3\n" }, "/srv/code");
    const r = await fire("procfile-extract", [app, other]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, FOUND, ""]);
    assert.equal(readFileSync(copy(), "utf8"), "web: sleep 2\nclock: sleep 3\n");
    assert.equal((await fire("procfile-get-command", [app, "clock"])).stdout, "sleep 3\n");
    // Back to the app's own image for the tests that follow.
    assert.equal((await fire("procfile-extract", [app, `dokku/${app}:latest`])).code, 0);
    assert.equal(readFileSync(copy(), "utf8"), PROCFILE);
  });

  test("an image that does not exist, or a name that is no image reference: no Procfile, exit 0 (as Dokku)", async () => {
    for (const image of [`dokku/${app}:no-such-tag`, "", "../containers/json", "-x", "a b", "Dokku/UPPER"]) {
      assert.equal((await fire("procfile-extract", [app, `dokku/${app}:latest`])).code, 0);
      const r = await fire("procfile-extract", [app, image]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, NOT_FOUND, ""], `image ${JSON.stringify(image)}`);
      assert.ok(!existsSync(copy()), `image ${JSON.stringify(image)}: the old copy is removed first, as in Dokku`);
    }
    assert.equal((await fire("procfile-extract", [app, `dokku/${app}:latest`])).code, 0);
  });

  test("a Procfile that fails the check fails as pre-deploy's check does, after the found line", async () => {
    const bad = await buildImage({ Procfile: "web: sleep 86400\nnot a procfile line\n" });
    const r = await fire("procfile-extract", [app, bad]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, FOUND);
    assert.equal(r.stderr, " !     Invalid Procfile: line 2 is not of the form 'process-type: command'\n");
    assert.ok(!existsSync(copy()), "an invalid Procfile is not kept as the copy");
    assert.ok(!existsSync(hot()));

    // pre-deploy of the same image, tagged as one of the app's: the same message.
    await execa("docker", ["tag", bad, `dokku/${app}:badproc`]);
    images.push(`dokku/${app}:badproc`);
    const pre = await fire("pre-deploy", [app, "badproc"]);
    assert.equal(pre.code, 1);
    assert.equal(pre.stderr, r.stderr);

    assert.equal((await fire("procfile-extract", [app, `dokku/${app}:latest`])).code, 0);
  });

  test("bad app names are refused before any use", async () => {
    for (const bad of ["../victim", "..", "a/../../victim", "-x"]) {
      for (const [trigger, rest] of [["procfile-extract", [`dokku/${app}:latest`]], ["procfile-remove", []]] as const) {
        const r = await fire(trigger, [bad, ...rest]);
        assert.equal(r.code, 1, `${trigger} ${bad}`);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^ !     (App name must begin|Please specify an app)/);
      }
    }
  });
});

describe("procfile-remove", () => {
  test("drops the copy and its answers, silently; again is a no-op; the command comes from the image after", async () => {
    assert.ok(existsSync(copy()));
    assert.ok(existsSync(hot()));
    const r = await fire("procfile-remove", [app]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, "", ""]);
    assert.ok(!existsSync(copy()));
    assert.ok(!existsSync(hot()));
    assert.ok(existsSync(dataDir()), "the data dir itself stays");
    const again = await fire("procfile-remove", [app]);
    assert.deepEqual([again.code, again.stdout, again.stderr], [0, "", ""]);
    assert.equal((await fire("procfile-get-command", [app, "web", "6000"])).stdout, "env SEEN_PORT=6000 sleep 86400\n");
  });

  test("never loads dockerode", async () => {
    const record = join(tempDir("dokku-ps-mods-"), "modules.txt");
    scratch.push(join(record, ".."));
    const hook = join(REPO, "test", "fixtures", "record-modules.cjs");
    const plugin = join(host.lib, "plugins", "enabled", "ps");
    const r = await execa(join(plugin, "procfile-remove"), [app], {
      env: host.env({ NODE_OPTIONS: `--require=${hook}`, DOKKU_PS_RECORD_MODULES: record }),
      reject: false,
      stdin: "ignore",
    });
    assert.equal(r.exitCode, 0, String(r.stderr));
    const loaded = readFileSync(record, "utf8").split("\n").filter(Boolean);
    assert.ok(loaded.some((u) => u.endsWith("/dist/ps.cjs")), "the hook saw the entry");
    const vendor = join(plugin, "dist", "vendor");
    const dockerode = readdirSync(vendor).find((f) => readFileSync(join(vendor, f), "utf8").includes("docker-modem"));
    assert.ok(dockerode);
    assert.ok(!loaded.some((u) => u.includes(dockerode)), "procfile-remove loaded dockerode");
  });
});
