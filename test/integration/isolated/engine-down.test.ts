/**
 * Engine faults (issue 6). This file stops the Docker engine, so it runs
 * alone, after every other integration test (see scripts/test.sh).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { execa } from "execa";
import { Host, PROCFILE_WEB_WORKER, REPO, countByType, deployedContainers, dockerfileApp, workTree } from "../harness.ts";
import { treeHash } from "../state.ts";

let host: Host;
before(async () => {
  host = await Host.create();
});
after(async () => {
  await startEngine();
  await host?.destroy();
});

async function stopEngine(): Promise<void> {
  await execa("pkill", ["-x", "dockerd"], { reject: false });
  // Down means the process is gone, not only the API: a restart while it
  // still exits would find its pid file.
  for (let i = 0; i < 120; i++) {
    const alive = await execa("pgrep", ["-x", "dockerd"], { reject: false });
    if (alive.exitCode !== 0) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error("dockerd did not stop");
}

async function startEngine(): Promise<void> {
  const r = await execa("bash", [join(REPO, "scripts", "start-dockerd.sh")], { reject: false });
  assert.equal(r.exitCode, 0, String(r.stderr));
}

test("engine down: ps:scale, ps:report, ps:restart print one clear line, exit 1, write nothing; ps:restore --all recovers", async () => {
  const apps = [await host.createApp("down"), await host.createApp("down")];
  for (const app of apps) {
    const push = await host.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
    assert.equal(push.code, 0, push.stderr);
  }
  const [app] = apps as [string, string];
  const state = () => treeHash(host.home, join(host.lib, "config"), join(host.lib, "data"));

  await stopEngine();
  try {
    for (const args of [["ps:scale", app, "worker=2"], ["ps:report", app], ["ps:restart", app]]) {
      const before = state();
      const r = await host.dokku(...args);
      assert.equal(r.code, 1, `${args.join(" ")} exit code`);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `${args.join(" ")}: one line, got ${JSON.stringify(r.stderr)}`);
      assert.match(lines[0] as string, /^ !     Docker engine is not reachable at /);
      assert.equal(state(), before, `${args.join(" ")} wrote nothing`);
    }
  } finally {
    await startEngine();
  }

  // A reboot: the engine is back but the app containers are gone.
  const ids = (await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${apps[0]}`, "--filter", `label=com.dokku.app-name=${apps[1]}`])).stdout;
  for (const a of apps) {
    const list = (await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${a}`])).stdout.split("\n").filter(Boolean);
    if (list.length) await execa("docker", ["rm", "-f", ...list]);
  }
  void ids;
  const restore = await host.dokku("ps:restore", "--all");
  assert.equal(restore.code, 0, restore.stderr);
  for (const a of apps) assert.deepEqual(countByType(await deployedContainers(a)), { web: 1 }, a);
});
