/**
 * Dokku's own ps changes DOKKU_APP_RESTORE through config.SetMany, which
 * fires `post-config-update <app> set <key>` after writing (20_events logs
 * it). dokku-ps writes the ENV file itself (README "The ENV file") and fires
 * the trigger when the value changed, and only then: a fixture plugin
 * records every call.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Host, dockerfileApp, workTree } from "./harness.ts";

let host: Host;
before(async () => {
  host = await Host.create();
  host.installFixturePlugin("config-events");
});
after(async () => {
  await host?.destroy();
});

/** The calls recorded since the last look. */
let seen = 0;
function newCalls(): string[] {
  const file = join(host.lib, "data", "config-events", "log");
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  const fresh = lines.slice(seen);
  seen = lines.length;
  // 0.31.5's git plugin sets these on every push (config:set --no-restart,
  // host/versions/0.31.5/core-plugins/git/internal-functions): not ps's.
  return fresh.filter((l) => !/ set (GIT_REV|DOKKU_APP_TYPE)$/.test(l));
}

async function ok(...args: string[]): Promise<void> {
  const r = await host.dokku(...args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
}

test("post-config-update follows each change of a config variable ps makes, and only a change", async () => {
  const app = await host.createApp("events");
  newCalls();
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" })));
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(newCalls(), [`${app} set DOKKU_APP_RESTORE`], "first deploy sets the flag");

  await ok("ps:restart", app);
  assert.deepEqual(newCalls(), [], "a redeploy leaves the flag at 1: nothing changed");

  await ok("ps:stop", app);
  assert.deepEqual(newCalls(), [`${app} set DOKKU_APP_RESTORE`]);
  await ok("ps:stop", app);
  assert.deepEqual(newCalls(), [], "already 0");

  if (!host.contract.setProperties.includes("restore")) {
    // 0.31.5's ps:set has no restore (nor stop-timeout-seconds): ps:start sets the flag back.
    await ok("ps:start", app);
    assert.deepEqual(newCalls(), [`${app} set DOKKU_APP_RESTORE`]);
    return;
  }
  await ok("ps:set", app, "restore", "true");
  assert.deepEqual(newCalls(), [`${app} set DOKKU_APP_RESTORE`]);
  await ok("ps:set", app, "stop-timeout-seconds", "7");
  assert.deepEqual(newCalls(), [`${app} set DOKKU_DOCKER_STOP_TIMEOUT`]);
  await ok("ps:set", app, "stop-timeout-seconds", "");
  assert.deepEqual(newCalls(), [`${app} unset DOKKU_DOCKER_STOP_TIMEOUT`]);
  await ok("ps:set", "--global", "stop-timeout-seconds", "9");
  assert.deepEqual(newCalls(), ["--global set DOKKU_DOCKER_STOP_TIMEOUT"]);
});
