/**
 * ps:start / stop / restart / restore / rebuild / retire and `--all`, on the
 * test host against the real engine and real git pushes.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { execa } from "execa";
import { Host, REPO, PROCFILE_WEB_WORKER, buildsFlagLines, countByType, deployedContainers, dockerfileApp, workTree, cleanEnv } from "./harness.ts";

const docker = async (...args: string[]) => {
  const r = await execa("docker", args, { reject: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
};

async function deploy(host: Host, app: string, files: Record<string, string>): Promise<string> {
  const src = await workTree(files);
  const push = await host.push(app, src);
  assert.equal(push.code, 0, `push ${app}: ${push.stderr}`);
  return src;
}

/**
 * Restore is off where this Dokku keeps the flag (host.restoreFlag: ENV's
 * DOKKU_APP_RESTORE="0" to 0.37, the ps property `restore` false on 0.38),
 * and ps:report says so when it is available.
 */
async function assertRestoreFalse(host: Host, app: string): Promise<void> {
  assert.equal(host.restoreFlag(app), false);
  if (host.contract.restoreStore === "config-var") assert.match(readFileSync(host.envFile(app), "utf8"), /^DOKKU_APP_RESTORE="0"$/m);
  const report = await host.dokku("ps:report", app, "--restore");
  if (report.code === 0) assert.equal(report.stdout.trim(), "false");
}

const ids = (containers: { id: string }[]) => containers.map((c) => c.id).sort();


let host: Host;
before(async () => {
  host = await Host.create();
});
after(async () => {
  await host?.destroy();
});

describe("ps:stop / ps:start / ps:restart", () => {
  let app: string;
  before(async () => {
    app = await host.createApp("life");
    await deploy(host, app, await host.withFormation(app, dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }), "web=1\nworker=1\n"));
  });

  test("ps:stop stops every container and turns restore off; ps:start brings the formation back", async () => {
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
    const stop = await host.dokku("ps:stop", app);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, `${host.contract.stopLine(app)}\n`);
    assert.deepEqual(await deployedContainers(app), []);
    const ps = await docker("ps", "-q", "--filter", `label=com.dokku.app-name=${app}`);
    assert.equal(ps.stdout.trim(), "");
    await assertRestoreFalse(host, app);

    const start = await host.dokku("ps:start", app);
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /-----> Deploying /);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
    assert.equal(host.restoreFlag(app), true);
    if (host.contract.restoreStore === "config-var") assert.match(readFileSync(host.envFile(app), "utf8"), /^DOKKU_APP_RESTORE="1"$/m);

    const again = await host.dokku("ps:start", app);
    assert.equal(again.code, 0);
    assert.equal(again.stderr, ` !     App ${app} already running\n`);
  });

  test("ps:restart replaces every container and web never drops to zero", async () => {
    const before = await deployedContainers(app);
    const samples: number[] = [];
    let done = false;
    const restart = host.dokku("ps:restart", app).finally(() => {
      done = true;
    });
    while (!done) {
      const web = await docker("ps", "-q", "--filter", `label=com.dokku.app-name=${app}`, "--filter", "label=com.dokku.process-type=web");
      samples.push(web.stdout.split("\n").filter(Boolean).length);
      // A pause between samples: a tight docker CLI loop takes a core from the restart it watches.
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await restart;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(samples.length >= 3, `only ${samples.length} samples`);
    assert.ok(Math.min(...samples) >= 1, `web count during restart: ${samples.join(",")}`);
    const afterRestart = await deployedContainers(app);
    assert.deepEqual(countByType(afterRestart), { web: 1, worker: 1 });
    for (const id of ids(afterRestart)) assert.ok(!ids(before).includes(id), "every container replaced");
  });

  test("ps:restart <app> <process-type> replaces only that type", async () => {
    const before = await deployedContainers(app);
    const r = await host.dokku("ps:restart", app, "worker");
    assert.equal(r.code, 0, r.stderr);
    const now = await deployedContainers(app);
    assert.deepEqual(countByType(now), { web: 1, worker: 1 });
    const byType = (cs: typeof now, t: string) => cs.filter((c) => c.processType === t).map((c) => c.id);
    assert.deepEqual(byType(now, "web"), byType(before, "web"), "web untouched");
    assert.notDeepEqual(byType(now, "worker"), byType(before, "worker"), "worker replaced");

    const bad = await host.dokku("ps:restart", app, "clock");
    if (host.contract.restartBy === "release-and-deploy") {
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr, ` !     Process type clock is not part of the formation of ${app} (process types: web, worker)\n`);
    } else {
      // 0.31.5: `deploy <app> <tag> clock`, as core ps 0.31.5's Restart: no such type, nothing replaced.
      assert.equal(bad.code, 0, bad.stderr);
      assert.deepEqual(ids(await deployedContainers(app)), ids(now));
    }
    const all = await host.dokku("ps:restart", "--all", app, "worker");
    assert.equal(all.code, 1);
    assert.equal(all.stderr, `${buildsFlagLines(host)} !     Unable to restart all apps when specifying a process name\n`);
  });

  test("app-restart trigger (config:set) restarts the app", async () => {
    const before = ids(await deployedContainers(app));
    const r = await host.dokku("config:set", app, "SOME_VAR=1");
    assert.equal(r.code, 0, r.stderr);
    const now = await deployedContainers(app);
    assert.deepEqual(countByType(now), { web: 1, worker: 1 });
    for (const id of ids(now)) assert.ok(!before.includes(id));
  });
});

describe("errors and not-deployed apps", () => {
  test("missing app: exit 20 for every command", async () => {
    for (const cmd of ["ps:start", "ps:stop", "ps:restart", "ps:restore", "ps:rebuild"]) {
      const r = await host.dokku(cmd, "no-such-app");
      assert.equal(r.code, 20, cmd);
      assert.equal(r.stderr, " !     App no-such-app does not exist\n", cmd);
    }
    const noName = await host.dokku("ps:start");
    assert.equal(noName.code, 1);
    assert.equal(noName.stderr, " !     Please specify an app to run the command on\n");
  });

  test("bad --parallel", async () => {
    const low = await host.dokku("ps:restart", "--all", "--parallel", "-2");
    assert.equal(low.code, 1);
    assert.equal(low.stderr, `${buildsFlagLines(host)} !     Invalid value -2 for --parallel flag\n`);
    const nan = await host.dokku("ps:stop", "--all", "--parallel", "x");
    assert.equal(nan.code, 2);
    assert.match(nan.stderr, /invalid argument "x" for "--parallel" flag/);
  });

  test("not deployed: a warning and exit 0", async () => {
    const app = await host.createApp("fresh");
    for (const cmd of ["ps:start", "ps:stop", "ps:restart"]) {
      const r = await host.dokku(cmd, app);
      assert.equal(r.code, 0, cmd);
      assert.equal(r.stderr, ` !     App ${app} has not been deployed\n`, cmd);
    }
    const restore = await host.dokku("ps:restore", app);
    assert.equal(restore.code, 0);
    assert.equal(restore.stdout, "-----> Clearing potentially invalid proxy configuration\n");
    // 0.31.5's docker-local scheduler-pre-restore runs `docker ps` with both
    // --format and --quiet, and docker warns (core-ps-0.31.5.log's ps:restore).
    const dockerWarning = host.contract.restoreHook === "scheduler-pre-restore" ? "WARNING: Ignoring custom format, because both --format and --quiet are set.\n" : "";
    assert.equal(restore.stderr, `${dockerWarning} !     App ${app} has not been deployed\n`);
    // Never pushed: nothing to rebuild from; silent and exit 0, as core ps 0.24.10.
    const rebuild = await host.dokku("ps:rebuild", app);
    assert.equal(rebuild.code, 0);
    assert.equal(rebuild.stdout, "");
    assert.equal(rebuild.stderr, "");
  });
});

describe("ps:rebuild", () => {
  test("rebuilds the pushed revision from the app's repository after the work tree is gone", async () => {
    const app = await host.createApp("rebuild");
    // --no-cache + a build-time stamp: a rebuild of the same source gets a new image id.
    const r0 = await host.dokku("docker-options:add", app, "build", "--no-cache");
    assert.equal(r0.code, 0, r0.stderr);
    const dockerfile =
      'FROM dokku-ps/busybox:latest\nWORKDIR /app\nCOPY . /app\nRUN date +%s%N > /built-at\nCMD ["sleep", "86400"]\n';
    const src = await deploy(host, app, dockerfileApp({ marker: "rev-one\n" }, dockerfile));
    const rev = (await execa("git", ["rev-parse", "HEAD"], { cwd: src })).stdout.trim();
    const before = await deployedContainers(app);
    assert.equal(before.length, 1);
    rmSync(src, { recursive: true, force: true });

    const r = await host.dokku("ps:rebuild", app);
    assert.equal(r.code, 0, r.stderr);
    const now = await deployedContainers(app);
    assert.equal(now.length, 1);
    assert.notEqual(now[0]!.id, before[0]!.id);
    assert.notEqual(now[0]!.imageId, before[0]!.imageId, "new image");
    const marker = await docker("exec", now[0]!.id, "cat", "/app/marker");
    assert.equal(marker.stdout, "rev-one");
    const head = await execa("git", ["--git-dir", join(host.home, app), "rev-parse", "refs/heads/main"], { env: cleanEnv() });
    assert.equal(head.stdout.trim(), rev);
    assert.ok(!existsSync(src));

    // post-app-rename <old> <new> with SKIP_REBUILD=true does nothing (without it, it runs the same rebuild as above).
    const hook = join(host.lib, "plugins", "enabled", "ps", "post-app-rename");
    const env = host.env({ PATH: `${join(REPO, "host", "bin")}:${process.env["PATH"]}` });
    const skip = await execa(hook, ["old-name", app], { env: { ...env, SKIP_REBUILD: "true" }, extendEnv: false, reject: false });
    assert.equal(skip.exitCode, 0, String(skip.stderr));
    assert.equal(ids(await deployedContainers(app))[0], now[0]!.id);
  });
});

describe("ps:retire", () => {
  test("runs the scheduler's retire under a non-blocking lock", async () => {
    const ok = await host.dokku("ps:retire");
    assert.equal(ok.code, 0, ok.stderr);
    const lockFile = join(host.lib, "data", "ps", "retire");
    const holder = spawn("flock", ["--nonblock", lockFile, "sleep", "20"], { stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const busy = await host.dokku("ps:retire");
      assert.equal(busy.code, 1);
      assert.equal(busy.stderr, " !     Failed to acquire ps:retire lock\n");
    } finally {
      holder.kill();
    }
  });
});

describe("reboot: ps:restore --all", () => {
  let h: Host;
  before(async () => {
    h = await Host.create();
  });
  after(async () => {
    await h?.destroy();
  });

  test("no apps: warning and exit 0", async () => {
    const r = await h.dokku("ps:start", "--all");
    assert.equal(r.code, 0);
    assert.equal(r.stderr, " !     Running start in serial mode\n !     You haven't deployed any applications yet\n");
  });

  test("brings back exactly the apps with restore on, each with its formation", async () => {
    const a = await h.createApp("ra");
    const b = await h.createApp("rb");
    const c = await h.createApp("rc");
    const never = await h.createApp("rn");
    await deploy(h, a, await h.withFormation(a, dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }), "web=1\nworker=1\n"));
    for (const app of [b, c]) {
      // 0.24 reads b's and c's formation out of a's image; 0.31.5 from the scale property.
      await h.withFormation(app, {}, "web=1\nworker=1\n");
      const r = await h.dokku("git:from-image", app, `dokku/${a}:latest`);
      assert.equal(r.code, 0, r.stderr);
    }
    const stop = await h.dokku("ps:stop", c);
    assert.equal(stop.code, 0, stop.stderr);

    // The reboot: every container of these apps is gone.
    for (const app of [a, b, c]) {
      const all = await deployedContainers(app, true);
      if (all.length) await docker("rm", "-f", ...all.map((x) => x.id));
    }

    const r = await h.dokku("ps:restore");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^ !     Restore specified without app, assuming --all\n !     Running restore in serial mode\n/);
    // 0.38's words name the property (real-dokku-0.38.27/README.md "Other command output that changed").
    const why = h.contract.restoreStore === "property" ? "restore property is false" : "DOKKU_APP_RESTORE=0";
    assert.match(r.stderr, new RegExp(` !     Skipping ps:restore for ${c} as ${why}$`, "m"));
    assert.match(r.stderr, new RegExp(` !     App ${never} has not been deployed$`, "m"));
    for (const app of [a, b, c, never]) assert.match(r.stdout, new RegExp(`^-----> Running restore against app ${app}$`, "m"));
    assert.match(r.stdout, /^=====> restore --all: 4 succeeded, 0 failed$/m);

    assert.deepEqual(countByType(await deployedContainers(a)), { web: 1, worker: 1 });
    assert.deepEqual(countByType(await deployedContainers(b)), { web: 1, worker: 1 });
    assert.deepEqual(await deployedContainers(c), []);
    await assertRestoreFalse(h, c);
  });
});

