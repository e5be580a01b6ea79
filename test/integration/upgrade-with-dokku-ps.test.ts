/**
 * Issue 16, must-show 2 and 3: the in-place upgrade 0.24.10 → 0.31.5 with
 * dokku-ps installed loses no formation. The sequence of
 * real-dokku-0.31.5/transcripts/upgrade-with-dokku-ps/ (01 install, 02 apps,
 * 03 upgrade, 04 after it, 05 install.sh again and --uninstall) walked on
 * host/ with this dokku-ps, real pushes, the real engine:
 *
 *   01  a 0.24.10 host with (a stand-in of) core ps 0.24 where Dokku keeps
 *       it; install.sh keeps it aside.
 *   02  ua: DOKKU_SCALE web=1 worker=2 in the image, config `SECRET=a b"c$d`
 *       PLAIN=x; ub: ps:scale worker=3, restart-policy unless-stopped,
 *       ps:rebuild; uc: app.json formation worker=1 only, then ps:stop;
 *       ud: DOKKU_SCALE web=1 worker=2 as core ps 0.24 alone leaves it
 *       (its 0.3x-format copy removed: the app of an operator who had no
 *       dokku-ps before the upgrade).
 *   03  host/bin/upgrade-host 0.31.5: the 0.24 prerm's cleanup, the core
 *       plugins' install triggers, core ps 0.31.5's among them (it deletes
 *       every DOKKU_SCALE and DOKKU_SCALE.extracted).
 *   04  (a) the README step forgotten: ps:rebuild ua, ps:rebuild ub,
 *       ps:start uc, a push of ua run the same containers as before.
 *   05  (b) install.sh again, as the README says: the same deploys again;
 *       ud's formation is gone until a push re-reads its image's DOKKU_SCALE;
 *       then --uninstall: core ps 0.31.5 finds every formation and a push
 *       under it runs the same containers.
 *
 * A second, shorter walk upgrades to 0.35.20 (whose ps reads the image in
 * post-release-builder) without install.sh again.
 *
 * After each step every app's formation (config/ps/<app>/scale and
 * can-scale, the Dokku user's, 0600), restart policy (DOCKER_OPTIONS_DEPLOY),
 * ENV byte for byte (restore flag included) and running containers (names,
 * types, restart policies) are compared with what they must be.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, REPO, chownTree, commitFiles, deployedContainers, dockerfileApp, dokkuUser, run, workTree } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: it upgrades a 0.24.10 host to 0.31.5 in place.
export const CONCERNS_DOKKU = "0.24.10";

const INSTALL = join(REPO, "install.sh");
const UPGRADE = join(REPO, "host", "bin", "upgrade-host");

let host: Host;
const src: Record<string, string> = {};
let ua: string, ub: string, uc: string, ud: string;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
});
after(async () => {
  await host?.destroy();
  for (const dir of Object.values(src)) rmSync(dir, { recursive: true, force: true });
});

// ---- what an app is made of ------------------------------------------------

interface Want {
  /** config/ps/<app>/scale, undefined: no such file. */
  scale: string | undefined;
  canScale: string | undefined;
  /** DOCKER_OPTIONS_DEPLOY */
  options: string;
  /** ENV, as a map (compared as the file godotenv 1.2.0 Marshal writes). */
  env: Record<string, string>;
  /** running containers: `<name> <type> <policy>:<max>`, sorted */
  containers: string[];
}

const want: Record<string, Want> = {};

/** `type=count` lines sorted by type, as ps-current-scale prints them (no final newline). */
const lines = (text: string | undefined) => (text ?? "").split("\n").filter(Boolean).sort().join("\n");

/** ENV as Dokku's config plugin writes it: sorted `KEY="value"` lines, `\ " ! $ \`` escaped, no final newline. */
function envText(env: Record<string, string>): string {
  const esc = (v: string) => v.replace(/[\\"!$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return Object.keys(env)
    .sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))))
    .map((k) => `${k}="${esc(env[k]!)}"`)
    .join("\n");
}

function readMaybe(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** Running deploy containers, once retiring is done (old ones stop in the background). */
async function running(app: string): Promise<string[]> {
  const settled = (list: string[]) => list.every((l) => new RegExp(`^${app}\\.[a-z]+\\.[0-9]+ `).test(l));
  let list: string[] = [];
  for (let i = 0; i < 40; i++) {
    list = (await deployedContainers(app))
      .map((c) => `${c.name} ${c.processType} ${c.restartPolicy.Name}:${c.restartPolicy.MaximumRetryCount}`)
      .sort();
    if (settled(list)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return list;
}

async function assertApp(app: string, step: string): Promise<void> {
  const w = want[app]!;
  const at = `${app} ${step}`;
  const props = join(host.lib, "config", "ps", app);
  // The lines of `scale` in any order: 0.31.5's ps writes an app.json formation's types first.
  const scale = readMaybe(join(props, "scale"));
  assert.equal(scale === undefined ? undefined : lines(scale), w.scale === undefined ? undefined : lines(w.scale), `${at}: scale`);
  if (w.scale !== undefined) assert.ok(readMaybe(join(props, "scale"))!.endsWith("\n"), `${at}: scale ends with a newline`);
  assert.equal(readMaybe(join(props, "can-scale")), w.canScale, `${at}: can-scale`);
  const { uid, gid } = dokkuUser();
  for (const key of ["scale", "can-scale"]) {
    if (!existsSync(join(props, key))) continue;
    const st = statSync(join(props, key));
    assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o600, uid, gid], `${at}: ${key} mode and owner`);
  }
  assert.equal(readFileSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY"), "utf8"), w.options, `${at}: DOCKER_OPTIONS_DEPLOY`);
  for (const file of ["DOCKER_OPTIONS_DEPLOY", "ENV"]) {
    const st = statSync(join(host.home, app, file));
    assert.deepEqual([st.uid, st.gid], [uid, gid], `${at}: ${file} owner`);
  }
  assert.equal(readFileSync(join(host.home, app, "ENV"), "utf8"), envText(w.env), `${at}: ENV`);
  assert.deepEqual(await running(app), w.containers, `${at}: running containers`);
}

async function assertAll(step: string, apps = [ua, ub, uc, ud]): Promise<void> {
  for (const app of apps) await assertApp(app, step);
}

async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await p;
  assert.equal(r.code, 0, `${what}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const dokku = (...args: string[]) => ok(host.dokku(...args), args.join(" "));
const push = (app: string) => ok(host.push(app, src[app]!), `push ${app}`);
const currentScale = async (app: string) => dokku("plugin:trigger", "ps-current-scale", app);

/** What a build on 0.31.5 sets in the app's ENV (git plugin, builder-dockerfile). */
async function built(app: string): Promise<void> {
  const rev = (await run("git", ["rev-parse", "HEAD"], { cwd: src[app]! })).stdout.trim();
  want[app]!.env = { ...want[app]!.env, GIT_REV: rev, DOKKU_APP_TYPE: "dockerfile" };
}

/** An empty commit and its push, as the records' "empty commit after the upgrade". */
async function repush(app: string): Promise<void> {
  await commitFiles(src[app]!, {});
  await push(app);
  await built(app);
}

/** ps:rebuild: a build from the app's repo. */
async function rebuild(app: string): Promise<void> {
  await dokku("ps:rebuild", app);
  await built(app);
}

const onFailure = (app: string, types: string[]) => types.map((t) => `${app}.${t} ${t.split(".")[0]} on-failure:10`);

// ---- the walk ----------------------------------------------------------------

test("upgrade 0.24.10 → 0.31.5 with dokku-ps: every formation, policy, config and container survives, with and without install.sh again; core ps finds them after --uninstall", async () => {
  // 01: core ps 0.24 where Dokku keeps it, then install.sh.
  const core = join(host.lib, "core-plugins", "available", "ps");
  cpSync(join(REPO, "test", "fixtures", "core-ps"), core, { recursive: true });
  symlinkSync(core, join(host.lib, "plugins", "available", "ps"));
  symlinkSync(join(host.lib, "plugins", "available", "ps"), join(host.lib, "plugins", "enabled", "ps"));
  symlinkSync(core, join(host.lib, "core-plugins", "enabled", "ps"));
  chownTree(core);
  chownTree(join(host.lib, "plugins"));
  const installed = await ok(run(INSTALL, [], { env: host.env() }), "install.sh");
  assert.match(installed, /Kept Dokku's core ps plugin aside in .*\.dokku-ps-core-backup\n/);
  const backup = join(host.lib, "plugins", ".dokku-ps-core-backup");
  assert.equal(readlinkSync(backup), core);

  // 02: the apps under dokku-ps on 0.24.10.
  ua = await host.createApp("ua");
  await dokku("config:set", "--no-restart", ua, 'SECRET=a b"c$d', "PLAIN=x");
  src[ua] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
  await push(ua);

  ub = await host.createApp("ub");
  src[ub] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  await push(ub);
  await dokku("ps:scale", ub, "worker=3");
  await dokku("ps:set", ub, "restart-policy", "unless-stopped");
  await dokku("ps:rebuild", ub);

  uc = await host.createApp("uc");
  src[uc] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, "app.json": '{"formation":{"worker":{"quantity":1}}}\n' }));
  await push(uc);
  await dokku("ps:stop", uc);

  ud = await host.createApp("ud");
  src[ud] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
  await push(ud);
  // What dokku-ps added beside core ps 0.24's files: gone, as if it had never been installed.
  for (const f of [join(host.lib, "config", "ps", ud, "scale"), join(host.lib, "config", "ps", ud, "can-scale"), join(host.lib, "data", "ps", ud, "DOKKU_SCALE")]) rmSync(f, { force: true });

  want[ua] = {
    scale: "web=1\nworker=2\n",
    canScale: "false",
    options: "--restart=on-failure:10\n",
    env: { DOKKU_APP_RESTORE: "1", PLAIN: "x", SECRET: 'a b"c$d' },
    containers: onFailure(ua, ["web.1", "worker.1", "worker.2"]),
  };
  want[ub] = {
    scale: "web=1\nworker=3\n",
    canScale: "true",
    options: "--restart=unless-stopped\n",
    env: { DOKKU_APP_RESTORE: "1" },
    containers: ["web.1", "worker.1", "worker.2", "worker.3"].map((d) => `${ub}.${d} ${d.split(".")[0]} unless-stopped:0`),
  };
  want[uc] = { scale: "web=0\nworker=1\n", canScale: "false", options: "--restart=on-failure:10\n", env: { DOKKU_APP_RESTORE: "0" }, containers: [] };
  want[ud] = { scale: undefined, canScale: undefined, options: "--restart=on-failure:10\n", env: { DOKKU_APP_RESTORE: "1" }, containers: onFailure(ud, ["web.1", "worker.1", "worker.2"]) };
  await assertAll("under dokku-ps on 0.24.10");
  assert.equal(readFileSync(join(host.home, ua, "ENV"), "utf8").split("\n").find((l) => l.startsWith("SECRET=")), 'SECRET="a b\\"c\\$d"');
  for (const app of [ua, ub, uc, ud]) assert.ok(existsSync(join(host.home, app, "DOKKU_SCALE")), `${app} DOKKU_SCALE on 0.24`);

  // 03: the package upgrade.
  const upgrade = await run(UPGRADE, ["0.31.5"], { env: host.env() });
  assert.equal(upgrade.code, 0, upgrade.stdout + upgrade.stderr);
  assert.equal(readFileSync(join(host.lib, "VERSION"), "utf8"), "v0.31.5\n");
  // The 0.24 prerm's cleanup removed the stopped app's exited container (the record's `missing`).
  assert.match(upgrade.stdout, new RegExp(`dokku cleanup: removing exited containers of ${uc}: `));
  // Domains' install: once per app, NO_VHOST=1 (the record's config:show after the upgrade).
  assert.equal(upgrade.stdout.split("\n").filter((l) => l === "-----> Global server virtual host not set, disabling app vhost...").length, 4, upgrade.stdout);
  for (const app of [ua, ub, uc, ud]) want[app]!.env = { ...want[app]!.env, NO_VHOST: "1" };
  // ...written by 0.31.5's config plugin, which leaves every ENV 0600 (the record's `ls -la`).
  for (const app of [ua, ub, uc, ud]) assert.equal(statSync(join(host.home, app, "ENV")).mode & 0o777, 0o600, `${app} ENV mode`);
  // Core ps 0.31.5 is the core plugin now, and its install trigger ran: every DOKKU_SCALE is gone.
  assert.match(readFileSync(join(core, "plugin.toml"), "utf8"), /version = "0.31.5"/);
  assert.ok(existsSync(join(core, ".core")));
  assert.equal(readlinkSync(backup), core, "the kept-aside link names core ps 0.31.5 now");
  for (const app of [ua, ub, uc, ud]) {
    assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE")), `${app} DOKKU_SCALE deleted by core ps 0.31.5's install`);
    assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE.extracted")), `${app} DOKKU_SCALE.extracted deleted`);
  }
  // dokku-ps is still the ps plugin (plugins/available/ps kept as the directory it is).
  const plugin = join(host.lib, "plugins", "available", "ps");
  assert.ok(lstatSync(plugin).isDirectory() && existsSync(join(plugin, ".dokku-ps")));
  assert.equal(readlinkSync(join(host.lib, "plugins", "enabled", "ps")), plugin);
  await assertAll("right after the upgrade");
  for (const app of [ua, ub, uc]) assert.equal(await currentScale(app), lines(want[app]!.scale), `${app} ps-current-scale`);

  // 04 (a): install.sh not run again; the next deploys.
  await rebuild(ua);
  await rebuild(ub);
  await dokku("ps:start", uc);
  want[uc]!.env.DOKKU_APP_RESTORE = "1";
  want[uc]!.containers = onFailure(uc, ["worker.1"]);
  await repush(ua);
  await assertAll("after the next deploys, install.sh not rerun", [ua, ub, uc]);
  const refused = await host.dokku("ps:scale", ua, "worker=3");
  assert.deepEqual([refused.code, refused.stderr], [1, ` !     App ${ua} contains DOKKU_SCALE file and cannot be manually scaled\n`]);

  // 05 (b): install.sh again, as the README says.
  const again = await ok(run(INSTALL, [], { env: host.env() }), "install.sh on 0.31.5");
  assert.equal(again, `-----> dokku-ps installed in ${plugin}\n`);
  for (const name of ["post-extract", "procfile-extract", "procfile-remove", "pre-start"]) assert.ok(!existsSync(join(plugin, name)), `0.24's ${name} gone`);
  // docker-args-process-deploy stays, as 0.38.9+'s (a forward executable on 0.31.5, answering nothing there).
  assert.ok(existsSync(join(plugin, "docker-args-process-deploy")), "0.38.9's docker-args-process-deploy kept for an upgrade");
  await assertAll("after install.sh on 0.31.5");
  await rebuild(ua);
  await rebuild(ub);
  await dokku("ps:stop", uc);
  await dokku("ps:start", uc);
  await repush(ua);
  await assertAll("after the next deploys, install.sh rerun", [ua, ub, uc]);

  // ud, whose host had no dokku-ps before the upgrade: what core ps 0.31.5 deleted is gone...
  // (no `scale` at all, as core ps 0.31.5 finds it: the record's empty ps:scale table)
  assert.equal(await currentScale(ud), "");
  await assertApp(ud, "after install.sh on 0.31.5");
  // ...until a push re-reads DOKKU_SCALE from the image.
  await repush(ud);
  want[ud] = { ...want[ud]!, scale: "web=1\nworker=2\n", canScale: "false" };
  await assertApp(ud, "after a push on 0.31.5");

  // --uninstall: core ps 0.31.5 back, every formation where it reads it.
  const removed = await ok(run(INSTALL, ["--uninstall"], { env: host.env() }), "install.sh --uninstall");
  assert.equal(removed, "-----> Restored Dokku's core ps plugin\n");
  assert.match(readFileSync(join(host.lib, "plugins", "enabled", "ps", "plugin.toml"), "utf8"), /dokku core ps plugin"\nversion = "0.31.5"/);
  await assertAll("after --uninstall");
  for (const app of [ua, ub, uc, ud]) assert.equal(await currentScale(app), lines(want[app]!.scale), `core ps's ps-current-scale ${app}`);
  // Its next deploys run the same containers.
  await repush(ub);
  await repush(ua);
  // Core ps ignores the image's DOKKU_SCALE: app-json (no app.json) makes ua scalable, same formation.
  want[ua]!.canScale = "true";
  await assertAll("after a push under core ps 0.31.5", [ua, ub]);
});

test("upgrade 0.24.10 → 0.35.20 with dokku-ps, install.sh not rerun: the next ps:rebuild runs the same containers (0.35 reads the image in post-release-builder)", async () => {
  const h = await Host.create({ version: CONCERNS_DOKKU });
  try {
    const img = await h.createApp("va");
    const dir1 = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
    const dir2 = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
    src[`${img}`] = dir1;
    assert.equal((await h.push(img, dir1)).code, 0);
    const cmd = await h.createApp("vb");
    src[`${cmd}`] = dir2;
    assert.equal((await h.push(cmd, dir2)).code, 0);
    assert.equal((await h.dokku("ps:scale", cmd, "worker=3")).code, 0);
    const upgrade = await run(UPGRADE, ["0.35.20"], { env: h.env() });
    assert.equal(upgrade.code, 0, upgrade.stdout + upgrade.stderr);
    assert.equal(readFileSync(join(h.lib, "VERSION"), "utf8"), "v0.35.20\n");
    for (const app of [img, cmd]) assert.ok(!existsSync(join(h.home, app, "DOKKU_SCALE")), `${app} DOKKU_SCALE deleted by core ps's install`);
    for (const [app, types] of [[img, ["web.1", "worker.1", "worker.2"]], [cmd, ["web.1", "worker.1", "worker.2", "worker.3"]]] as const) {
      const r = await h.dokku("ps:rebuild", app);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await running(app), onFailure(app, [...types]), `${app} after ps:rebuild on 0.35.20`);
    }
    assert.equal((await h.dokku("plugin:trigger", "ps-current-scale", img)).stdout, "web=1\nworker=2");
    assert.equal((await h.dokku("plugin:trigger", "ps-current-scale", cmd)).stdout, "web=1\nworker=3");
  } finally {
    await h.destroy();
  }
});
