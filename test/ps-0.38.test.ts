/**
 * The ps contract of Dokku 0.36–0.38.27 (src/core/dokku-contract.ts) as the
 * bundled entry speaks it, on a host tree of files only (none of these
 * commands and triggers needs Docker: the app has no containers). The
 * expected texts of 0.38.27 are the record's literal outputs
 * (../shared/real-dokku-0.38.27/transcripts/core-ps-0.38.27*.log: the
 * never-deployed app of the extra log's supplement, `ps:report --global`,
 * the ps:set and ps-get-property steps); the versions in between follow
 * their tag's plugins/ps (report.go, ps.go, triggers.go).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "./temp.ts";

const ENTRY = resolve("dist/ps.cjs");
const root = tempDir("dokku-ps-038-");
const lib = join(root, "lib");
const home = join(root, "home");
const bin = join(root, "bin");
const APP = "rdweb";
mkdirSync(bin, { recursive: true });
// A plugn that records each trigger it is asked to fire (install's config-unset / config-migrate-env).
const plugnLog = join(root, "plugn.log");
writeFileSync(join(bin, "plugn"), `#!/bin/sh\nprintf '%s|%s\\n' "\${DOKKU_QUIET_OUTPUT-}" "$*" >>"${plugnLog}"\n`);
chmodSync(join(bin, "plugn"), 0o755);

function fresh(version: string): void {
  rmSync(lib, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  rmSync(plugnLog, { force: true });
  mkdirSync(join(home, APP), { recursive: true });
  mkdirSync(join(lib, "config", "ps", APP), { recursive: true });
  mkdirSync(join(lib, "config", "common", APP), { recursive: true });
  writeFileSync(join(lib, "VERSION"), `v${version}\n`);
  // What apps:create leaves on 0.38.27 (extra log, supplement): `scale` = web=1; never deployed.
  writeFileSync(join(lib, "config", "ps", APP, "scale"), "web=1\n");
  writeFileSync(join(lib, "config", "common", APP, "deployed"), "false");
}

const env = () => ({ PATH: `${bin}:/usr/bin:/bin`, DOKKU_LIB_ROOT: lib, DOKKU_ROOT: home });

/** `dokku ps:<name> <args…>`: stdout+stderr and `[exit N]`. */
function ps(name: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [ENTRY, "subcommand", name, `ps:${name}`, ...args], { env: env(), encoding: "utf8", input: "" });
  return `${r.stdout}${r.stderr}[exit ${r.status}]`;
}

function trigger(name: string, args: string[], input = ""): string {
  const r = spawnSync(process.execPath, [ENTRY, "trigger", name, ...args], { env: env(), encoding: "utf8", input });
  return `${r.stdout}${r.stderr}[exit ${r.status}]`;
}

const prop = (app: string, key: string) => join(lib, "config", "ps", app, key);
const readProp = (app: string, key: string) => (existsSync(prop(app, key)) ? readFileSync(prop(app, key), "utf8") : undefined);

// ---- 0.38.27, the record ------------------------------------------------------

const NEVER_DEPLOYED_REPORT = `=====> rdweb ps information
       Deployed:                         false
       Processes:                        0
       Ps can scale:                     true
       Ps computed dockerfile start cmd: 
       Ps computed procfile path:        Procfile
       Ps computed restart policy:       on-failure:10
       Ps computed skip deploy:          false
       Ps computed start cmd:            
       Ps computed stop timeout seconds: 30
       Ps dockerfile start cmd:          
       Ps global procfile path:          
       Ps global restart policy:         
       Ps global skip deploy:            
       Ps global stop timeout seconds:   
       Ps procfile path:                 
       Ps restart policy:                
       Ps skip deploy:                   
       Ps start cmd:                     
       Ps stop timeout seconds:          
       Restore:                          true
       Running:                          false
`;

const NEVER_DEPLOYED_JSON =
  '{"can-scale":"true","computed-dockerfile-start-cmd":"","computed-procfile-path":"Procfile","computed-restart-policy":"on-failure:10","computed-skip-deploy":"false","computed-start-cmd":"","computed-stop-timeout-seconds":"30","deployed":"false","dockerfile-start-cmd":"","global-procfile-path":"","global-restart-policy":"","global-skip-deploy":"","global-stop-timeout-seconds":"","processes":"0","procfile-path":"","ps-can-scale":"true","ps-computed-dockerfile-start-cmd":"","ps-computed-procfile-path":"Procfile","ps-computed-restart-policy":"on-failure:10","ps-computed-skip-deploy":"false","ps-computed-start-cmd":"","ps-computed-stop-timeout-seconds":"30","ps-dockerfile-start-cmd":"","ps-global-procfile-path":"","ps-global-restart-policy":"","ps-global-skip-deploy":"","ps-global-stop-timeout-seconds":"","ps-procfile-path":"","ps-restart-policy":"","ps-skip-deploy":"","ps-start-cmd":"","ps-stop-timeout-seconds":"","restart-policy":"","restore":"true","running":"false","skip-deploy":"","start-cmd":"","stop-timeout-seconds":""}';

const APP_FLAGS_0_38_27 =
  "--deployed, --processes, --ps-can-scale, --ps-computed-dockerfile-start-cmd, --ps-computed-procfile-path, --ps-computed-restart-policy, --ps-computed-skip-deploy, --ps-computed-start-cmd, --ps-computed-stop-timeout-seconds, --ps-dockerfile-start-cmd, --ps-global-procfile-path, --ps-global-restart-policy, --ps-global-skip-deploy, --ps-global-stop-timeout-seconds, --ps-procfile-path, --ps-restart-policy, --ps-skip-deploy, --ps-start-cmd, --ps-stop-timeout-seconds, --restore, --running";

test("0.38.27: ps:report of a never-deployed app, text and json, as recorded (21 rows, values at column 42, empty values padded)", () => {
  fresh("0.38.27");
  assert.equal(ps("report", APP), `${NEVER_DEPLOYED_REPORT}[exit 0]`);
  assert.equal(ps("report", APP, "--format", "json"), `${NEVER_DEPLOYED_JSON}\n[exit 0]`);
  assert.equal(ps("report", APP, "--nonsense"), ` !     Invalid flag passed, valid flags: ${APP_FLAGS_0_38_27}\n[exit 1]`);
  // A single flag: the bare value (an empty one: an empty line).
  assert.equal(ps("report", APP, "--ps-computed-stop-timeout-seconds"), "30\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-restart-policy"), "\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-global-procfile-path"), "\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-computed-procfile-path"), "Procfile\n[exit 0]");
});

test("0.38.27: ps:report --global, its flags, error and json, as recorded", () => {
  fresh("0.38.27");
  assert.equal(
    ps("report", "--global"),
    `=====> --global ps information
       Ps computed procfile path:        Procfile
       Ps computed restart policy:       on-failure:10
       Ps computed skip deploy:          false
       Ps computed stop timeout seconds: 30
       Ps global procfile path:          
       Ps global restart policy:         
       Ps global skip deploy:            
       Ps global stop timeout seconds:   
[exit 0]`,
  );
  assert.equal(
    ps("report", "--global", "--nonsense"),
    " !     Invalid flag passed, valid flags: --ps-computed-procfile-path, --ps-computed-restart-policy, --ps-computed-skip-deploy, --ps-computed-stop-timeout-seconds, --ps-global-procfile-path, --ps-global-restart-policy, --ps-global-skip-deploy, --ps-global-stop-timeout-seconds\n[exit 1]",
  );
  const json = JSON.parse(ps("report", "--global", "--format", "json").replace(/\[exit 0\]$/, ""));
  assert.deepEqual(Object.keys(json).length, 16);
  assert.equal(json["computed-stop-timeout-seconds"], "30");
  assert.equal(json["ps-computed-stop-timeout-seconds"], "30");
  ps("set", "--global", "stop-timeout-seconds", "12");
  assert.equal(ps("report", "--global", "--ps-global-stop-timeout-seconds"), "12\n[exit 0]");
  assert.equal(ps("report", "--global", "--ps-computed-stop-timeout-seconds"), "12\n[exit 0]");
});

test("0.38.27: ps:set keys, messages, exit codes and storage as core's (one 0600 file per key, no final newline, clearing deletes)", () => {
  fresh("0.38.27");
  assert.equal(
    ps("set", APP, "no-such-key", "x"),
    " !     Invalid property specified, valid properties include: dockerfile-start-cmd, procfile-path, restart-policy, restore, skip-deploy, start-cmd, stop-timeout-seconds\n[exit 1]",
  );
  assert.equal(ps("set", APP), " !     No property specified\n[exit 1]");
  assert.equal(ps("set"), " !     Please specify an app to run the command on\n[exit 1]");
  assert.equal(ps("set", APP, "restart-policy", "bogus"), " !     Invalid restart-policy specified\n[exit 1]");
  assert.ok(!existsSync(join(lib, "config", "ps", "--global")), "no global dir before the first ps:set --global");
  for (const key of ["start-cmd", "dockerfile-start-cmd"]) {
    assert.equal(ps("set", "--global", key, "x"), " !     Property cannot be specified globally\n[exit 1]");
    assert.equal(ps("set", "--global", key), " !     Property cannot be specified globally\n[exit 1]");
  }
  assert.ok(!existsSync(join(lib, "config", "ps", "--global")), "nothing stored");
  const sets: Array<[string[], string, string]> = [
    [[APP, "stop-timeout-seconds", "7"], "=====> Setting stop-timeout-seconds to 7", "7"],
    [[APP, "skip-deploy", "true"], "=====> Setting skip-deploy to true", "true"],
    [[APP, "start-cmd", "sleep 4242"], "=====> Setting start-cmd to sleep 4242", "sleep 4242"],
    [[APP, "dockerfile-start-cmd", "sleep 4343"], "=====> Setting dockerfile-start-cmd to sleep 4343", "sleep 4343"],
    [[APP, "restart-policy", "unless-stopped"], "=====> Setting restart-policy to unless-stopped", "unless-stopped"],
    [[APP, "restart-policy", "no"], "=====> Setting restart-policy to no", "no"],
    [[APP, "procfile-path", "nope/Procfile"], "=====> Setting procfile-path to nope/Procfile", "nope/Procfile"],
    [[APP, "restore", "false"], "=====> Setting restore to false", "false"],
  ];
  for (const [args, line, stored] of sets) {
    assert.equal(ps("set", ...args), `${line}\n[exit 0]`, args.join(" "));
    const file = prop(APP, args[1] as string);
    assert.equal(readFileSync(file, "utf8"), stored, `${args[1]}: the value, no final newline`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
  assert.equal(ps("report", APP, "--ps-computed-start-cmd"), "sleep 4242\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-computed-dockerfile-start-cmd"), "sleep 4343\n[exit 0]");
  assert.equal(ps("report", APP, "--restore"), "false\n[exit 0]");
  assert.equal(ps("set", APP, "start-cmd"), "=====> Unsetting start-cmd\n[exit 0]");
  assert.equal(readProp(APP, "start-cmd"), undefined, "clearing deletes the file");
  // --global: restart-policy, skip-deploy, stop-timeout-seconds; the dir made by the first, kept after clearing.
  assert.equal(ps("set", "--global", "restart-policy", "always"), "=====> Setting restart-policy to always\n[exit 0]");
  assert.equal(statSync(join(lib, "config", "ps", "--global")).mode & 0o777, 0o755);
  assert.equal(readProp("--global", "restart-policy"), "always");
  assert.equal(ps("set", "--global", "restart-policy"), "=====> Unsetting restart-policy\n[exit 0]");
  assert.ok(existsSync(join(lib, "config", "ps", "--global")), "the global dir stays");
  // 0.38 keeps no config var of ps: no ENV anywhere, no DOCKER_OPTIONS_DEPLOY in the app dir.
  assert.ok(!existsSync(join(home, APP, "ENV")));
  assert.ok(!existsSync(join(home, APP, "DOCKER_OPTIONS_DEPLOY")));
  assert.ok(!existsSync(join(lib, "config", APP, "ENV")));
});

test("0.38.27: computed = app, else global, else default (stop timeout 7 + 12 → 7, 12, 30; restart policy; skip deploy)", () => {
  fresh("0.38.27");
  ps("set", APP, "stop-timeout-seconds", "7");
  ps("set", "--global", "stop-timeout-seconds", "12");
  assert.equal(ps("report", APP, "--ps-computed-stop-timeout-seconds"), "7\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "stop-timeout-seconds"]), "7\n[exit 0]");
  ps("set", APP, "stop-timeout-seconds");
  assert.equal(ps("report", APP, "--ps-computed-stop-timeout-seconds"), "12\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "stop-timeout-seconds"]), "12\n[exit 0]");
  ps("set", "--global", "stop-timeout-seconds");
  assert.equal(ps("report", APP, "--ps-computed-stop-timeout-seconds"), "30\n[exit 0]");
  // ps-get-property as recorded (extra log): restart-policy, skip-deploy, start-cmd's error.
  assert.equal(trigger("ps-get-property", [APP, "restart-policy"]), "on-failure:10\n[exit 0]");
  ps("set", "--global", "restart-policy", "always");
  assert.equal(trigger("ps-get-property", [APP, "restart-policy"]), "always\n[exit 0]");
  ps("set", APP, "restart-policy", "unless-stopped");
  assert.equal(trigger("ps-get-property", [APP, "restart-policy"]), "unless-stopped\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "skip-deploy"]), "false\n[exit 0]");
  ps("set", "--global", "skip-deploy", "true");
  assert.equal(trigger("ps-get-property", [APP, "skip-deploy"]), "true\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "restore"]), "true\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "start-cmd"]), " !     Invalid ps property specified: start-cmd\n[exit 1]");
  // The restart policy reaches the scheduler through docker-args-process-deploy: the app's own wins over the global one.
  assert.equal(trigger("docker-args-process-deploy", [APP, "abc123", "web", "1"], "--label a=b\n"), "--label a=b --restart=unless-stopped[exit 0]");
  ps("set", APP, "restart-policy");
  assert.equal(trigger("docker-args-process-deploy", [APP, "abc123", "web", "1"], ""), " --restart=always[exit 0]");
  assert.ok(!existsSync(join(home, APP, "DOCKER_OPTIONS_DEPLOY")), "no policy in the deploy options");
  assert.ok(!existsSync(join(lib, "config", "docker-options", APP)), "nor in 0.38's docker-options properties");
});

test("0.38.27: what core accepts as nonsense dokku-ps refuses (one line, exit 1, nothing stored)", () => {
  fresh("0.38.27");
  const refusals: Array<[string[], string]> = [
    [[APP, "stop-timeout-seconds", "abc"], "Invalid stop-timeout-seconds specified, must be an integer from 0 to 86400"],
    [["--global", "stop-timeout-seconds", "1.5"], "Invalid stop-timeout-seconds specified, must be an integer from 0 to 86400"],
    [[APP, "skip-deploy", "yes"], "Invalid skip-deploy specified, valid values: true, false"],
    [["--global", "skip-deploy", "1"], "Invalid skip-deploy specified, valid values: true, false"],
    [[APP, "restore", "0"], "Invalid restore specified, valid values: true, false"],
    [[APP, "restart-policy", "on-failure:x"], "Invalid restart-policy specified"],
  ];
  for (const [args, message] of refusals) {
    assert.equal(ps("set", ...args), ` !     ${message}\n[exit 1]`, args.join(" "));
    assert.equal(readProp(args[0] as string, args[1] as string), undefined, `${args.join(" ")}: nothing stored`);
  }
});

test("0.38.27: ps:scale --format json, ps:help at column 80", () => {
  fresh("0.38.27");
  assert.equal(ps("scale", APP, "--format", "json"), '[{"process_type":"web","quantity":1}]\n[exit 0]');
  writeFileSync(prop(APP, "scale"), "web=-1\nworker=1\n");
  assert.equal(ps("scale", APP, "--format", "json"), '[{"process_type":"web","quantity":-1},{"process_type":"worker","quantity":1}]\n[exit 0]');
  assert.equal(ps("scale", APP, "--format", "stdout"), "-----> Scaling for rdweb\nproctype: qty\n--------: ---\nweb:  -1\nworker: 1\n[exit 0]");
  const help = spawnSync(process.execPath, [ENTRY, "commands", "commands", "ps:help"], { env: env(), encoding: "utf8" }).stdout;
  assert.ok(help.includes("    ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]  Get/Set how many instances of a given process to run\n"), help);
  assert.ok(help.includes("    ps:inspect <app>                                                           Displays a sanitized version of docker inspect for an app\n"), help);
  assert.ok(help.endsWith("    ps:stop [--parallel count] [--all|<app>]                                   Stop an app\n    \n"), help);
});

test("0.38.27: the restore flag is the `restore` property (post-stop false, core-post-deploy true, ps:restore skips on false); no ENV written", () => {
  fresh("0.38.27");
  assert.equal(trigger("post-stop", [APP]), "[exit 0]");
  assert.equal(readProp(APP, "restore"), "false");
  assert.equal(statSync(prop(APP, "restore")).mode & 0o777, 0o600);
  assert.equal(ps("report", APP, "--restore"), "false\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "restore"]), "false\n[exit 0]");
  mkdirSync(join(lib, "data", "ps", APP), { recursive: true });
  assert.equal(trigger("core-post-deploy", [APP, "5000", "127.0.0.1", "abc"]), "[exit 0]");
  assert.equal(readProp(APP, "restore"), "true");
  assert.ok(!existsSync(join(home, APP, "ENV")), "no app-dir ENV");
  assert.ok(!existsSync(join(lib, "config", APP, "ENV")), "no config ENV either");
});

test("0.38.27: install adopts an app of 0.35: restart policy out of DOCKER_OPTIONS_DEPLOY, config vars into properties (through config-unset)", () => {
  fresh("0.38.27");
  // 0.38's docker-options keeps deploy options as the property list config/docker-options/<app>/_default_.deploy.
  const options = (app: string) => join(lib, "config", "docker-options", app, "_default_.deploy");
  mkdirSync(join(lib, "config", "docker-options", APP), { recursive: true });
  writeFileSync(options(APP), "--restart=unless-stopped\n-v /srv:/srv\n");
  mkdirSync(join(home, "other"));
  mkdirSync(join(lib, "config", "docker-options", "other"), { recursive: true });
  writeFileSync(options("other"), "--restart=on-failure:10\n");
  mkdirSync(join(lib, "config", APP), { recursive: true });
  writeFileSync(join(lib, "config", APP, "ENV"), 'DOKKU_APP_RESTORE="0"\nDOKKU_DOCKER_STOP_TIMEOUT="9"\nFOO="a $b"\n');
  mkdirSync(join(lib, "config", "--global"), { recursive: true });
  writeFileSync(join(lib, "config", "--global", "ENV"), 'DOKKU_SKIP_DEPLOY="true"\n');
  const out = trigger("install", []);
  assert.match(out, /\[exit 0\]$/);
  assert.match(out, /-----> Migrating deprecated DOKKU_APP_RESTORE to ps restore property for rdweb\. Use 'dokku ps:set rdweb restore <value>' to manage this going forward\./);
  assert.match(out, /-----> Migrating deprecated global DOKKU_SKIP_DEPLOY to ps skip-deploy property\. Use 'dokku ps:set --global skip-deploy <value>' to manage this going forward\./);
  assert.equal(readProp(APP, "restart-policy"), "unless-stopped");
  assert.equal(readFileSync(options(APP), "utf8"), "-v /srv:/srv\n", "only the --restart line goes");
  assert.equal(statSync(options(APP)).mode & 0o777, 0o600);
  assert.equal(readProp("other", "restart-policy"), undefined, "the default policy is no property");
  assert.equal(readFileSync(options("other"), "utf8"), "");
  assert.equal(readProp(APP, "restore"), "false");
  assert.equal(readProp(APP, "stop-timeout-seconds"), "9");
  assert.equal(readProp("--global", "skip-deploy"), "true");
  // The vars go through the config plugin's trigger (quiet), which writes ENV its own way.
  const calls = readFileSync(plugnLog, "utf8").split("\n").filter(Boolean);
  assert.ok(calls.includes("|trigger config-migrate-env"), calls.join("\n"));
  for (const call of ["1|trigger config-unset rdweb DOKKU_DOCKER_STOP_TIMEOUT", "1|trigger config-unset rdweb DOKKU_APP_RESTORE", "1|trigger config-unset --global DOKKU_SKIP_DEPLOY"]) {
    assert.ok(calls.includes(call), `${call} in\n${calls.join("\n")}`);
  }
  // Run again: nothing more to migrate (the properties are there).
  rmSync(plugnLog);
  trigger("install", []);
  assert.deepEqual(readFileSync(plugnLog, "utf8").split("\n").filter(Boolean), ["|trigger config-migrate-env"]);
});

// ---- versions in between: what their tag's plugins/ps has --------------------------

test("0.36.0: stop-timeout-seconds (app, --global), 12 report rows at column 39 with `30` for unset, ps-get-property's `network` message", () => {
  fresh("0.36.0");
  assert.equal(ps("set", APP, "skip-deploy", "true"), " !     Invalid property specified, valid properties include: procfile-path, restart-policy, stop-timeout-seconds\n[exit 1]");
  assert.equal(ps("set", "--global", "stop-timeout-seconds", "12"), "=====> Setting stop-timeout-seconds to 12\n[exit 0]");
  assert.equal(ps("report", APP, "--stop-timeout-seconds"), "30\n[exit 0]");
  assert.equal(ps("report", APP, "--global-stop-timeout-seconds"), "12\n[exit 0]");
  assert.equal(ps("report", APP, "--computed-stop-timeout-seconds"), "12\n[exit 0]", "the global value counts (core to 0.38.5 never reached it)");
  assert.equal(ps("report", APP, "--ps-global-procfile-path"), "Procfile\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-restart-policy"), "on-failure:10\n[exit 0]");
  const text = ps("report", APP);
  assert.ok(text.includes("\n       Computed stop timeout seconds: 12\n"), text);
  assert.ok(text.includes("\n       Ps restart policy:             on-failure:10\n"), text);
  assert.equal(text.split("\n").length, 1 + 12 + 1, text);
  assert.equal(ps("report", "--global"), " !     Invalid flag passed, valid flags: --computed-stop-timeout-seconds, --deployed, --global-stop-timeout-seconds, --processes, --ps-can-scale, --ps-computed-procfile-path, --ps-global-procfile-path, --ps-procfile-path, --ps-restart-policy, --restore, --running, --stop-timeout-seconds\n[exit 1]");
  const json = JSON.parse(ps("report", APP, "--format", "json").replace(/\[exit 0\]$/, ""));
  assert.equal(json["computed-stop-timeout-seconds"], "12");
  assert.equal(json["ps-can-scale"], "true");
  assert.equal(json["can-scale"], undefined, "no trimmed keys before 0.38.8");
  assert.equal(trigger("ps-get-property", [APP, "stop-timeout-seconds"]), "12\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "skip-deploy"]), " !     Invalid network property specified: skip-deploy\n[exit 1]");
  // The restore flag is still DOKKU_APP_RESTORE in the app's ENV.
  assert.equal(trigger("post-stop", [APP]), "[exit 0]");
  assert.match(readFileSync(join(home, APP, "ENV"), "utf8"), /^DOKKU_APP_RESTORE="0"$/m);
  assert.equal(readProp(APP, "restore"), undefined);
  assert.equal(ps("scale", APP, "--format", "json"), '{"web":1}\n[exit 0]', "dokku-ps's own json before 0.38.21");
});

test("0.38.0 / 0.38.6 / 0.38.8: restore property and skip-deploy; --global report grows; unset rows empty from 0.38.6; json keys twice from 0.38.8", () => {
  fresh("0.38.0");
  assert.equal(ps("set", "--global", "restart-policy", "always"), " !     Property cannot be specified globally\n[exit 1]");
  assert.equal(ps("set", APP, "restart-policy", "unless-stopped"), "=====> Setting restart-policy to unless-stopped\n[exit 0]");
  assert.equal(
    readFileSync(join(lib, "config", "docker-options", APP, "_default_.deploy"), "utf8"),
    "--restart=unless-stopped\n",
    "to 0.38.8 a deploy option, in 0.38's docker-options property list",
  );
  assert.ok(!existsSync(join(home, APP, "DOCKER_OPTIONS_DEPLOY")));
  assert.equal(ps("report", APP, "--ps-restart-policy"), "unless-stopped\n[exit 0]");
  assert.equal(ps("report", "--global"), "=====> --global ps information\n       Global stop timeout seconds:   30\n       Ps global procfile path:       Procfile\n[exit 0]");
  assert.equal(trigger("ps-get-property", [APP, "skip-deploy"]), "\n[exit 0]", "no default before 0.38.8");
  assert.equal(trigger("ps-get-property", [APP, "restart-policy"]), " !     Invalid ps property specified: restart-policy\n[exit 1]");
  trigger("post-stop", [APP]);
  assert.equal(readProp(APP, "restore"), "false");
  fresh("0.38.6");
  assert.equal(ps("report", "--global"), "=====> --global ps information\n       Global stop timeout seconds:   \n       Ps global procfile path:       \n[exit 0]");
  assert.equal(ps("report", APP, "--computed-stop-timeout-seconds"), "30\n[exit 0]");
  fresh("0.38.8");
  const json = JSON.parse(ps("report", "--global", "--format", "json").replace(/\[exit 0\]$/, ""));
  assert.deepEqual(Object.keys(json), [
    "computed-procfile-path", "computed-skip-deploy", "computed-stop-timeout-seconds", "global-procfile-path", "global-skip-deploy", "global-stop-timeout-seconds",
    "ps-computed-procfile-path", "ps-computed-skip-deploy", "ps-computed-stop-timeout-seconds", "ps-global-procfile-path", "ps-global-skip-deploy", "ps-global-stop-timeout-seconds",
  ]);
  assert.equal(trigger("ps-get-property", [APP, "skip-deploy"]), "false\n[exit 0]");
  assert.equal(ps("report", APP, "--ps-restart-policy"), "on-failure:10\n[exit 0]", "to 0.38.8 the deploy option's policy, default on-failure:10");
});

test("ps:retire: 0.36+ says what it retires and names the app's scheduler; 0.37+ retires expired run containers too (plugins/ps CommandRetire)", () => {
  fresh("0.38.27");
  mkdirSync(join(lib, "data", "ps"), { recursive: true });
  assert.equal(ps("retire"), "-----> Retiring old containers and images\n-----> Retiring expired run containers\n[exit 0]");
  assert.deepEqual(readFileSync(plugnLog, "utf8").split("\n").filter(Boolean), ["|trigger scheduler-retire docker-local ", "|trigger scheduler-run-retire"]);
  rmSync(plugnLog);
  assert.equal(ps("retire", APP), "-----> Retiring old containers and images\n-----> Retiring expired run containers\n[exit 0]");
  assert.deepEqual(readFileSync(plugnLog, "utf8").split("\n").filter(Boolean), [`|trigger scheduler-retire docker-local ${APP}`, "|trigger scheduler-run-retire"]);
  fresh("0.36.0");
  mkdirSync(join(lib, "data", "ps"), { recursive: true });
  assert.equal(ps("retire"), "-----> Retiring old containers and images\n[exit 0]");
  assert.deepEqual(readFileSync(plugnLog, "utf8").split("\n").filter(Boolean), ["|trigger scheduler-retire docker-local "]);
  fresh("0.35.20");
  mkdirSync(join(lib, "data", "ps"), { recursive: true });
  assert.equal(ps("retire"), "[exit 0]", "0.30–0.35 as dokku-ps always did it");
});
