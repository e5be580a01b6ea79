/**
 * Dokku 0.38.27's ps contract with dokku-ps (VERSION `v0.38.27`; these tests
 * concern that version only): install.sh over host/'s core ps 0.38.27
 * stand-in, adopting what an older ps left (restart policy in the
 * docker-options property list, DOKKU_APP_RESTORE and the stop timeout in
 * the app's config); ps:set / ps:report / --format json / ps:scale --format
 * json with core's texts (real-dokku-0.38.27/README.md); every property one
 * 0600 file of the Dokku user's; the restore flag as the `restore` property,
 * no ENV in the app dir; the restart policy reaching new containers through
 * docker-args-process-deploy (the global one, an app's own winning); and
 * `install.sh --uninstall` leaving formation, restore flag and policy where
 * core ps 0.38.27 (the stand-in) reads them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, REPO, deployedContainers, dockerfileApp, dokkuUser, workTree, PROCFILE_WEB_WORKER } from "./harness.ts";

// This file concerns Dokku 0.38.27 only: core ps 0.38.27's contract.
export const CONCERNS_DOKKU = "0.38.27";

const INSTALL = join(REPO, "install.sh");
let host: Host;

async function installSh(args: string[] = []) {
  const r = await execa(INSTALL, args, { reject: false, stdin: "ignore", env: host.env(), extendEnv: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** `dokku <args>`: stdout+stderr in order and the exit code, as a record has them. */
async function dokku(...args: string[]): Promise<string> {
  const r = await host.combined([join(REPO, "host", "bin", "dokku"), ...args]);
  return `${r.text}[exit ${r.code}]`;
}

const propPath = (app: string, key: string) => join(host.lib, "config", "ps", app, key);
const prop = (app: string, key: string) => (existsSync(propPath(app, key)) ? readFileSync(propPath(app, key), "utf8") : undefined);

function assertDokkuOwned(path: string, mode: number): void {
  const st = statSync(path);
  const { uid, gid } = dokkuUser();
  assert.equal(st.mode & 0o777, mode, `${path} mode ${(st.mode & 0o777).toString(8)}`);
  assert.equal(st.uid, uid, `${path} owner`);
  assert.equal(st.gid, gid, `${path} group`);
}

before(async () => {
  // A 0.38.27 host with its own core ps (the stand-in), as a new install has it; dokku-ps comes later.
  host = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
  await host.layCorePs();
});
after(async () => {
  await host?.destroy();
});

test("0.38.27: install.sh over core ps adopts an app an older ps left: policy out of the deploy options, config vars into properties", async () => {
  const app = await host.createApp("v38old");
  // What 0.38.0–0.38.8's ps (and the docker-options migration of 0.35's file) leave: a `--restart=` deploy option.
  const options = join(host.lib, "config", "docker-options", app, "_default_.deploy");
  host.seedFile(options, "--restart=unless-stopped\n-v /srv:/srv\n", 0o600);
  const set = await host.dokku("config:set", "--no-restart", app, "DOKKU_APP_RESTORE=0", "DOKKU_DOCKER_STOP_TIMEOUT=9", "FOO=a b");
  assert.equal(set.code, 0, set.stderr);
  const r = await installSh();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /Migrating deprecated DOKKU_APP_RESTORE to ps restore property for v38old/);
  assert.equal(prop(app, "restart-policy"), "unless-stopped");
  assert.equal(prop(app, "restore"), "false");
  assert.equal(prop(app, "stop-timeout-seconds"), "9");
  assertDokkuOwned(propPath(app, "restore"), 0o600);
  assert.equal(readFileSync(options, "utf8"), "-v /srv:/srv\n", "only the --restart line goes");
  const env = readFileSync(host.envFile(app), "utf8");
  assert.doesNotMatch(env, /DOKKU_APP_RESTORE|DOKKU_DOCKER_STOP_TIMEOUT/, "the config plugin unset them");
  assert.match(env, /^FOO=/m, "other config vars kept");
  assert.equal(await dokku("ps:report", app, "--ps-restart-policy"), "unless-stopped\n[exit 0]");
  assert.equal(await dokku("ps:report", app, "--restore"), "false\n[exit 0]");
  assert.equal(await dokku("plugin:trigger", "ps-get-property", app, "stop-timeout-seconds"), "9\n[exit 0]");
  assert.ok(!existsSync(join(host.home, app, "ENV")), "no app-dir ENV");
});

test("0.38.27: ps:set, ps:report (text, flags, --global, json) and ps:scale --format json as core's", async () => {
  const app = await host.createApp("v38set");
  assert.equal(readFileSync(propPath(app, "scale"), "utf8"), "web=1\n", "apps:create stores web=1");
  assert.equal(await dokku("ps:scale", app, "--format", "json"), '[{"process_type":"web","quantity":1}]\n[exit 0]');
  assert.equal(
    await dokku("ps:set", app, "no-such-key", "x"),
    " !     Invalid property specified, valid properties include: dockerfile-start-cmd, procfile-path, restart-policy, restore, skip-deploy, start-cmd, stop-timeout-seconds\n[exit 1]",
  );
  assert.equal(await dokku("ps:set", "--global", "start-cmd", "x"), " !     Property cannot be specified globally\n[exit 1]");
  assert.equal(await dokku("ps:set", app, "stop-timeout-seconds", "abc"), " !     Invalid stop-timeout-seconds specified, must be an integer from 0 to 86400\n[exit 1]");
  assert.equal(await dokku("ps:set", app, "stop-timeout-seconds", "7"), "=====> Setting stop-timeout-seconds to 7\n[exit 0]");
  assert.equal(await dokku("ps:set", "--global", "stop-timeout-seconds", "12"), "=====> Setting stop-timeout-seconds to 12\n[exit 0]");
  assertDokkuOwned(propPath(app, "stop-timeout-seconds"), 0o600);
  assertDokkuOwned(join(host.lib, "config", "ps", "--global"), 0o755);
  assert.equal(prop("--global", "stop-timeout-seconds"), "12");
  assert.equal(await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds"), "7\n[exit 0]");
  assert.equal(await dokku("ps:set", app, "stop-timeout-seconds"), "=====> Unsetting stop-timeout-seconds\n[exit 0]");
  assert.equal(prop(app, "stop-timeout-seconds"), undefined);
  assert.equal(await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds"), "12\n[exit 0]");
  const globalReport = await dokku("ps:report", "--global");
  assert.ok(globalReport.startsWith("=====> --global ps information\n       Ps computed procfile path:        Procfile\n"), globalReport);
  assert.ok(globalReport.includes("\n       Ps global stop timeout seconds:   12\n"), globalReport);
  await dokku("ps:set", "--global", "stop-timeout-seconds");
  const text = await dokku("ps:report", app);
  assert.ok(text.includes("\n       Ps computed stop timeout seconds: 30\n       Ps dockerfile start cmd:          \n"), text);
  assert.equal(text.split("\n").filter((l) => l.startsWith("       ")).length, 21, text);
  const json = JSON.parse((await dokku("ps:report", app, "--format", "json")).replace(/\[exit 0\]$/, ""));
  assert.equal(json["computed-restart-policy"], "on-failure:10");
  assert.equal(json["ps-computed-restart-policy"], "on-failure:10");
  assert.equal(json["restart-policy"], "");
  assert.equal(json.restore, "true");
  const all = await dokku("ps:report");
  assert.ok(all.includes(`=====> ${app} ps information\n`), all);
  assert.match(all, /\[exit 0\]$/);
});

test("0.38.27: a deploy sets the restore property, ps:stop clears it, ps:restore skips the app; the global restart policy reaches new containers, an app's own wins", async () => {
  const app = await host.createApp("v38run");
  const dir = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  const push = await host.push(app, dir);
  assert.equal(push.code, 0, push.stderr);
  assert.equal(prop(app, "restore"), "true");
  assert.ok(!existsSync(join(host.home, app, "ENV")), "no app-dir ENV");
  assert.ok(!existsSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY")));
  let web = (await deployedContainers(app)).filter((c) => c.processType === "web");
  assert.deepEqual(web.map((c) => c.restartPolicy), [{ Name: "on-failure", MaximumRetryCount: 10 }]);

  assert.equal(await dokku("ps:set", "--global", "restart-policy", "unless-stopped"), "=====> Setting restart-policy to unless-stopped\n[exit 0]");
  let rebuild = await host.dokku("ps:rebuild", app);
  assert.equal(rebuild.code, 0, rebuild.stderr);
  web = (await deployedContainers(app)).filter((c) => c.processType === "web");
  assert.deepEqual(web.map((c) => c.restartPolicy), [{ Name: "unless-stopped", MaximumRetryCount: 0 }], "the global policy reaches the new container");

  assert.equal(await dokku("ps:set", app, "restart-policy", "always"), "=====> Setting restart-policy to always\n[exit 0]");
  rebuild = await host.dokku("ps:rebuild", app);
  assert.equal(rebuild.code, 0, rebuild.stderr);
  web = (await deployedContainers(app)).filter((c) => c.processType === "web");
  assert.deepEqual(web.map((c) => c.restartPolicy), [{ Name: "always", MaximumRetryCount: 0 }], "the app's own policy wins");
  assert.ok(!existsSync(join(host.lib, "config", "docker-options", app, "_default_.deploy")) || !readFileSync(join(host.lib, "config", "docker-options", app, "_default_.deploy"), "utf8").includes("--restart"), "no --restart deploy option");
  await dokku("ps:set", "--global", "restart-policy");

  const stop = await host.dokku("ps:stop", app);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(prop(app, "restore"), "false");
  assert.equal(await dokku("ps:report", app, "--restore"), "false\n[exit 0]");
  const restore = await dokku("ps:restore", app);
  assert.match(restore, / !     Skipping ps:restore for v38run-[a-z0-9]+ as restore property is false\n/);
  assert.deepEqual(await deployedContainers(app), [], "nothing started");
  assert.ok(!existsSync(join(host.home, app, "ENV")), "still no app-dir ENV");
});

test("0.38.27: install.sh --uninstall leaves formation, restore flag and restart policy where core ps 0.38.27 reads them", async () => {
  // (dokku-ps is installed by the first test; installing again changes nothing, and lets this one run alone.)
  assert.equal((await installSh()).code, 0);
  const app = await host.createApp("v38un");
  assert.equal((await host.dokku("ps:scale", "--skip-deploy", app, "web=2")).code, 0);
  await dokku("ps:set", app, "restart-policy", "no");
  await dokku("plugin:trigger", "post-stop", app);
  const un = await installSh(["--uninstall"]);
  assert.equal(un.code, 0, un.stderr);
  assert.match(un.stdout, /Restored Dokku's core ps plugin/);
  // core ps 0.38.27 (the stand-in) answers from the same files.
  assert.match(readFileSync(join(host.lib, "plugins", "enabled", "ps", "plugin.toml"), "utf8"), /version = "0\.38\.27"/);
  assert.equal(await dokku("plugin:trigger", "ps-get-property", app, "restore"), "false\n[exit 0]");
  assert.equal(await dokku("plugin:trigger", "ps-get-property", app, "restart-policy"), "no\n[exit 0]");
  assert.equal(readFileSync(propPath(app, "scale"), "utf8"), "web=2\n");
  // As the scheduler asks it (stdin: the argument chain so far).
  const args = await execa(join(REPO, "host", "bin", "dokku"), ["plugin:trigger", "docker-args-process-deploy", app, "dockerfile", "latest", "web", "1"], {
    reject: false,
    input: "--label x=y",
    env: host.env(),
    extendEnv: false,
  });
  assert.equal(String(args.stdout).trim(), "--label x=y --restart=no", String(args.stderr));
  // And back: install.sh again keeps every value.
  const again = await installSh();
  assert.equal(again.code, 0, again.stderr);
  assert.equal(prop(app, "restore"), "false");
  assert.equal(prop(app, "restart-policy"), "no");
  assert.equal(readFileSync(propPath(app, "scale"), "utf8"), "web=2\n");
});
