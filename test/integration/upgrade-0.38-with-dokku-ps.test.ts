/**
 * Issue 21, must-show 5: the in-place upgrade 0.35.20 → 0.38.27 with dokku-ps
 * installed loses nothing. Modelled on upgrade-with-dokku-ps.test.ts (0.24.10
 * → 0.31.5), walked on host/ with this dokku-ps, real pushes, the real engine:
 *
 *   01  a 0.35.20 host with dokku-ps (core ps kept aside by install.sh);
 *       ua: DOKKU_SCALE web=1 worker=2 in the image, config vars with quotes,
 *           `$`, `!`, a backtick, a backslash and a number;
 *       ub: ps:scale worker=3, restart-policy unless-stopped, a stop timeout
 *           of 7 s (0.35.20's ps:set has no stop-timeout-seconds, its
 *           scheduler reads config DOKKU_DOCKER_STOP_TIMEOUT: v0.35.20
 *           plugins/ps/ps.go, scheduler-docker-local/scheduler-deploy:35),
 *           ps:rebuild;
 *       uc: app.json formation worker=1 only, then ps:stop.
 *   02  host/bin/upgrade-host 0.38.27: the package upgrade; its `plugin:install
 *       --core` runs core ps 0.38.27's install (v0.38.27 plugins/ps/triggers.go
 *       TriggerInstall: a non-default `--restart=` of DOCKER_OPTIONS_DEPLOY
 *       becomes the `restart-policy` property and every `--restart=` option
 *       goes; DOKKU_DOCKER_STOP_TIMEOUT → `stop-timeout-seconds`,
 *       DOKKU_APP_RESTORE → `restore` (0 → false), each config var unset after)
 *       and config's (plugins/config/migrate.go: every `$DOKKU_ROOT/<app>/ENV`
 *       drained into `$DOKKU_LIB_ROOT/config/<app>/ENV`, the old file removed).
 *   03  install.sh again, as the README says: ps:rebuild ua and ub, a
 *       ps:stop / ps:start of uc, a push of ua run the same containers
 *       (names, commands, restart policies).
 *   04  install.sh --uninstall: core ps 0.38.27 (host/'s stand-in) finds every
 *       formation, restore flag, policy and stop timeout where it reads them,
 *       and its next pushes run the same containers.
 * A second walk (own host) leaves out 03: install.sh not run again, then
 * ps:rebuild ua, ps:rebuild ub, ps:start uc must run the same containers.
 *
 * After each step every app is checked in 0.38's places: formation in
 * config/ps/<app>/scale (+ can-scale), the restore flag as the `restore`
 * property, restart-policy and stop-timeout-seconds as properties (dokku:dokku
 * 0600, no final newline), no `--restart=` left in the deploy docker options,
 * ps-get-property's answers, config in $DOKKU_LIB_ROOT/config/<app>/ENV byte
 * for byte as 0.38's config plugin writes it, no app-dir ENV, and the running
 * containers.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Host, PROCFILE_WEB_WORKER, REPO, commitFiles, deployedContainers, dockerfileApp, dokkuUser, run, workTree } from "./harness.ts";

// This file concerns Dokku 0.35.20 only: it upgrades a 0.35.20 host to 0.38.27 in place.
export const CONCERNS_DOKKU = "0.35.20";

const INSTALL = join(REPO, "install.sh");
const UPGRADE = join(REPO, "host", "bin", "upgrade-host");
const LAY_CORE_PS = join(REPO, "host", "bin", "lay-core-ps");

/** The host of the walk running now (each test makes its own). */
let host: Host;
const hosts: Host[] = [];
const src: Record<string, string> = {};
let ua: string, ub: string, uc: string;

after(async () => {
  for (const h of hosts) await h.destroy();
  for (const dir of Object.values(src)) rmSync(dir, { recursive: true, force: true });
});

/** A 0.35.20 host as the package lays it (core ps, host/bin/lay-core-ps), then dokku-ps's install.sh, which keeps core ps aside. */
async function newHost(): Promise<void> {
  host = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
  hosts.push(host);
  await ok(run(LAY_CORE_PS, [], { env: host.env() }), "lay-core-ps");
  const installed = await ok(run(INSTALL, [], { env: host.env() }), "install.sh");
  assert.match(installed, /Kept Dokku's core ps plugin aside in .*\.dokku-ps-core-backup\n/);
}

// ---- the ENV files -----------------------------------------------------------

/** A `KEY="value"` / `KEY=value` ENV file (godotenv's double-quote escapes) as a map. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = /^([^=]+)=(?:"(.*)"|(.*))$/s.exec(line);
    assert.ok(m, `ENV line ${JSON.stringify(line)}`);
    env[m[1]!] = m[2] === undefined ? m[3]! : m[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c));
  }
  return env;
}

/** strconv.Atoi succeeds (base 10, optional sign, int64). */
const goInt = (v: string) => /^[+-]?[0-9]+$/.test(v) && BigInt(v.replace(/^\+/, "")) >= -(2n ** 63n) && BigInt(v.replace(/^\+/, "")) < 2n ** 63n;

/**
 * The ENV file Dokku 0.38's config plugin writes (Env.Write → godotenv v1.5.1
 * Write: Marshal sorts the lines, an integer value unquoted, every other one
 * in double quotes with `\ \n \r " ! $ \`` escaped; then a final newline).
 * Record: `config/rdweb/ENV` = `FOO="bar"` / `NO_VHOST=1`, 21 bytes; the empty
 * global ENV 1 byte.
 */
function envText038(env: Record<string, string>): string {
  const esc = (v: string) => v.replace(/[\\"!$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  const lines = Object.entries(env).map(([k, v]) => (goInt(v) ? `${k}=${BigInt(v.replace(/^\+/, ""))}` : `${k}="${esc(v)}"`));
  lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `${lines.join("\n")}\n`;
}

/**
 * The config vars 0.38.27's core plugins' install triggers move into
 * properties and unset (common.MigrateConfigToProperties callers at v0.38.27:
 * apps, builder, ports, proxy, ps, scheduler).
 */
const MIGRATED_BY_0_38 = [
  "DOKKU_DISABLE_APP_AUTOCREATION",
  "DOKKU_APP_TYPE",
  "DOKKU_SKIP_CLEANUP",
  "DOKKU_PROXY_PORT_MAP",
  "DOKKU_APP_PROXY_TYPE",
  "DOKKU_DISABLE_PROXY",
  "DOKKU_PROXY_PORT",
  "DOKKU_PROXY_SSL_PORT",
  "DOKKU_DOCKER_STOP_TIMEOUT",
  "DOKKU_APP_RESTORE",
  "DOKKU_SKIP_DEPLOY",
  "DOKKU_START_CMD",
  "DOKKU_DOCKERFILE_START_CMD",
  "DOKKU_SCHEDULER",
  "DOKKU_APP_SHELL",
];

// ---- what an app is made of, in 0.38's places ----------------------------------

interface Want {
  scale: string;
  canScale: string;
  /** The `restore` property. */
  restore: "true" | "false";
  /** The `restart-policy` property (undefined: no file, the default on-failure:10). */
  restartPolicy: string | undefined;
  /** The `stop-timeout-seconds` property (undefined: no file, 30). */
  stopTimeout: string | undefined;
  /** config/<app>/ENV as a map. */
  env: Record<string, string>;
  /** running containers: `<name> <type> <policy>:<max> <cmd>`, sorted */
  containers: string[];
}

const want: Record<string, Want> = {};

const lines = (text: string | undefined) => (text ?? "").split("\n").filter(Boolean).sort().join("\n");
const readMaybe = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

/** Running deploy containers, once retiring is done. */
async function running(app: string): Promise<string[]> {
  const settled = (list: string[]) => list.every((l) => new RegExp(`^${app}\\.[a-z]+\\.[0-9]+ `).test(l));
  let list: string[] = [];
  for (let i = 0; i < 40; i++) {
    list = (await deployedContainers(app))
      .map((c) => `${c.name} ${c.processType} ${c.restartPolicy.Name}:${c.restartPolicy.MaximumRetryCount} ${JSON.stringify(c.cmd)}`)
      .sort();
    if (settled(list)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return list;
}

/** Every file under a dir (none: []). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

async function trigger(...args: string[]): Promise<string> {
  const r = await host.dokku("plugin:trigger", ...args);
  assert.equal(r.code, 0, `plugin:trigger ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/**
 * `asks`: also ps's answers to 0.38's scheduler (ps-get-property needs
 * dokku-ps's 0.38 trigger set; right after the upgrade, before install.sh
 * runs again, only what is on disk and running is checked).
 */
async function assertApp(app: string, step: string, asks = true): Promise<void> {
  const w = want[app]!;
  const at = `${app} ${step}`;
  const props = join(host.lib, "config", "ps", app);
  const { uid, gid } = dokkuUser();
  const scale = readMaybe(join(props, "scale"));
  assert.equal(lines(scale), lines(w.scale), `${at}: scale`);
  assert.ok(scale!.endsWith("\n"), `${at}: scale ends with a newline`);
  const files: Record<string, string | undefined> = {
    "can-scale": w.canScale,
    restore: w.restore,
    "restart-policy": w.restartPolicy,
    "stop-timeout-seconds": w.stopTimeout,
  };
  for (const [key, value] of Object.entries(files)) assert.equal(readMaybe(join(props, key)), value, `${at}: property ${key}`);
  for (const key of ["scale", ...Object.keys(files)]) {
    if (!existsSync(join(props, key))) continue;
    const st = statSync(join(props, key));
    assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o600, uid, gid], `${at}: ${key} mode and owner`);
  }
  const dir = statSync(props);
  assert.deepEqual([dir.mode & 0o777, dir.uid, dir.gid], [0o755, uid, gid], `${at}: config/ps/<app> mode and owner`);

  assert.deepEqual(await running(app), w.containers, `${at}: running containers`);

  if (asks) {
    // What 0.38's scheduler asks (v0.38.27 plugins/ps/triggers.go TriggerPsGetProperty; the record's extra log).
    assert.equal(await trigger("ps-get-property", app, "restart-policy"), `${w.restartPolicy ?? "on-failure:10"}\n`, `${at}: ps-get-property restart-policy`);
    assert.equal(await trigger("ps-get-property", app, "stop-timeout-seconds"), `${w.stopTimeout ?? "30"}\n`, `${at}: ps-get-property stop-timeout-seconds`);
    assert.equal(await trigger("ps-get-property", app, "restore"), `${w.restore}\n`, `${at}: ps-get-property restore`);
  }
  assert.equal(await trigger("ps-current-scale", app), lines(w.scale), `${at}: ps-current-scale`);

  // The restart policy lives in the property only: no `--restart=` in the deploy docker options
  // (0.38.9+; the legacy file, if any, and docker-options' own store).
  for (const file of [join(host.home, app, "DOCKER_OPTIONS_DEPLOY"), ...filesUnder(join(host.lib, "config", "docker-options", app))]) {
    assert.doesNotMatch(readMaybe(file) ?? "", /--restart/, `${at}: ${file}`);
  }

  // Config: 0.38's place, byte for byte; nothing where 0.38 no longer reads.
  const envFile = join(host.lib, "config", app, "ENV");
  assert.equal(readMaybe(envFile), envText038(w.env), `${at}: config/<app>/ENV`);
  const st = statSync(envFile);
  assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o600, uid, gid], `${at}: ENV mode and owner`);
  assert.ok(!existsSync(join(host.home, app, "ENV")), `${at}: no $DOKKU_ROOT/<app>/ENV`);

}

async function assertAll(step: string, asks = true): Promise<void> {
  for (const app of [ua, ub, uc]) await assertApp(app, step, asks);
}

async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await p;
  assert.equal(r.code, 0, `${what}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const dokku = (...args: string[]) => ok(host.dokku(...args), args.join(" "));
const push = (app: string) => ok(host.push(app, src[app]!), `push ${app}`);

/** An empty commit and its push: GIT_REV is the new commit (the git plugin sets it on 0.38 too: the record's container env). */
async function repush(app: string): Promise<void> {
  await commitFiles(src[app]!, {});
  await push(app);
  want[app]!.env.GIT_REV = (await run("git", ["rev-parse", "HEAD"], { cwd: src[app]! })).stdout.trim();
}

const SLEEP = JSON.stringify(["sleep", "86400"]);
const containers = (app: string, dynos: string[], policy = "on-failure:10") => dynos.map((d) => `${app}.${d} ${d.split(".")[0]} ${policy} ${SLEEP}`).sort();

// ---- the walk ----------------------------------------------------------------

/** 01: a 0.35.20 host with dokku-ps and the three apps; what 0.38 must find of them. */
async function apps035(): Promise<void> {
  await newHost();
  const plugin = join(host.lib, "plugins", "available", "ps");
  assert.ok(existsSync(join(plugin, ".dokku-ps")), "dokku-ps is the ps plugin");

  ua = await host.createApp("ua");
  const uaVars = { SECRET: 'a b"c$d', ODD: "!x`y\\z", WORKERS: "4" };
  await dokku("config:set", "--no-restart", ua, ...Object.entries(uaVars).map(([k, v]) => `${k}=${v}`));
  src[ua] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, DOKKU_SCALE: "web=1\nworker=2\n" }));
  await push(ua);

  ub = await host.createApp("ub");
  src[ub] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  await push(ub);
  await dokku("ps:scale", ub, "worker=3");
  await dokku("ps:set", ub, "restart-policy", "unless-stopped");
  await dokku("config:set", "--no-restart", ub, "DOKKU_DOCKER_STOP_TIMEOUT=7");
  await dokku("ps:rebuild", ub);

  uc = await host.createApp("uc");
  src[uc] = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER, "app.json": '{"formation":{"worker":{"quantity":1}}}\n' }));
  await push(uc);
  await dokku("ps:stop", uc);

  // What 0.35.20 keeps, where it keeps it (the baseline the upgrade must carry over).
  const legacyEnv: Record<string, Record<string, string>> = {};
  for (const app of [ua, ub, uc]) legacyEnv[app] = parseEnv(readFileSync(join(host.home, app, "ENV"), "utf8"));
  for (const [k, v] of Object.entries(uaVars)) assert.equal(legacyEnv[ua]![k], v, `ua ${k} on 0.35.20`);
  assert.equal(legacyEnv[ub]!.DOKKU_DOCKER_STOP_TIMEOUT, "7");
  assert.deepEqual([legacyEnv[ua]!.DOKKU_APP_RESTORE, legacyEnv[ub]!.DOKKU_APP_RESTORE, legacyEnv[uc]!.DOKKU_APP_RESTORE], ["1", "1", "0"]);
  assert.match(readFileSync(join(host.home, ub, "DOCKER_OPTIONS_DEPLOY"), "utf8"), /^--restart=unless-stopped$/m);
  const keep = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).filter(([k]) => !MIGRATED_BY_0_38.includes(k)));
  want[ua] = { scale: "web=1\nworker=2\n", canScale: "false", restore: "true", restartPolicy: undefined, stopTimeout: undefined, env: keep(legacyEnv[ua]!), containers: containers(ua, ["web.1", "worker.1", "worker.2"]) };
  want[ub] = { scale: "web=1\nworker=3\n", canScale: "true", restore: "true", restartPolicy: "unless-stopped", stopTimeout: "7", env: keep(legacyEnv[ub]!), containers: containers(ub, ["web.1", "worker.1", "worker.2", "worker.3"], "unless-stopped:0") };
  want[uc] = { scale: "web=0\nworker=1\n", canScale: "false", restore: "false", restartPolicy: undefined, stopTimeout: undefined, env: keep(legacyEnv[uc]!), containers: [] };
  for (const app of [ua, ub, uc]) assert.deepEqual(await running(app), want[app]!.containers, `${app} on 0.35.20`);

}

/** 02: the package upgrade to 0.38.27. */
async function upgrade038(): Promise<void> {
  const backup = join(host.lib, "plugins", ".dokku-ps-core-backup");
  const plugin = join(host.lib, "plugins", "available", "ps");
  const upgrade = await run(UPGRADE, ["0.38.27"], { env: host.env() });
  assert.equal(upgrade.code, 0, upgrade.stdout + upgrade.stderr);
  assert.equal(readFileSync(join(host.lib, "VERSION"), "utf8"), "v0.38.27\n");
  const core = join(host.lib, "core-plugins", "available", "ps");
  assert.match(readFileSync(join(core, "plugin.toml"), "utf8"), /version = "0.38.27"/);
  assert.equal(readlinkSync(backup), core, "the kept-aside link names core ps 0.38.27 now");
  assert.ok(lstatSync(plugin).isDirectory() && existsSync(join(plugin, ".dokku-ps")), "dokku-ps is still the ps plugin");
  await assertAll("right after the upgrade", false);
}

test("upgrade 0.35.20 → 0.38.27 with dokku-ps, install.sh again as the README says: formation, restore flag, restart policy, stop timeout and config vars move to 0.38's places and stay; the next deploys run the same containers; after --uninstall core ps 0.38.27 finds it all", async () => {
  await apps035();
  await upgrade038();
  const plugin = join(host.lib, "plugins", "available", "ps");

  // 03: install.sh again, as the README says.
  const again = await ok(run(INSTALL, [], { env: host.env() }), "install.sh on 0.38.27");
  assert.equal(again, `-----> dokku-ps installed in ${plugin}\n`);
  await assertAll("after install.sh on 0.38.27");
  await dokku("ps:rebuild", ua);
  await dokku("ps:rebuild", ub);
  await dokku("ps:stop", uc);
  want[uc]!.restore = "false";
  want[uc]!.containers = [];
  await assertApp(uc, "after ps:stop on 0.38.27");
  await dokku("ps:start", uc);
  want[uc]!.restore = "true";
  want[uc]!.containers = containers(uc, ["worker.1"]);
  await repush(ua);
  await assertAll("after the next deploys, install.sh rerun");

  // 04: --uninstall: core ps 0.38.27 back, everything where it reads it.
  const removed = await ok(run(INSTALL, ["--uninstall"], { env: host.env() }), "install.sh --uninstall");
  assert.equal(removed, "-----> Restored Dokku's core ps plugin\n");
  assert.match(readFileSync(join(host.lib, "plugins", "enabled", "ps", "plugin.toml"), "utf8"), /dokku core ps plugin"\nversion = "0.38.27"/);
  await assertAll("after --uninstall");
  await repush(ub);
  await repush(ua);
  // Core ps ignores the image's DOKKU_SCALE: app-json (no app.json) makes ua scalable, same formation.
  // (host/'s core ps stand-in answers triggers only: no ps:* command after --uninstall.)
  want[ua]!.canScale = "true";
  await assertAll("after a push under core ps 0.38.27");
});

test("upgrade 0.35.20 → 0.38.27 with dokku-ps, install.sh not run again: everything in 0.38's places, and the next ps:rebuild / ps:start run the same containers", async () => {
  await apps035();
  await upgrade038();
  await dokku("ps:rebuild", ua);
  await dokku("ps:rebuild", ub);
  await dokku("ps:start", uc);
  want[uc]!.restore = "true";
  want[uc]!.containers = containers(uc, ["worker.1"]);
  await assertAll("after the next deploys, install.sh not rerun");
  const refused = await host.dokku("ps:scale", ua, "worker=3");
  assert.deepEqual([refused.code, refused.stderr], [1, ` !     App ${ua} contains DOKKU_SCALE file and cannot be manually scaled\n`]);
});
