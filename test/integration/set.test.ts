/**
 * ps:set on the test host: restart-policy reaches Docker, --global applies
 * to apps without their own value, restore and stop-timeout-seconds land
 * where Dokku's scheduler reads them, and every error writes nothing.
 *
 * On 0.31.5 ps:set has only `procfile-path` and `restart-policy`, and only
 * `procfile-path` --global (host.contract.setProperties /
 * globalSetProperties; core ps 0.31.5's CommandSet, whose `Invalid
 * restart-policy specified` core-ps-0.31.5.log shows): there the others are
 * refused, with nothing written, and --global restart-policy with `Property
 * cannot be specified globally`.
 *
 * From 0.36 ps:set is core's CommandSet (host.contract.setStyle `core`):
 * its order of checks (`--global` with a key that has no global value, or
 * none, is `Property cannot be specified globally`), every value one ps
 * property file, nothing mirrored into config; on 0.38 the restore flag is
 * the `restore` property (app only) and from 0.38.9 the restart policy the
 * `restart-policy` property (app and --global; `--ps-restart-policy` the
 * app's own, `--ps-computed-restart-policy` the effective one).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Host, commitFiles, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

let host: Host;
let app: string;
let other: string;
let src: string;
let otherSrc: string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("set");
  other = await host.createApp("set-other");
  src = await workTree(dockerfileApp());
  otherSrc = await workTree(dockerfileApp());
  for (const [a, dir] of [[app, src], [other, otherSrc]] as const) {
    const push = await host.push(a, dir);
    assert.equal(push.code, 0, push.stderr);
  }
});
after(async () => {
  await host?.destroy();
});

const dokku = (...args: string[]) => host.dokku(...args);

/** Core ps 0.36+'s CommandSet (contract setStyle). */
const coreSet = () => host.contract.setStyle === "core";
/** 0.38.9+: the restart policy is a ps property, `--ps-restart-policy` only the app's own. */
const policyIsProperty = () => host.contract.restartPolicyStore === "property";
/** The effective policy's report flag. */
const effectivePolicyFlag = () => (policyIsProperty() ? "--ps-computed-restart-policy" : "--ps-restart-policy");

/** Redeploys: ps:restart when lifecycle is there, else a new commit. */
async function redeploy(name: string, dir: string): Promise<void> {
  const restart = await host.dokku("ps:restart", name);
  if (restart.code === 0) return;
  await commitFiles(dir, { touched: String(Date.now()) });
  const push = await host.push(name, dir);
  assert.equal(push.code, 0, push.stderr);
}

async function policies(name: string): Promise<string[]> {
  const containers = await deployedContainers(name);
  assert.ok(containers.length > 0);
  return containers.map((c) => (c.restartPolicy.MaximumRetryCount ? `${c.restartPolicy.Name}:${c.restartPolicy.MaximumRetryCount}` : c.restartPolicy.Name));
}

/** Every file ps:set could touch: the app dirs, the global ENV and ps's properties. */
function snapshot(): string {
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (n === "objects" || n === "refs") continue;
        walk(p);
      } else {
        hash.update(`${p}\0${st.mode}\0`).update(readFileSync(p));
      }
    }
  };
  walk(join(host.home, app));
  walk(join(host.home, other));
  walk(join(host.lib, "config"));
  try {
    hash.update(readFileSync(join(host.home, "ENV")));
  } catch {
    /* none yet */
  }
  return hash.digest("hex");
}

/** This Dokku's refusal of a property its ps:set does not have. */
const invalidProperty = () => ` !     Invalid property specified, valid properties include: ${[...host.contract.setProperties].sort().join(", ")}\n`;

/** `stderr` where this Dokku's ps:set has `property` (--global: as a global one), else its refusal. */
const ifProperty = (property: string, global: boolean, stderr: string) => (): string => {
  if (!host.contract.setProperties.includes(property)) return invalidProperty();
  if (global && !host.contract.globalSetProperties.includes(property)) return " !     Property cannot be specified globally\n";
  return stderr;
};

describe("ps:set errors: exact text, exit code, nothing written", () => {
  const cases: Array<[string[], string | (() => string), number]> = [
    [["@app"], " !     No property specified\n", 1],
    [["@app", ""], " !     No property specified\n", 1],
    [["--global"], () => (coreSet() ? " !     Property cannot be specified globally\n" : " !     No property specified\n"), 1],
    [["@app", "bogus", "x"], invalidProperty, 1],
    [["--global", "bogus", "x"], () => (coreSet() ? " !     Property cannot be specified globally\n" : invalidProperty()), 1],
    [["@app", "restart-policy", "sometimes"], " !     Invalid restart-policy specified\n", 1],
    [["--global", "restart-policy", "on-failure:x"], ifProperty("restart-policy", true, " !     Invalid restart-policy specified\n"), 1],
    [["@app", "restore", "maybe"], ifProperty("restore", false, " !     Invalid restore specified, valid values: true, false\n"), 1],
    [["@app", "stop-timeout-seconds", "1.5"], ifProperty("stop-timeout-seconds", false, " !     Invalid stop-timeout-seconds specified, must be an integer from 0 to 86400\n"), 1],
    [["missing-app", "restart-policy", "no"], " !     App missing-app does not exist\n", 20],
  ];
  for (const [args, stderr, code] of cases) {
    test(`ps:set ${args.join(" ")}`, async () => {
      const before = snapshot();
      const r = await dokku("ps:set", ...args.map((a) => (a === "@app" ? app : a)));
      assert.equal(r.stderr, typeof stderr === "string" ? stderr : stderr());
      assert.equal(r.code, code);
      assert.equal(r.stdout, "");
      assert.equal(snapshot(), before, "nothing written");
    });
  }
});

describe("ps:set restart-policy", () => {
  test("app value reaches every container after a restart; unsetting goes back to the default", async () => {
    const set = await dokku("ps:set", app, "restart-policy", "no");
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, "=====> Setting restart-policy to no\n");
    assert.equal((await dokku("ps:report", app, "--ps-restart-policy")).stdout, "no\n");
    if (policyIsProperty()) assert.equal(readFileSync(join(host.lib, "config", "ps", app, "restart-policy"), "utf8"), "no");
    else assert.match(readFileSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY"), "utf8"), /^--restart=no$/m);
    await redeploy(app, src);
    assert.deepEqual([...new Set(await policies(app))], ["no"]);

    const unset = await dokku("ps:set", app, "restart-policy");
    assert.equal(unset.stdout, "=====> Unsetting restart-policy\n");
    assert.equal((await dokku("ps:report", app, effectivePolicyFlag())).stdout, "on-failure:10\n");
    if (policyIsProperty()) assert.equal((await dokku("ps:report", app, "--ps-restart-policy")).stdout, "\n");
  });

  test("--global applies to apps without their own value only (0.31.5: refused, nothing written)", async () => {
    assert.equal((await dokku("ps:set", other, "restart-policy", "always")).code, 0);
    if (!host.contract.globalSetProperties.includes("restart-policy")) {
      const before = snapshot();
      const g = await dokku("ps:set", "--global", "restart-policy", "unless-stopped");
      assert.deepEqual([g.code, g.stdout, g.stderr], [1, "", " !     Property cannot be specified globally\n"]);
      assert.equal(snapshot(), before, "nothing written");
      await redeploy(other, otherSrc);
      assert.deepEqual([...new Set(await policies(other))], ["always"]);
      assert.equal((await dokku("ps:report", app, "--ps-restart-policy")).stdout, "on-failure:10\n");
      return;
    }
    const g = await dokku("ps:set", "--global", "restart-policy", "unless-stopped");
    assert.equal(g.code, 0, g.stderr);
    assert.equal(g.stdout, "=====> Setting restart-policy to unless-stopped\n");
    assert.equal((await dokku("ps:report", app, effectivePolicyFlag())).stdout, "unless-stopped\n");
    assert.equal((await dokku("ps:report", app, "--ps-global-restart-policy")).stdout, "unless-stopped\n");
    assert.equal((await dokku("ps:report", other, "--ps-restart-policy")).stdout, "always\n");
    await redeploy(app, src);
    await redeploy(other, otherSrc);
    assert.deepEqual([...new Set(await policies(app))], ["unless-stopped"]);
    assert.deepEqual([...new Set(await policies(other))], ["always"]);

    assert.equal((await dokku("ps:set", "--global", "restart-policy")).stdout, "=====> Unsetting restart-policy\n");
    assert.equal((await dokku("ps:report", app, effectivePolicyFlag())).stdout, "on-failure:10\n");
    assert.equal((await dokku("ps:report", app, "--ps-global-restart-policy")).stdout, "\n");
  });

  test("--quiet suppresses the header", async () => {
    const r = await dokku("--quiet", "ps:set", other, "restart-policy", "on-failure:3");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal((await dokku("ps:report", other, "--ps-restart-policy")).stdout, "on-failure:3\n");
  });
});

/** On a Dokku whose ps:set lacks `property`: refused, nothing written; true when it has it. */
async function hasProperty(property: string, ...values: string[]): Promise<boolean> {
  if (host.contract.setProperties.includes(property)) return true;
  for (const args of [[app, property, ...values], ["--global", property, ...values]]) {
    const before = snapshot();
    const r = await dokku("ps:set", ...args);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, "", invalidProperty()], args.join(" "));
    assert.equal(snapshot(), before, "nothing written");
  }
  return false;
}

describe("ps:set restore", () => {
  test("app value is config DOKKU_APP_RESTORE, shown by ps:report (0.31.5: no such property)", async () => {
    if (!(await hasProperty("restore", "false"))) return;
    const r = await dokku("ps:set", app, "restore", "false");
    assert.equal(r.stdout, "=====> Setting restore to false\n");
    if (host.contract.restoreStore === "property") {
      // 0.38: the `restore` property, no config var.
      assert.equal(readFileSync(join(host.lib, "config", "ps", app, "restore"), "utf8"), "false");
      assert.equal((await dokku("config:get", app, "DOKKU_APP_RESTORE")).stdout, "");
      assert.equal((await dokku("ps:report", app, "--restore")).stdout, "false\n");
      await dokku("ps:set", app, "restore", "true");
      assert.equal((await dokku("ps:report", app, "--restore")).stdout, "true\n");
      return;
    }
    assert.equal((await dokku("config:get", app, "DOKKU_APP_RESTORE")).stdout, "0\n");
    assert.equal((await dokku("ps:report", app, "--restore")).stdout, "false\n");
    await dokku("ps:set", app, "restore", "true");
    assert.equal((await dokku("config:get", app, "DOKKU_APP_RESTORE")).stdout, "1\n");
    assert.equal((await dokku("ps:report", app, "--restore")).stdout, "true\n");
  });

  test("--global is a ps property (0.31.5: no such property)", async () => {
    if (!(await hasProperty("restore", "false"))) return;
    if (!host.contract.globalSetProperties.includes("restore")) {
      // 0.38: restore is an app property only.
      const before = snapshot();
      const g = await dokku("ps:set", "--global", "restore", "false");
      assert.deepEqual([g.code, g.stdout, g.stderr], [1, "", " !     Property cannot be specified globally\n"]);
      assert.equal(snapshot(), before, "nothing written");
      return;
    }
    const r = await dokku("ps:set", "--global", "restore", "false");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await dokku("ps:report", app, "--ps-global-restore")).stdout, "false\n");
    assert.equal(readFileSync(join(host.lib, "config", "ps", "--global", "restore"), "utf8"), "false");
    // A deployed app has its own DOKKU_APP_RESTORE, which wins.
    assert.equal((await dokku("ps:report", app, "--restore")).stdout, "true\n");
    await dokku("ps:set", "--global", "restore");
  });
});

describe("ps:set stop-timeout-seconds", () => {
  test("app and global values are mirrored into DOKKU_DOCKER_STOP_TIMEOUT (0.31.5: no such property)", async () => {
    if (!(await hasProperty("stop-timeout-seconds", "7"))) return;
    // 0.36+: a ps property only (the scheduler asks ps-get-property); 0.24: mirrored into config.
    const mirrored = !coreSet();
    const g = await dokku("ps:set", "--global", "stop-timeout-seconds", "7");
    assert.equal(g.stdout, "=====> Setting stop-timeout-seconds to 7\n");
    assert.equal((await dokku("config:get", "--global", "DOKKU_DOCKER_STOP_TIMEOUT")).stdout, mirrored ? "7\n" : "");
    assert.equal((await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds")).stdout, "7\n");

    assert.equal((await dokku("ps:set", app, "stop-timeout-seconds", "2")).code, 0);
    assert.equal((await dokku("config:get", app, "DOKKU_DOCKER_STOP_TIMEOUT")).stdout, mirrored ? "2\n" : "");
    assert.equal((await dokku("ps:report", app, "--ps-stop-timeout-seconds")).stdout, "2\n");
    assert.equal((await dokku("ps:report", app, "--ps-global-stop-timeout-seconds")).stdout, "7\n");
    assert.equal((await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds")).stdout, "2\n");
    assert.equal((await dokku("ps:report", other, "--ps-computed-stop-timeout-seconds")).stdout, "7\n");

    assert.equal((await dokku("ps:set", app, "stop-timeout-seconds")).stdout, "=====> Unsetting stop-timeout-seconds\n");
    assert.equal((await dokku("config:get", app, "DOKKU_DOCKER_STOP_TIMEOUT")).stdout, "");
    assert.equal((await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds")).stdout, "7\n");
    await dokku("ps:set", "--global", "stop-timeout-seconds");
    assert.equal((await host.dokku("config:get", "--global", "DOKKU_DOCKER_STOP_TIMEOUT")).stdout, "");
    // Nothing set: Docker's default 10 (0.24), core's default 30 (0.36+).
    assert.equal((await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds")).stdout, mirrored ? "10\n" : "30\n");
  });

  test("the value reaches docker stop --time (a container that ignores SIGTERM) (0.31.5: no such property)", async () => {
    if (!(await hasProperty("stop-timeout-seconds", "3"))) return;
    const slow = await host.createApp("set-slow");
    // PID 1 under --init is tini, which forwards SIGTERM to sh; sh ignores it.
    const dockerfile = `FROM dokku-ps/busybox:latest\nCMD ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]\n`;
    const push = await host.push(slow, await workTree(dockerfileApp({}, dockerfile)));
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await dokku("ps:set", slow, "stop-timeout-seconds", "3")).code, 0);
    const [container] = await deployedContainers(slow);
    assert.ok(container, "the slow app runs");
    const since = Math.floor(Date.now() / 1000) - 1;
    const stop = await host.dokku("ps:stop", slow);
    assert.equal(stop.code, 0, stop.stderr);
    // The engine's own timestamps of SIGTERM and of the SIGKILL that follows
    // it: their distance is the stop timeout docker used, whatever the load.
    const { execa } = await import("execa");
    const events = await execa("docker", [
      "events", "--since", String(since), "--until", String(Math.floor(Date.now() / 1000) + 1),
      "--filter", `container=${container.id}`, "--filter", "event=kill", "--format", "{{.TimeNano}} {{index .Actor.Attributes \"signal\"}}",
    ]);
    const kills = String(events.stdout).trim().split("\n").map((l) => l.split(" ")).map(([t, sig]) => ({ t: Number(t) / 1e6, sig }));
    const term = kills.find((k) => k.sig === "15");
    const kill = kills.find((k) => k.sig === "9");
    assert.ok(term && kill, `SIGTERM then SIGKILL seen: ${events.stdout}`);
    const waited = kill.t - term.t;
    // ≈ 3 s: our timeout, not Docker's default 10 s.
    assert.ok(waited >= 2900 && waited < 6000, `docker waited ${waited} ms between SIGTERM and SIGKILL`);
    assert.equal((await deployedContainers(slow)).length, 0);
  });
});
