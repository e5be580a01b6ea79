/**
 * ps:restore's once-per-command steps, as the host's Dokku fires them (the
 * contract's restorePrep), seen by a proxy-like plugin (test/fixtures/
 * restore-recorder records every `pre-restore` and `proxy-clear-config`):
 *
 * - Dokku 0.24.10: `pre-restore <scheduler> <app>` per app (the scheduler's
 *   hook), and an --all run first clears each app's proxy config;
 * - Dokku 0.30+ (plugins/ps/subcommands.go CommandRestore): `pre-restore`
 *   with no arguments once per command, whatever it restores (traefik's and
 *   caddy's plugins start their proxy there after a reboot), an --all run
 *   then `proxy-clear-config --all` once; each app's own step fires
 *   `scheduler-pre-restore` instead, and never `pre-restore` again, although
 *   dokku-ps runs every app of --all in a process of its own.
 *
 * Version-agnostic: runs on both passes of npm test.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Host } from "./harness.ts";

let host: Host;
before(async () => {
  host = await Host.create();
  host.installFixturePlugin("restore-recorder");
});
after(async () => {
  await host?.destroy();
});

const callsFile = () => join(host.lib, "data", "restore-recorder", "calls");
function takeCalls(): string[] {
  let text = "";
  try {
    text = readFileSync(callsFile(), "utf8");
  } catch {
    return [];
  }
  rmSync(callsFile());
  return text.split("\n").filter(Boolean);
}

test("ps:restore fires pre-restore and clears proxy config as the host's Dokku does, once per command on 0.30+", async () => {
  const a = await host.createApp("rpa");
  const b = await host.createApp("rpb");
  const [first, second] = [a, b].sort();
  takeCalls();

  const one = await host.dokku("ps:restore", a);
  assert.equal(one.code, 0, one.stderr);
  const all = () => host.dokku("ps:restore", "--all");
  if (host.is024) {
    assert.deepEqual(takeCalls(), [`pre-restore 2: docker-local ${a}`, `proxy-clear-config 1: ${a}`]);
  } else {
    assert.deepEqual(takeCalls(), ["pre-restore 0:", `proxy-clear-config 1: ${a}`]);
  }

  const r = await all();
  assert.equal(r.code, 0, r.stderr);
  // Both apps were restored (neither is deployed: each says so).
  for (const app of [a, b]) assert.match(r.stderr, new RegExp(` !     App ${app} has not been deployed\n`));
  if (host.is024) {
    assert.deepEqual(takeCalls(), [
      `proxy-clear-config 1: ${first}`,
      `proxy-clear-config 1: ${second}`,
      `pre-restore 2: docker-local ${first}`,
      `proxy-clear-config 1: ${first}`,
      `pre-restore 2: docker-local ${second}`,
      `proxy-clear-config 1: ${second}`,
    ]);
  } else {
    assert.deepEqual(takeCalls(), ["pre-restore 0:", "proxy-clear-config 1: --all", `proxy-clear-config 1: ${first}`, `proxy-clear-config 1: ${second}`]);
  }

  // Without an app: the warning, then as --all (0.30+ fires pre-restore before the warning).
  const bare = await host.dokku("ps:restore");
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stderr, /^ !     Restore specified without app, assuming --all\n/m);
  const calls = takeCalls();
  assert.equal(calls.filter((c) => c.startsWith("pre-restore 0:")).length, host.is024 ? 0 : 1, calls.join("\n"));
});
