/**
 * GitHub issue 4, item 8: every trigger ps implements, fired the way other
 * plugins fire it — `dokku trigger-caller:fire <trigger> <args…>` runs the
 * fixture plugin (test/fixtures/trigger-caller), which runs
 * `plugn trigger <trigger> <args…>`, which runs ps's hook — with Dokku's
 * arguments, asserting the effect on files, on the engine and on stdout.
 * Only one push: the engine-dependent triggers share one deployed app.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, countByType, deployedContainers, dockerfileApp, dokkuUser, workTree, type RunResult } from "./harness.ts";
import { treeHash } from "./state.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.24.10 only: core ps 0.24.10's triggers (post-create's DOKKU_SCALE, pre-start, post-extract, docker-args-process-deploy…); 0.31.5's: dokku-0.31.test.ts.
export const CONCERNS_DOKKU = "0.24.10";

let host: Host;
const scratch: string[] = [];

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU });
  host.installFixturePlugin("trigger-caller");
});
after(async () => {
  await host?.destroy();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * `dokku trigger-caller:fire <trigger> <args…>`, optionally with stdin. The
 * input comes from a regular file, as a shell redirect gives it: plugn
 * cannot run with a socket as stdin (what execa's `input` would give).
 */
async function fire(trigger: string, args: string[], input?: string): Promise<RunResult> {
  let fd: number | undefined;
  if (input !== undefined) {
    const file = join(tempDir("dokku-ps-stdin-"), "stdin");
    scratch.push(dirname(file));
    writeFileSync(file, input);
    fd = openSync(file, "r");
  }
  try {
    const r = await execa(DOKKU, ["trigger-caller:fire", trigger, ...args], {
      env: host.env(),
      reject: false,
      stripFinalNewline: false,
      // execa passes a file descriptor through as is (its types only list the standard ones).
      stdin: (fd ?? "ignore") as "ignore",
    });
    return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function fireOk(trigger: string, args: string[], input?: string): Promise<RunResult> {
  const r = await fire(trigger, args, input);
  assert.equal(r.code, 0, `${trigger} ${args.join(" ")} failed: ${r.stderr}`);
  return r;
}

const appFile = (app: string, name: string): string => join(host.home, app, name);
const read = (path: string): string => readFileSync(path, "utf8");
const psDataDir = (app: string): string => join(host.lib, "data", "ps", app);
const psPropDir = (app: string): string => join(host.lib, "config", "ps", app);

async function psSet(app: string, key: string, value: string): Promise<void> {
  const r = await host.dokku("ps:set", app, key, value);
  assert.equal(r.code, 0, r.stderr);
}

describe("the fixture plugin reaches ps through plugn", () => {
  test("an unknown trigger is a no-op and a missing name is refused", async () => {
    const noop = await fire("no-such-trigger-anywhere", ["x"]);
    assert.deepEqual([noop.code, noop.stdout, noop.stderr], [0, "", ""]);
    const missing = await fire("", []);
    assert.equal(missing.code, 1);
    // ps's own error comes back through plugn and the fixture unchanged.
    const ghost = "ghost-app-that-does-not-exist";
    const noApp = await fire("ps-current-scale", [ghost]);
    assert.notEqual(noApp.code, 0);
    assert.equal(noApp.stdout, "");
    assert.match(noApp.stderr, new RegExp(`^ !     App ${ghost} does not exist$`, "m"));
  });
});

describe("file-only triggers", () => {
  test("post-create: DOKKU_SCALE web=1, --restart=on-failure:10, data dir", async () => {
    // An app dir that no other plugin has set up yet (an app "exists" iff its dir does).
    const app = host.appName("pc");
    mkdirSync(join(host.home, app));
    chownSync(join(host.home, app), dokkuUser().uid, dokkuUser().gid);
    assert.ok(!existsSync(appFile(app, "DOKKU_SCALE")));
    await fireOk("post-create", [app]);
    assert.equal(read(appFile(app, "DOKKU_SCALE")), "web=1\n");
    assert.match(read(appFile(app, "DOCKER_OPTIONS_DEPLOY")), /^--restart=on-failure:10$/m);
    assert.ok(existsSync(psDataDir(app)));
  });

  test("post-delete: data dir and ps properties are gone", async () => {
    const app = await host.createApp("pd");
    await psSet(app, "restart-policy", "always");
    assert.ok(existsSync(psDataDir(app)));
    assert.equal(read(join(psPropDir(app), "restart-policy")), "always");
    await fireOk("post-delete", [app]);
    assert.ok(!existsSync(psDataDir(app)), "data dir removed");
    assert.ok(!existsSync(psPropDir(app)), "ps properties removed");
  });

  test("install: idempotent; a non-default --restart=always line becomes the app's restart-policy property", async () => {
    const custom = await host.createApp("inst");
    const bare = await host.createApp("instbare");
    writeFileSync(appFile(custom, "DOCKER_OPTIONS_DEPLOY"), "--restart=always\n");
    rmSync(appFile(bare, "DOCKER_OPTIONS_DEPLOY"), { force: true });
    rmSync(psDataDir(bare), { recursive: true, force: true });
    assert.ok(!existsSync(join(psPropDir(custom), "restart-policy")));

    await fireOk("install", []);
    assert.equal(read(join(psPropDir(custom), "restart-policy")), "always");
    assert.equal(read(appFile(custom, "DOCKER_OPTIONS_DEPLOY")), "--restart=always\n", "an operator's line is kept");
    assert.match(read(appFile(bare, "DOCKER_OPTIONS_DEPLOY")), /^--restart=on-failure:10$/m, "back-filled");
    assert.ok(!existsSync(join(psPropDir(bare), "restart-policy")), "the default is not an app's own choice");
    assert.ok(existsSync(psDataDir(bare)), "data dir re-created");

    const once = treeHash(host.home, host.lib);
    const again = await fireOk("install", []);
    assert.equal(again.stderr, "");
    assert.equal(treeHash(host.home, host.lib), once, "a second install changes nothing");
  });

  test("post-app-clone-setup copies ps properties; post-app-rename-setup moves them", async () => {
    const from = await host.createApp("src");
    await psSet(from, "restart-policy", "unless-stopped");
    await psSet(from, "stop-timeout-seconds", "7");

    const clone = await host.createApp("clone");
    await fireOk("post-app-clone-setup", [from, clone]);
    assert.equal(read(join(psPropDir(clone), "restart-policy")), "unless-stopped");
    assert.equal(read(join(psPropDir(clone), "stop-timeout-seconds")), "7");
    assert.equal(read(join(psPropDir(from), "restart-policy")), "unless-stopped", "clone keeps the source");

    const renamed = await host.createApp("renamed");
    await fireOk("post-app-rename-setup", [from, renamed]);
    assert.equal(read(join(psPropDir(renamed), "restart-policy")), "unless-stopped");
    assert.equal(read(join(psPropDir(renamed), "stop-timeout-seconds")), "7");
    assert.ok(!existsSync(psPropDir(from)), "rename removes the old app's properties");
  });

  test("core-post-deploy sets DOKKU_APP_RESTORE=\"1\", post-stop sets \"0\" (godotenv lines)", async () => {
    const app = await host.createApp("restore");
    await fireOk("post-stop", [app]);
    assert.match(read(appFile(app, "ENV")), /^DOKKU_APP_RESTORE="0"$/m);
    await fireOk("core-post-deploy", [app, "5000", "", "latest"]);
    const env = read(appFile(app, "ENV"));
    assert.match(env, /^DOKKU_APP_RESTORE="1"$/m);
    assert.doesNotMatch(env, /DOKKU_APP_RESTORE="0"/);
    await fireOk("post-stop", [app]);
    assert.match(read(appFile(app, "ENV")), /^DOKKU_APP_RESTORE="0"$/m);
  });

  test("pre-start recreates a missing formation file and leaves an existing one alone", async () => {
    const app = await host.createApp("prestart");
    unlinkSync(appFile(app, "DOKKU_SCALE"));
    await fireOk("pre-start", [app]);
    assert.equal(read(appFile(app, "DOKKU_SCALE")), "web=1\n");

    writeFileSync(appFile(app, "DOKKU_SCALE"), "web=3\n");
    await fireOk("pre-start", [app]);
    assert.equal(read(appFile(app, "DOKKU_SCALE")), "web=3\n");
  });

  test("ps-current-scale prints the formation as type=count lines", async () => {
    const app = await host.createApp("cur");
    const r = await fireOk("ps-current-scale", [app]);
    assert.equal(r.stdout, "web=1\n");
    const scaled = await host.dokku("ps:scale", "--skip-deploy", app, "worker=2");
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.equal((await fireOk("ps-current-scale", [app])).stdout, "web=1\nworker=2\n");
  });

  test("docker-args-process-deploy passes stdin through and appends --restart=<policy>", async () => {
    const app = await host.createApp("dargs");
    const chain = "--label=x=y --env=A=b";
    const r = await fireOk("docker-args-process-deploy", [app, "dockerfile", "latest", "web", "1"], chain);
    assert.equal(r.stdout.trimEnd(), `${chain} --restart=on-failure:10`);
    await psSet(app, "restart-policy", "always");
    const changed = await fireOk("docker-args-process-deploy", [app, "dockerfile", "latest", "web", "1"], chain);
    assert.equal(changed.stdout.trimEnd(), `${chain} --restart=always`);
  });

  for (const trigger of ["post-extract", "core-post-extract"]) {
    test(`${trigger}: a valid source dir passes, a bad Procfile fails with a message`, async () => {
      const app = await host.createApp("extract");
      const dir = tempDir("dokku-ps-extract-");
      chmodSync(dir, 0o755); // the trigger runs as the dokku user
      scratch.push(dir);
      await fireOk(trigger, [app, dir, "0123abcd"]); // no Procfile at all
      writeFileSync(join(dir, "Procfile"), "web: sleep 86400\nworker: sleep 86400\n");
      await fireOk(trigger, [app, dir, "0123abcd"]);

      writeFileSync(join(dir, "Procfile"), "web: sleep 86400\nnot a procfile line\n");
      const bad = await fire(trigger, [app, dir, "0123abcd"]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /^ !     Invalid Procfile: line 2 is not of the form 'process-type: command'$/m);
    });
  }

  test("report prints the ps information block, as ps:report does", async () => {
    const app = await host.createApp("rep");
    const r = await fireOk("report", [app]);
    const lines = r.stdout.split("\n");
    // The first ask of a never-deployed app caches the answer and says so, as
    // core ps 0.24.10 does (report.test.ts "a created, never deployed app").
    assert.equal(lines[0], "=====> Setting deployed to false");
    assert.equal(lines[1], `=====> ${app} ps information`);
    assert.match(r.stdout, /^ {7}Deployed: +false$/m);
    assert.match(r.stdout, /^ {7}Ps restart policy: +on-failure:10$/m);
    assert.equal(lines.slice(1).join("\n"), (await host.dokku("ps:report", app)).stdout, "then the same block as ps:report (cached: no Setting line)");
  });
});

describe("engine-dependent triggers on one deployed app", () => {
  let app: string;
  before(async () => {
    app = await host.createApp("live");
    const src = await workTree(dockerfileApp({ Procfile: "web: env SEEN_PORT=$PORT sleep 86400\nworker: sleep 86400\n" }));
    scratch.push(src);
    const push = await host.push(app, src);
    assert.equal(push.code, 0, push.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 });
  });

  test("procfile-get-command prints the command with $PORT expanded; an unknown type prints nothing", async () => {
    assert.equal((await fireOk("procfile-get-command", [app, "web", "5000"])).stdout, "env SEEN_PORT=5000 sleep 86400\n");
    assert.equal((await fireOk("procfile-get-command", [app, "web", "6123"])).stdout, "env SEEN_PORT=6123 sleep 86400\n");
    assert.equal((await fireOk("procfile-get-command", [app, "web", "nope"])).stdout, "env SEEN_PORT=5000 sleep 86400\n");
    assert.equal((await fireOk("procfile-get-command", [app, "worker"])).stdout, "sleep 86400\n");
    const unknown = await fireOk("procfile-get-command", [app, "ghost", "5000"]);
    assert.equal(unknown.stdout, "");

    // Without the Procfile copy, the command is read out of the image again.
    unlinkSync(join(psDataDir(app), "Procfile"));
    assert.equal((await fireOk("procfile-get-command", [app, "web", "5000"])).stdout, "env SEEN_PORT=5000 sleep 86400\n");
    assert.ok(existsSync(join(psDataDir(app), "Procfile")));
    // The container really runs the expanded command.
    const [web] = await deployedContainers(app);
    assert.deepEqual(web?.cmd.slice(-4), ["env", "SEEN_PORT=5000", "sleep", "86400"]);
  });

  test("pre-deploy of the unchanged image: Procfile found, formation kept", async () => {
    const scaleBefore = read(appFile(app, "DOKKU_SCALE"));
    assert.equal(scaleBefore, "web=1\nworker=0\n");
    const r = await fireOk("pre-deploy", [app, "latest"]);
    assert.match(r.stdout, /^-----> App Procfile file found$/m);
    assert.match(r.stdout, /^-----> DOKKU_SCALE file exists$/m);
    assert.equal(read(appFile(app, "DOKKU_SCALE")), scaleBefore);
    assert.equal(read(join(psDataDir(app), "Procfile")), "web: env SEEN_PORT=$PORT sleep 86400\nworker: sleep 86400\n");
    assert.ok(!existsSync(appFile(app, "DOKKU_SCALE.extracted")));

    const missing = await fire("pre-deploy", [app, "no-such-tag"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, new RegExp(`App image \\(dokku/${app}:no-such-tag\\) not found`));
  });

  test("app-restart gives the deployed app new containers", async () => {
    const before = await deployedContainers(app);
    assert.equal(before.length, 1);
    await fireOk("app-restart", [app]);
    const afterRestart = await deployedContainers(app);
    assert.deepEqual(countByType(afterRestart), { web: 1 });
    assert.notEqual(afterRestart[0]?.id, before[0]?.id);
    assert.equal(read(appFile(app, "CONTAINER.web.1")).trim(), afterRestart[0]?.id);
    assert.deepEqual(afterRestart[0]?.restartPolicy, { Name: "on-failure", MaximumRetryCount: 10 });
  });
});
