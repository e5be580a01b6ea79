/**
 * Issue 11: `config:set` (without `--no-restart`) fires `app-restart <app>`
 * whenever the app's DOKKU_APP_RESTORE allows it, and ps's app-restart is
 * Dokku's Restart: an app that has not been deployed gets the warning and
 * exit 0; a deployed one — "deployed" being the `common/<app>/deployed`
 * property, else the scheduler's answer — is released and deployed. An app
 * deployed with every process scaled to 0 is deployed, and is released
 * (Dokku's own test "(ps:scale) console-only app" expects `Releasing <app>`
 * after config:set).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, callerCwd, deployedContainers, dockerfileApp, workTree, type RunResult } from "./harness.ts";

let host: Host;
let app: string;
const scratch: string[] = [];

before(async () => {
  host = await Host.create();
  host.installFixturePlugin("trigger-caller");

  app = await host.createApp("zero");
  const src = await workTree(await host.withFormation(app, dockerfileApp({ Procfile: "web: sleep 86400\n" }), "web=0\n"));
  scratch.push(src);
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(await deployedContainers(app), [], "every process is scaled to 0");
});
after(async () => {
  await host?.destroy();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function fire(trigger: string, args: string[]): Promise<RunResult> {
  const r = await execa(DOKKU, ["trigger-caller:fire", trigger, ...args], { env: host.env(), cwd: callerCwd(), reject: false, stripFinalNewline: false, stdin: "ignore" });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

const releasing = (name: string) => new RegExp(`^-----> Releasing ${name}\\.\\.\\.$`, "m");

describe("app-restart", () => {
  test("an app deployed with every process at 0 is deployed, and app-restart releases it (0.31.5: deploys it)", async () => {
    assert.equal(readFileSync(join(host.lib, "config", "common", app, "deployed"), "utf8"), "true");
    const r = await fire("app-restart", [app]);
    assert.equal(r.code, 0, r.stderr);
    if (host.contract.restartBy === "release-and-deploy") assert.match(r.stdout, releasing(app));
    else {
      // 0.31.5 restarts as its ps:restart does: a deploy of the running
      // image, no release (core-ps-0.31.5.log, `dokku ps:restart rdweb`);
      // its config:set releases by itself (host/versions/0.31.5/core-plugins/config).
      assert.match(r.stdout, /^-----> Deploying web \(count=0\)$/m);
      assert.doesNotMatch(r.stdout, /Releasing/);
    }
    assert.deepEqual(await deployedContainers(app), [], "still nothing to run");
  });

  test("an app that was never deployed: Dokku's warning, exit 0, nothing released", async () => {
    const fresh = await host.createApp("fresh");
    const r = await fire("app-restart", [fresh]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, ` !     App ${fresh} has not been deployed\n`);
    assert.doesNotMatch(r.stdout, /Releasing/);
  });

  test("config:set releases the app scaled to 0", async () => {
    const r = await host.dokku("config:set", app, "FOO=bar");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, releasing(app));
  });

  test("config:set --no-restart does not release", async () => {
    const r = await host.dokku("config:set", "--no-restart", app, "FOO=baz");
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Releasing/);
  });

  test("after ps:stop (DOKKU_APP_RESTORE=0) config:set does not release", async () => {
    const stop = await host.dokku("ps:stop", app);
    assert.equal(stop.code, 0, stop.stderr);
    const r = await host.dokku("config:set", app, "FOO=qux");
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Releasing/);
    assert.equal((await host.dokku("config:get", app, "FOO")).stdout, "qux\n", "the value is set all the same");
  });
});
