/**
 * Speed guard on Dokku 0.31.5 (issue 14), not a benchmark: which ps
 * triggers start Node during a `git push`. The per-container hooks the
 * scheduler asks (ps-current-scale, procfile-exists, procfile-get-command
 * per type and container) are answered by the shell (scripts/fast-paths.sh,
 * contract.fastPathTriggers), and so is the `commands` file Dokku asks about
 * `git-hook`; Node starts only for the hooks that write: core-post-extract
 * (the Procfile copy), app-json's ps-can-scale, pre-deploy (the image's
 * DOKKU_SCALE) and core-post-deploy. A `node` first on PATH logs each
 * start, so the count is observed, not assumed; the containers show that
 * the shell's answers were the right ones.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { Host, commitFiles, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";
import { tempDir } from "../temp.ts";
import { join } from "node:path";

// This file concerns Dokku 0.31.5 only: 0.30+'s fast paths (0.24's: push-node-starts.test.ts).
export const CONCERNS_DOKKU = "0.31.5";

let host: Host;
let log: string;

before(async () => {
  const bin = tempDir("dokku-ps-node-log-");
  chmodSync(bin, 0o755);
  log = join(bin, "starts.log");
  writeFileSync(join(bin, "node"), `#!/bin/sh\nprintf '%s\\n' "$*" >>'${log}'\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(bin, "node"), 0o755);
  host = await Host.create({ binDir: bin, version: CONCERNS_DOKKU });
});
after(async () => {
  await host?.destroy();
});

async function nodeTriggersDuring(fn: () => Promise<void>): Promise<string[]> {
  writeFileSync(log, "");
  chmodSync(log, 0o666);
  await fn();
  return readFileSync(log, "utf8")
    .split("\n")
    .map((line) => /dist\/ps\.cjs (?:trigger|commands) (\S+)/.exec(line)?.[1])
    .filter((t): t is string => t !== undefined)
    .sort();
}

const WRITERS = ["core-post-deploy", "core-post-extract", "pre-deploy", "ps-can-scale"];

test("0.31.5: a push starts Node only for the hooks that write; the scheduler's hooks are the shell's", async () => {
  const app = await host.createApp("starts31");
  const scaled = await host.dokku("ps:scale", "--skip-deploy", app, "worker=2");
  assert.equal(scaled.code, 0, scaled.stderr);
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep $PORT\n" }));
  const first = await nodeTriggersDuring(async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(first, WRITERS);
  const containers = await deployedContainers(app);
  assert.deepEqual(countByType(containers), { web: 1, worker: 2 });
  // procfile-get-command's answer, from the shell: $PORT as the port asked.
  for (const c of containers) assert.match(c.cmd.join(" "), c.processType === "web" ? /sleep 86400/ : /sleep [0-9]+$/, c.name);

  // The image's DOKKU_SCALE rules (pre-deploy reads it): the same hooks.
  await commitFiles(src, { DOKKU_SCALE: "web=1\nworker=1\n" });
  const second = await nodeTriggersDuring(async () => {
    const r = await host.push(app, src);
    assert.equal(r.code, 0, r.stderr);
  });
  assert.deepEqual(second, WRITERS);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
});
