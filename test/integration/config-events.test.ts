/**
 * Dokku's own ps changes DOKKU_APP_RESTORE through config.SetMany, which
 * fires `post-config-update <app> set <key>` after writing (20_events logs
 * it). dokku-ps writes the ENV file itself (README "The ENV file") and fires
 * the trigger when the value changed, and only then: a fixture plugin
 * records every call.
 *
 * On 0.38 the restore flag is the ps property `restore` and ps:set's keys
 * are property files (core ps 0.38.27's CommandSet; real-dokku-0.38.27/README.md
 * "Where ps keeps things"): no ps step changes a config variable, so no
 * post-config-update comes from ps at all, while the flag still flips
 * where that Dokku keeps it (host.restoreFlag).
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

/** The post-config-update ps's own change of the restore flag fires: none where the flag is a ps property. */
const restoreCall = (app: string): string[] => (host.contract.restoreStore === "config-var" ? [`${app} set DOKKU_APP_RESTORE`] : []);

async function ok(...args: string[]): Promise<void> {
  const r = await host.dokku(...args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
}

test("post-config-update follows each change of a config variable ps makes, and only a change", async () => {
  const app = await host.createApp("events");
  newCalls();
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" })));
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(newCalls(), restoreCall(app), "first deploy sets the flag");
  assert.equal(host.restoreFlag(app), true);

  await ok("ps:restart", app);
  assert.deepEqual(newCalls(), [], "a redeploy leaves the flag at 1: nothing changed");
  assert.equal(host.restoreFlag(app), true);

  await ok("ps:stop", app);
  assert.deepEqual(newCalls(), restoreCall(app));
  assert.equal(host.restoreFlag(app), false);
  await ok("ps:stop", app);
  assert.deepEqual(newCalls(), [], "already 0");
  assert.equal(host.restoreFlag(app), false);

  if (!host.contract.setProperties.includes("restore")) {
    // 0.31.5's ps:set has no restore (nor stop-timeout-seconds): ps:start sets the flag back.
    await ok("ps:start", app);
    assert.deepEqual(newCalls(), restoreCall(app));
    assert.equal(host.restoreFlag(app), true);
    return;
  }
  await ok("ps:set", app, "restore", "true");
  assert.deepEqual(newCalls(), restoreCall(app));
  assert.equal(host.restoreFlag(app), true);
  // 0.24 (setStyle dokku-ps) mirrors the stop timeout into DOKKU_DOCKER_STOP_TIMEOUT;
  // core ps 0.36+ keeps it as a property file only.
  const mirrors = host.contract.setStyle === "dokku-ps";
  await ok("ps:set", app, "stop-timeout-seconds", "7");
  assert.deepEqual(newCalls(), mirrors ? [`${app} set DOKKU_DOCKER_STOP_TIMEOUT`] : []);
  await ok("ps:set", app, "stop-timeout-seconds", "");
  assert.deepEqual(newCalls(), mirrors ? [`${app} unset DOKKU_DOCKER_STOP_TIMEOUT`] : []);
  await ok("ps:set", "--global", "stop-timeout-seconds", "9");
  assert.deepEqual(newCalls(), mirrors ? ["--global set DOKKU_DOCKER_STOP_TIMEOUT"] : []);
});
