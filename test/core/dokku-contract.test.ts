import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { answersTrigger, contractFor, parseDokkuVersion } from "../../src/core/dokku-contract.ts";
import { triggerNames } from "../../src/main.ts";

const SHIM_FAST = readFileSync("scripts/shim-fast.sh", "utf8");

test("VERSION text as Dokku's package writes it, and without the v", () => {
  assert.deepEqual(parseDokkuVersion("v0.31.5\n"), { major: 0, minor: 31, patch: 5 });
  assert.deepEqual(parseDokkuVersion("0.24.10"), { major: 0, minor: 24, patch: 10 });
  assert.deepEqual(parseDokkuVersion("v0.35.0-rc1"), { major: 0, minor: 35, patch: 0 });
  for (const bad of ["", "v0.31", "latest", "v0.31.5 extra", "v01.2.3"]) assert.equal(parseDokkuVersion(bad), undefined, bad);
});

test("no VERSION file is the 0.24.10 dokku-ps always spoke", () => {
  const c = contractFor(undefined);
  assert.equal(c.version, "0.24.10");
  assert.equal(c.formationStore, "dokku-scale-file");
});

test("supported: 0.24.x and 0.30.0 to 0.38.x; anything else is refused in one line", () => {
  for (const v of ["v0.24.0", "v0.24.10", "v0.30.0", "v0.31.5", "v0.35.20", "v0.38.27"]) assert.ok(contractFor(v), v);
  for (const v of ["v0.23.9", "v0.25.0", "v0.29.4", "v0.39.0", "v1.0.0"]) {
    assert.throws(() => contractFor(v), /dokku-ps supports Dokku 0\.24\.x and 0\.30\.x–0\.38\.x; this host runs \d+\.\d+\.\d+$/, v);
  }
  assert.throws(() => contractFor("garbage"), /Unable to read the Dokku version/);
});

// 0.24: the trigger executables are exactly the shims in triggers/ (fast ones where triggers/ has the fast shim).
test("0.24.10: triggers and fast paths are those install.sh always installed", () => {
  const c = contractFor("v0.24.10");
  // triggers/ before dokku-ps spoke 0.30+: every shim but the five only newer Dokku has.
  const onlyNewer = ["post-release-builder", "procfile-exists", "ps-can-scale", "ps-get-property", "ps-set-scale"];
  const shims = readdirSync("triggers").filter((name) => !onlyNewer.includes(name));
  assert.equal(shims.length, 20);
  assert.deepEqual([...c.triggers].sort(), shims.sort());
  // Installed too, answered only once the host is upgraded in place to 0.30+.
  assert.deepEqual([...c.executables].sort(), readdirSync("triggers").sort());
  for (const name of onlyNewer) assert.ok(contractFor("v0.38.27").executables.includes(name), name);
  for (const name of c.executables) {
    const isFast = readFileSync(`triggers/${name}`, "utf8") === SHIM_FAST;
    assert.equal(c.fastPathTriggers.includes(name), isFast, name);
  }
  // 0.24's five, and 0.30+'s five and 0.36+'s ps-get-property (the shell hands these to the entry on 0.24).
  assert.deepEqual([...c.fastPathTriggers].sort(), [
    "core-post-deploy", "core-post-extract", "docker-args-process-deploy", "post-extract", "post-release-builder", "procfile-exists", "procfile-get-command", "ps-can-scale", "ps-current-scale", "ps-get-property",
  ]);
  assert.deepEqual(c.reportFlags, ["--deployed", "--processes", "--ps-can-scale", "--ps-restart-policy", "--restore", "--running"]);
  assert.equal(c.stopLine("a"), "Stopping a");
  assert.equal(c.restartBy, "release-and-deploy");
  assert.equal(c.restoreHook, "pre-restore");
  assert.equal(c.imageScaleTrigger, "pre-deploy");
  assert.equal(c.mirrorsScaleProperty, true);
});

test("0.31.5: core ps 0.31.5's trigger files, report flags and ps:set keys", () => {
  const c = contractFor("v0.31.5");
  assert.equal(c.imageScaleTrigger, "pre-deploy", "0.31.5 fires pre-deploy <app> <tag>");
  assert.equal(c.mirrorsScaleProperty, false);
  // Installed too, answered once the host is upgraded in place (0.35's post-release-builder, 0.36's ps-get-property, 0.38.9's docker-args-process-deploy).
  assert.deepEqual(c.executables, [...c.triggers, "docker-args-process-deploy", "post-release-builder", "ps-get-property"].sort());
  assert.equal(c.formationStore, "scale-property");
  // `ls plugins/available/ps` on real 0.31.5 (transcripts/core-ps-0.31.5.log), less commands/functions/subcommands/triggers/plugin.toml
  assert.deepEqual(c.triggers, [
    "app-restart", "core-post-deploy", "core-post-extract", "install", "post-app-clone", "post-app-clone-setup",
    "post-app-rename", "post-app-rename-setup", "post-create", "post-delete", "post-stop", "pre-deploy",
    "procfile-exists", "procfile-get-command", "ps-can-scale", "ps-current-scale", "ps-set-scale", "report",
  ]);
  // The per-container hooks of a push, answered by the shell (scripts/fast-paths.sh, test/fast-paths-0.31.test.ts),
  // and 0.36+'s ps-get-property, 0.38.9+'s docker-args-process-deploy (test/fast-paths-0.38.test.ts), which the shell
  // answers with nothing where the host's ps has no such trigger (forward executables).
  assert.deepEqual(c.fastPathTriggers, ["core-post-deploy", "core-post-extract", "docker-args-process-deploy", "post-release-builder", "procfile-exists", "procfile-get-command", "ps-can-scale", "ps-current-scale", "ps-get-property"]);
  for (const v of ["v0.30.0", "v0.35.20", "v0.36.0", "v0.38.8", "v0.38.27"]) assert.deepEqual(contractFor(v).fastPathTriggers, c.fastPathTriggers, v);
  // Each fast trigger's executable in triggers/ is the fast shim.
  for (const name of c.fastPathTriggers) assert.equal(readFileSync(`triggers/${name}`, "utf8"), SHIM_FAST, name);
  assert.deepEqual(c.reportFlags, [
    "--deployed", "--processes", "--ps-can-scale", "--ps-computed-procfile-path", "--ps-global-procfile-path",
    "--ps-procfile-path", "--ps-restart-policy", "--restore", "--running",
  ]);
  assert.deepEqual(c.extraReportFlags, []);
  assert.deepEqual(c.setProperties, ["procfile-path", "restart-policy"]);
  assert.deepEqual(c.globalSetProperties, ["procfile-path"]);
  assert.equal(c.stopLine("rdweb"), "Stopping rdweb");
  assert.equal(c.restartBy, "deploy-running-image");
  assert.equal(c.restoreHook, "scheduler-pre-restore");
  assert.ok(c.startWarnsNotRunning);
  assert.ok(!answersTrigger(c, "post-extract"));
});

test("0.35.20: post-release-builder instead of pre-deploy, and `-----> Stopping`", () => {
  const c = contractFor("v0.35.20");
  assert.equal(c.imageScaleTrigger, "post-release-builder", "0.35 has no pre-deploy");
  assert.ok(answersTrigger(c, "post-release-builder"));
  assert.ok(!answersTrigger(c, "pre-deploy"));
  assert.ok(!answersTrigger(c, "ps-get-property"));
  assert.equal(c.stopLine("rdweb"), "-----> Stopping rdweb");
  // real 0.35.20: ` !     ESC[1mESC[31m !     ESC[0mESC[0minvalid line in procfile, line 1` (core-ps-0.35.20.log)
  assert.equal(c.badProcfileLine(1), "\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 1");
  assert.equal(contractFor("v0.31.5").badProcfileLine(1), "invalid line in procfile, line 1");
  // real 0.38.27: the same line, then an empty one (`remote: `), core-ps-0.38.27.log `### bad Procfile`;
  // 0.37.0 is where core-post-extract began returning procfile-util's untrimmed exec error.
  assert.equal(contractFor("v0.36.11").badProcfileLine(1), "\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 1");
  assert.equal(contractFor("v0.37.0").badProcfileLine(1), "\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 1\n");
  assert.equal(contractFor("v0.38.27").badProcfileLine(2), "\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line 2\n");
});

test("0.38: ps-get-property (0.36+) and docker-args-process-deploy (0.38.9+)", () => {
  assert.ok(answersTrigger(contractFor("v0.36.0"), "ps-get-property"));
  assert.ok(!answersTrigger(contractFor("v0.38.8"), "docker-args-process-deploy"));
  const c = contractFor("v0.38.27");
  assert.ok(answersTrigger(c, "docker-args-process-deploy"));
  assert.ok(answersTrigger(c, "ps-get-property"));
});

// An in-place Dokku upgrade keeps the plugin dir and does not run dokku-ps's install:
// what install.sh installed on X must answer every trigger of any newer supported Y.
test("executables: installed on X, they cover every trigger of each newer supported Dokku; the extra ones are no-ops on X", () => {
  const versions = ["v0.24.10", "v0.30.0", "v0.31.5", "v0.34.3", "v0.35.0", "v0.35.20", "v0.36.0", "v0.37.9", "v0.38.0", "v0.38.8", "v0.38.9", "v0.38.27"];
  versions.forEach((x, i) => {
    const installed = contractFor(x);
    for (const y of versions.slice(i + 1)) {
      for (const name of contractFor(y).triggers) assert.ok(installed.executables.includes(name), `installed on ${x}, ${y} fires ${name}`);
    }
    for (const name of installed.triggers) assert.ok(installed.executables.includes(name), `${x} ${name}`);
    // Nothing installed that no version at or after X answers (0.24's own, e.g. pre-start, are 0.24's triggers).
    for (const name of installed.executables) {
      assert.ok(versions.slice(i).some((y) => contractFor(y).triggers.includes(name)), `${x} installs ${name}, which no later ps answers`);
    }
  });
  assert.deepEqual(contractFor("v0.35.20").executables.filter((t) => !answersTrigger(contractFor("v0.35.20"), t)), ["docker-args-process-deploy", "ps-get-property"]);
  assert.deepEqual(contractFor("v0.37.9").executables.filter((t) => !answersTrigger(contractFor("v0.37.9"), t)), ["docker-args-process-deploy"]);
  assert.deepEqual(contractFor("v0.38.9").executables, contractFor("v0.38.9").triggers);
});

test("every trigger of every supported version has a handler and an executable in triggers/", () => {
  const shims = new Set(readdirSync("triggers"));
  for (const v of ["v0.24.10", "v0.30.0", "v0.31.5", "v0.35.20", "v0.36.0", "v0.38.27"]) {
    for (const name of contractFor(v).triggers) {
      assert.ok(triggerNames().includes(name), `${v} ${name} handler`);
      assert.ok(shims.has(name), `${v} ${name} shim`);
    }
  }
});

test("ps:help: 0.31.5's rows as recorded, ending in a line of four spaces", () => {
  const help = contractFor("v0.31.5").pluginHelp();
  assert.ok(help.startsWith("Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n"));
  assert.ok(help.includes("    ps:scale [--skip-deploy] <app> <proc>=<count> [<proc>=<count>...]  Get/Set how many instances of a given process to run\n"));
  assert.ok(help.includes("    ps:inspect <app>                                                   Displays a sanitized version of docker inspect for an app\n"));
  assert.ok(help.endsWith("    ps:stop [--parallel count] [--all|<app>]                           Stop an app\n    \n"));
});

// ---- 0.36–0.38.27: each change point of plugins/ps between the tags ----------------

test("0.38.27: the record's ps:set keys, report flags (21 app, 8 global), json keys twice, stores, triggers", () => {
  const c = contractFor("v0.38.27");
  // ` !     Invalid property specified, valid properties include: …` (core-ps-0.38.27.log, `ps:set rdweb no-such-key x`)
  assert.deepEqual(c.setProperties, ["dockerfile-start-cmd", "procfile-path", "restart-policy", "restore", "skip-deploy", "start-cmd", "stop-timeout-seconds"]);
  assert.deepEqual(c.globalSetProperties, ["procfile-path", "restart-policy", "skip-deploy", "stop-timeout-seconds"]);
  assert.equal(c.setStyle, "core");
  // ` !     Invalid flag passed, valid flags: …` of `ps:report rdweb --nonsense` and `ps:report --global --nonsense`
  assert.equal(
    [...c.reportFlags].sort().join(", "),
    "--deployed, --processes, --ps-can-scale, --ps-computed-dockerfile-start-cmd, --ps-computed-procfile-path, --ps-computed-restart-policy, --ps-computed-skip-deploy, --ps-computed-start-cmd, --ps-computed-stop-timeout-seconds, --ps-dockerfile-start-cmd, --ps-global-procfile-path, --ps-global-restart-policy, --ps-global-skip-deploy, --ps-global-stop-timeout-seconds, --ps-procfile-path, --ps-restart-policy, --ps-skip-deploy, --ps-start-cmd, --ps-stop-timeout-seconds, --restore, --running",
  );
  assert.equal(
    c.globalReportFlags?.join(", "),
    "--ps-computed-procfile-path, --ps-computed-restart-policy, --ps-computed-skip-deploy, --ps-computed-stop-timeout-seconds, --ps-global-procfile-path, --ps-global-restart-policy, --ps-global-skip-deploy, --ps-global-stop-timeout-seconds",
  );
  assert.equal(c.reportJsonKeys, "trimmed-and-legacy");
  assert.equal(c.unsetReportRows, "empty");
  assert.deepEqual(c.getPropertyKeys, ["restart-policy", "restore", "skip-deploy", "stop-timeout-seconds"]);
  assert.equal(c.getPropertyError("start-cmd"), "Invalid ps property specified: start-cmd");
  assert.equal(c.skipDeployDefault, "false");
  assert.equal(c.restoreStore, "property");
  assert.equal(c.restartPolicyStore, "property");
  assert.equal(c.envFiles, "lib-config");
  assert.equal(c.scaleJson, "formation-list");
  assert.ok(c.scaleDeploysOnlyChanged);
  assert.ok(c.migratesRestartPolicyOption);
  assert.ok(c.firesConfigMigrateEnv);
  assert.deepEqual(c.configMigrations.map((m) => m.configVar), ["DOKKU_DOCKER_STOP_TIMEOUT", "DOKKU_APP_RESTORE", "DOKKU_SKIP_DEPLOY", "DOKKU_START_CMD", "DOKKU_DOCKERFILE_START_CMD"]);
  // The plugin dir of 0.38.27 (extra log): 0.35.20's triggers plus docker-args-process-deploy and ps-get-property.
  assert.deepEqual(c.triggers, [
    "app-restart", "core-post-deploy", "core-post-extract", "docker-args-process-deploy", "install", "post-app-clone", "post-app-clone-setup",
    "post-app-rename", "post-app-rename-setup", "post-create", "post-delete", "post-release-builder", "post-stop", "procfile-exists",
    "procfile-get-command", "ps-can-scale", "ps-current-scale", "ps-get-property", "ps-set-scale", "report",
  ]);
  // ps:help (extra log): ps:scale's new usage, descriptions at column 80.
  const help = c.pluginHelp();
  assert.ok(help.includes("    ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]  Get/Set how many instances of a given process to run\n"));
  assert.ok(help.includes("    ps:set <app> <key> <value>                                                 Set or clear a ps property for an app\n"));
  assert.ok(help.endsWith("    ps:stop [--parallel count] [--all|<app>]                                   Stop an app\n    \n"));
});

test("0.30–0.35 keep 0.31.5's contract: no new keys, rows, stores", () => {
  for (const v of ["v0.30.0", "v0.31.5", "v0.35.20"]) {
    const c = contractFor(v);
    assert.equal(c.setStyle, "dokku-ps", v);
    assert.equal(c.globalReportFlags, undefined, v);
    assert.equal(c.reportJsonKeys, "flag", v);
    assert.equal(c.restoreStore, "config-var", v);
    assert.equal(c.restartPolicyStore, "docker-options", v);
    assert.equal(c.envFiles, "dokku-root", v);
    assert.equal(c.scaleJson, "object", v);
    assert.ok(!c.scaleDeploysOnlyChanged, v);
    assert.deepEqual(c.configMigrations, [], v);
    assert.equal(c.pluginHelp(), contractFor("v0.31.5").pluginHelp(), v);
  }
});

test("0.36.0–0.37.x: stop-timeout-seconds (app, --global), its three unprefixed report flags, ps-get-property of it with core's `network` slip", () => {
  for (const v of ["v0.36.0", "v0.36.11", "v0.37.10"]) {
    const c = contractFor(v);
    assert.deepEqual(c.setProperties, ["procfile-path", "restart-policy", "stop-timeout-seconds"], v);
    assert.deepEqual(c.globalSetProperties, ["procfile-path", "stop-timeout-seconds"], v);
    assert.deepEqual(c.reportFlags, [
      "--computed-stop-timeout-seconds", "--deployed", "--global-stop-timeout-seconds", "--processes", "--ps-can-scale", "--ps-computed-procfile-path",
      "--ps-global-procfile-path", "--ps-procfile-path", "--ps-restart-policy", "--restore", "--running", "--stop-timeout-seconds",
    ], v);
    assert.equal(c.globalReportFlags, undefined, v);
    assert.equal(c.unsetReportRows, "default", v);
    assert.deepEqual(c.getPropertyKeys, ["stop-timeout-seconds"], v);
    assert.equal(c.getPropertyError("x"), "Invalid network property specified: x", v);
    assert.equal(c.restoreStore, "config-var", v);
    assert.equal(c.envFiles, "dokku-root", v);
    assert.ok(c.scaleDeploysOnlyChanged, v);
    assert.deepEqual(c.configMigrations, [{ configVar: "DOKKU_DOCKER_STOP_TIMEOUT", property: "stop-timeout-seconds" }], v);
    assert.ok(!answersTrigger(c, "docker-args-process-deploy"), v);
  }
});

test("0.38.0–0.38.8: the steps of the 0.38 series", () => {
  const c380 = contractFor("v0.38.0");
  assert.deepEqual(c380.globalSetProperties, ["procfile-path", "skip-deploy", "stop-timeout-seconds"]);
  assert.ok(c380.setProperties.includes("restore") && c380.setProperties.includes("start-cmd"));
  assert.deepEqual(c380.reportFlags, contractFor("v0.37.10").reportFlags, "0.38.0 reports no new rows");
  assert.deepEqual(c380.globalReportFlags, ["--global-stop-timeout-seconds", "--ps-global-procfile-path"]);
  assert.equal(c380.unsetReportRows, "default");
  assert.deepEqual(c380.getPropertyKeys, ["restore", "skip-deploy", "stop-timeout-seconds"]);
  assert.equal(c380.skipDeployDefault, "");
  assert.equal(c380.restoreStore, "property");
  assert.equal(c380.restartPolicyStore, "docker-options");
  assert.equal(c380.envFiles, "lib-config");
  assert.ok(!c380.firesConfigMigrateEnv);
  assert.equal(contractFor("v0.38.5").unsetReportRows, "default");
  assert.equal(contractFor("v0.38.6").unsetReportRows, "empty");
  assert.deepEqual(contractFor("v0.38.7").globalReportFlags, [
    "--ps-computed-procfile-path", "--ps-computed-stop-timeout-seconds", "--ps-global-procfile-path", "--ps-global-stop-timeout-seconds",
  ]);
  assert.ok(contractFor("v0.38.7").reportFlags.includes("--ps-stop-timeout-seconds"));
  assert.ok(!contractFor("v0.38.7").reportFlags.includes("--stop-timeout-seconds"));
  assert.equal(contractFor("v0.38.7").reportJsonKeys, "flag");
  const c388 = contractFor("v0.38.8");
  assert.equal(c388.reportFlags.length, 19);
  assert.equal(c388.globalReportFlags?.length, 6);
  assert.equal(c388.reportJsonKeys, "trimmed-and-legacy");
  assert.equal(c388.skipDeployDefault, "false");
  assert.ok(!c388.globalSetProperties.includes("restart-policy"));
  assert.ok(!answersTrigger(c388, "docker-args-process-deploy"));
});

test("0.38.9 / 0.38.15 / 0.38.21: restart policy as a property, config-migrate-env, ps:scale --format", () => {
  const c389 = contractFor("v0.38.9");
  assert.equal(c389.reportFlags.length, 21);
  assert.equal(c389.globalReportFlags?.length, 8);
  assert.equal(c389.restartPolicyStore, "property");
  assert.ok(c389.globalSetProperties.includes("restart-policy"));
  assert.ok(c389.getPropertyKeys.includes("restart-policy"));
  assert.ok(c389.migratesRestartPolicyOption);
  assert.ok(answersTrigger(c389, "docker-args-process-deploy"));
  assert.ok(!contractFor("v0.38.14").firesConfigMigrateEnv);
  assert.ok(contractFor("v0.38.15").firesConfigMigrateEnv);
  assert.equal(contractFor("v0.38.20").scaleJson, "object");
  assert.equal(contractFor("v0.38.20").pluginHelp(), contractFor("v0.31.5").pluginHelp());
  assert.equal(contractFor("v0.38.21").scaleJson, "formation-list");
  assert.equal(contractFor("v0.38.21").pluginHelp(), contractFor("v0.38.27").pluginHelp());
});
