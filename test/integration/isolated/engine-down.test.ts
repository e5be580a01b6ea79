/**
 * Engine faults (issue 6), on an engine of the test's own (issue 15): a
 * second dockerd under a private dir (test/integration/private-engine.ts)
 * that this file starts, stops and starts again by its pid. dokku-ps
 * (dockerode), host/ (the docker CLI) and the harness all follow
 * DOCKER_HOST, set for this process and every command it runs. The
 * machine's engine and its containers are not touched: a container started
 * on it before is still running, the same one, after.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, Host, PROCFILE_WEB_WORKER, countByType, deployedContainers, dockerfileApp, requireEngine, workTree } from "../harness.ts";
import { PrivateEngine } from "../private-engine.ts";
import { treeHash } from "../state.ts";

/** The machine's engine, as this process found it (before DOCKER_HOST points elsewhere). */
const MAIN_ENV: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
const mainDocker = (...args: string[]) => execa("docker", args, { reject: false, env: MAIN_ENV, extendEnv: false });

let engine: PrivateEngine | undefined;
let host: Host | undefined;
/** A container on the machine's engine that must outlive this test. */
let sentinel = "";

before(async () => {
  await requireEngine();
  const run = await mainDocker("run", "-d", "--init", "--network=none", "--label=dokku-ps-test=engine-down-sentinel", BASE_IMAGE, "sleep", "600");
  assert.equal(run.exitCode, 0, String(run.stderr));
  sentinel = String(run.stdout).trim();
  engine = await PrivateEngine.start();
  await engine.load(BASE_IMAGE);
  process.env["DOCKER_HOST"] = engine.host;
  host = await Host.create();
});

after(async () => {
  try {
    if (engine && engine.pid === undefined) await engine.restart();
    await host?.destroy();
  } finally {
    process.env["DOCKER_HOST"] = MAIN_ENV["DOCKER_HOST"];
    if (MAIN_ENV["DOCKER_HOST"] === undefined) delete process.env["DOCKER_HOST"];
    await engine?.destroy();
    if (sentinel) await mainDocker("rm", "-f", sentinel);
  }
});

async function mainEngineStatus(): Promise<string> {
  const r = await mainDocker("inspect", "--format", "{{.State.Status}} {{.State.StartedAt}}", sentinel);
  assert.equal(r.exitCode, 0, String(r.stderr));
  return String(r.stdout).trim();
}

test("engine down: ps:scale, ps:report, ps:restart print one clear line, exit 1, write nothing; ps:restore --all recovers", async () => {
  const h = host as Host;
  const e = engine as PrivateEngine;
  const mainBefore = await mainEngineStatus();
  assert.match(mainBefore, /^running /);
  const apps = [await h.createApp("down"), await h.createApp("down")];
  for (const app of apps) {
    const push = await h.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
    assert.equal(push.code, 0, push.stderr);
    // On the private engine, and not on the machine's.
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 }, app);
    const onMain = await mainDocker("ps", "-aq", "--filter", `label=com.dokku.app-name=${app}`);
    assert.equal(String(onMain.stdout).trim(), "", `${app} has no container on the machine's engine`);
  }
  const [app, uncached] = apps as [string, string];
  // An app whose deployed state is not cached: a report would ask the
  // scheduler and cache its answer, which with the engine down must not happen.
  rmSync(join(h.lib, "config", "common", uncached, "deployed"));
  const state = () => treeHash(h.home, join(h.lib, "config"), join(h.lib, "data"));

  const pid = e.pid;
  await e.stop();
  assert.equal(e.pid, undefined, `dockerd ${pid} is gone`);
  try {
    for (const args of [["ps:scale", app, "worker=2"], ["ps:report", app], ["ps:report"], ["ps:restart", app]]) {
      const before = state();
      const r = await h.dokku(...args);
      assert.equal(r.code, 1, `${args.join(" ")} exit code`);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `${args.join(" ")}: one line, got ${JSON.stringify(r.stderr)}`);
      // It names the engine it was pointed at: the private one.
      assert.ok((lines[0] as string).startsWith(` !     Docker engine is not reachable at ${e.host} (`), lines[0]);
      assert.equal(state(), before, `${args.join(" ")} wrote nothing`);
      if (args[0] === "ps:report") assert.equal(r.stdout, "", `${args.join(" ")} printed no block (nor "Setting deployed")`);
    }
    // The machine's engine was never down: the same container, still running.
    assert.equal(await mainEngineStatus(), mainBefore);
  } finally {
    await e.restart();
  }

  // A reboot: the engine is back but the app containers are gone.
  for (const a of apps) {
    const list = (await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${a}`])).stdout.split("\n").filter(Boolean);
    if (list.length) await execa("docker", ["rm", "-f", ...list]);
  }
  const restore = await h.dokku("ps:restore", "--all");
  assert.equal(restore.code, 0, restore.stderr);
  for (const a of apps) assert.deepEqual(countByType(await deployedContainers(a)), { web: 1 }, a);
  assert.equal(await mainEngineStatus(), mainBefore, "the machine's engine's container is untouched");
});
