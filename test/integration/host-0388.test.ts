/**
 * host/ speaking Dokku 0.38.27 (issue 21, must-show 3 and the host half of
 * must-show 2), without dokku-ps: host/'s core ps 0.38.27 stand-in
 * (host/versions/0.38.27/core-ps over 0.31.5's, laid by host/bin/lay-core-ps
 * as a new install of the package has it) answers ps's triggers, so what is
 * checked here is the host: where 0.38 keeps config, what the docker-local
 * scheduler reads from ps (the start command properties, `ps-get-property
 * <app> stop-timeout-seconds`, `docker-args-process-deploy`'s restart
 * policy), skip-deploy, the orphaned-container lines, and `upgrade-host`
 * 0.35.20 → 0.38.27 moving what the 0.38 install triggers move. Each against
 * real Dokku 0.38.27's record (real-dokku-0.38.27/README.md, transcripts/)
 * and its source (tag v0.38.27).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { execa } from "execa";
import { join } from "node:path";
import { DOKKU, Host, REPO, commitFiles, deployedContainers, dockerfileApp, dokkuUser, run, workTree, PROCFILE_WEB_WORKER } from "./harness.ts";

// This file concerns Dokku 0.38.27 only: host/'s 0.38.27 fidelity, without dokku-ps.
export const CONCERNS_DOKKU = "0.38.27";

let host: Host;

before(async () => {
  host = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
  await host.layCorePs();
});
after(async () => {
  await host?.destroy();
});

/** Writes (or, with null, removes) a ps property as `ps:set` does: 0600, the Dokku user's, dir 0755. */
function psSet(h: Host, app: string, key: string, value: string | null): void {
  const dir = join(h.lib, "config", "ps", app);
  const path = join(dir, key);
  if (value === null) {
    rmSync(path, { force: true });
    return;
  }
  const { uid, gid } = dokkuUser();
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, uid, gid);
  }
  writeFileSync(path, value, { mode: 0o600 });
  chownSync(path, uid, gid);
}

/** A push's combined output, `remote: ` and trailing blanks taken off. */
async function push(h: Host, app: string, dir: string): Promise<{ code: number; text: string }> {
  const r = await h.combined(["git", "-c", "protocol.ext.allow=always", "push", `ext::${DOKKU} %S ${app}`, "HEAD:main"], dir);
  const text = r.text
    .split("\n")
    .map((l) => l.replace(/^remote: /, "").replace(/\s+$/, ""))
    .join("\n");
  return { code: r.code, text };
}

function fileMode(path: string): { mode: number; owned: boolean } {
  const st = statSync(path);
  const { uid, gid } = dokkuUser();
  return { mode: st.mode & 0o777, owned: st.uid === uid && st.gid === gid };
}

async function inspect(id: string, format: string): Promise<string> {
  const r = await run("docker", ["container", "inspect", "-f", format, id]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test("0.38.27: a new host says so (dokku version, plugn 0.17.1) and lays core ps 0.38.27's stand-in", async () => {
  assert.equal((await host.dokku("version")).stdout, "dokku version 0.38.27\n");
  assert.equal(readFileSync(join(host.lib, "VERSION"), "utf8"), "v0.38.27\n");
  // ps:retire's lock, as 0.38's gofrs/flock creates it (record: `-rw------- 1 dokku dokku 0 … retire`).
  assert.deepEqual(fileMode(join(host.lib, "data", "ps", "retire")), { mode: 0o600, owned: true });
  const plugn = await run(join(REPO, "host", "bin", "plugn"), ["version"], { env: host.env() });
  assert.equal(plugn.stdout, "plugn: 0.17.1\n");
  const ps = join(host.lib, "plugins", "enabled", "ps");
  assert.match(readFileSync(join(ps, "plugin.toml"), "utf8"), /version = "0\.38\.27"/);
  for (const trigger of ["docker-args-process-deploy", "ps-get-property", "post-release-builder"]) assert.ok(existsSync(join(ps, trigger)), trigger);
  assert.ok(!existsSync(join(ps, "pre-deploy")), "0.35+ core ps has no pre-deploy");
  // The record's `ls -ld` of the ps entries: every link the Dokku user's.
  const { uid, gid } = dokkuUser();
  for (const link of [join(host.lib, "core-plugins", "enabled", "ps"), join(host.lib, "plugins", "available", "ps"), ps]) {
    const st = lstatSync(link);
    assert.ok(st.isSymbolicLink(), link);
    assert.deepEqual([st.uid, st.gid], [uid, gid], link);
  }
  // plugn 0.17.1 works with a socket stdin (0.31.5's 0.12.0 did not).
  const sock = await execa(join(REPO, "host", "bin", "plugn"), ["version"], { env: host.env(), input: "", reject: false });
  assert.equal(sock.exitCode, 0, sock.stderr);
  assert.equal(sock.stdout, "plugn: 0.17.1");
});

test("0.38.27 config: the app env is config/<app>/ENV (godotenv 1.5.1: NO_VHOST=1 unquoted, final newline, 0600), the global one config/--global/ENV, none in DOKKU_ROOT; apps:create stores scale web=1; apps:destroy removes config/<app>", async () => {
  const app = await host.createApp("cfg");
  const env = join(host.lib, "config", app, "ENV");
  assert.equal(host.envFile(app), env);
  assert.equal(readFileSync(env, "utf8"), "NO_VHOST=1\n");
  assert.deepEqual(fileMode(env), { mode: 0o600, owned: true });
  assert.ok(!existsSync(join(host.home, app, "ENV")), "no $DOKKU_ROOT/<app>/ENV");
  assert.ok(!existsSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY")), "apps:create writes no DOCKER_OPTIONS_DEPLOY");
  // core ps 0.38.27's post-create (the record's supplement): scale web=1 and an empty scale.old.
  assert.equal(readFileSync(join(host.lib, "config", "ps", app, "scale"), "utf8"), "web=1\n");
  assert.equal(readFileSync(join(host.lib, "config", "ps", app, "scale.old"), "utf8"), "");

  const set = await host.dokku("config:set", "--no-restart", app, "FOO=bar");
  assert.equal(set.code, 0, set.stderr);
  assert.equal(readFileSync(env, "utf8"), 'FOO="bar"\nNO_VHOST=1\n', "the record's 21 bytes");
  assert.equal((await host.dokku("config:get", app, "FOO")).stdout, "bar\n");

  const g = await host.dokku("config:set", "--global", "GLOBAL_ONE=+007");
  assert.equal(g.code, 0, g.stderr);
  const globalEnv = join(host.lib, "config", "--global", "ENV");
  assert.equal(readFileSync(globalEnv, "utf8"), "GLOBAL_ONE=7\n", "strconv.Atoi's int, written back with %d");
  assert.ok(!existsSync(join(host.home, "ENV")), "no $DOKKU_ROOT/ENV");
  assert.equal((await host.dokku("config:unset", "--global", "GLOBAL_ONE")).code, 0);
  assert.equal(readFileSync(globalEnv, "utf8"), "\n", "an empty env is a newline (the record's 1-byte global ENV)");

  // proxy:disable: a proxy property, no config var (record: only `-----> Disabling proxy for app`).
  const proxy = await host.dokku("proxy:disable", app);
  assert.equal(proxy.stdout, "-----> Disabling proxy for app\n", proxy.stderr);
  assert.equal(readFileSync(join(host.lib, "config", "proxy", app, "disabled"), "utf8"), "true");
  assert.equal(readFileSync(env, "utf8"), 'FOO="bar"\nNO_VHOST=1\n');

  const destroy = await host.dokku("--force", "apps:destroy", app);
  assert.equal(destroy.code, 0, destroy.stderr);
  // 0.38.27's destroyApp: the record's three banner lines (extra log).
  assert.deepEqual(
    destroy.stdout.split("\n").filter((l) => l.startsWith("----->")),
    [`-----> Destroying ${app} (including all add-ons)`, "-----> Cleaning up...", "-----> Retiring old containers and images"],
    destroy.stdout,
  );
  assert.ok(!existsSync(join(host.lib, "config", app)), "config/<app> removed");
  assert.ok(!existsSync(join(host.lib, "config", "ps", app)), "config/ps/<app> removed");
});

test("0.38.27 scheduler: the Cmd is the Procfile's, dockerfile-start-cmd replaces it, start-cmd does nothing to a Dockerfile app; restart policy from docker-args-process-deploy (default, global, the app's winning); skip-deploy releases without deploying, the app's value over the global one", async () => {
  const app = await host.createApp("sch");
  const dir = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  const web = async () => {
    const [c] = (await deployedContainers(app)).filter((c) => c.processType === "web");
    assert.ok(c, "a running web container");
    return c;
  };

  let r = await push(host, app, dir);
  assert.equal(r.code, 0, r.text);
  assert.doesNotMatch(r.text, /\x1b\[1G/, "0.38 prefixes no line with ESC[1G");
  assert.match(r.text, /^-----> Checking for heroku\.postdeploy task$/m);
  let c = await web();
  assert.deepEqual(c.cmd, ["sleep", "86400"]);
  // The builder type is the builder property `detected` (dokku_receive's builder-set-property), no config var;
  // the container keeps the label (record: ps:inspect's com.dokku.builder-type, no DOKKU_APP_TYPE in the env).
  assert.equal(readFileSync(join(host.lib, "config", "builder", app, "detected"), "utf8"), "dockerfile");
  assert.doesNotMatch(readFileSync(host.envFile(app), "utf8"), /DOKKU_APP_TYPE/);
  assert.equal(await inspect(c.id, '{{index .Config.Labels "com.dokku.builder-type"}}'), "dockerfile");
  assert.ok(!(await inspect(c.id, "{{json .Config.Env}}")).includes("DOKKU_APP_TYPE"));
  assert.deepEqual(c.restartPolicy, { Name: "on-failure", MaximumRetryCount: 10 });

  // start-cmd (herokuish/CNB only) changes nothing; a global restart-policy reaches the new container.
  psSet(host, app, "start-cmd", "sleep 4242");
  psSet(host, "--global", "restart-policy", "unless-stopped");
  try {
    await commitFiles(dir, {});
    r = await push(host, app, dir);
    assert.equal(r.code, 0, r.text);
    c = await web();
    assert.deepEqual(c.cmd, ["sleep", "86400"], "start-cmd is not used for a Dockerfile image (record)");
    assert.equal(c.restartPolicy.Name, "unless-stopped");

    // dockerfile-start-cmd replaces the Procfile command; the app's restart-policy wins over the global one.
    psSet(host, app, "dockerfile-start-cmd", "sh -c 'sleep 4343' x");
    psSet(host, app, "restart-policy", "no");
    await commitFiles(dir, {});
    r = await push(host, app, dir);
    assert.equal(r.code, 0, r.text);
    c = await web();
    assert.deepEqual(c.cmd, ["sh", "-c", "sleep 4343", "x"], "split into words as fn-docker-args-split does");
    assert.equal(c.restartPolicy.Name, "no");

    // builder-dockerfile's builder-release: dokku/<app>:latest is rebuilt FROM the build image with the release
    // labels, so the running container's image is the release-stage one (the build-stage image stays apart).
    const latest = () => run("docker", ["image", "inspect", "-f", '{{.Id}} {{index .Config.Labels "com.dokku.image-stage"}}', `dokku/${app}:latest`]);
    const released = (await latest()).stdout.trim().split(" ");
    assert.equal(released[1], "release", "dokku/<app>:latest is the release-stage image");
    assert.equal(await inspect((await web()).id, "{{.Image}}"), released[0]);

    // skip-deploy, global true: released, not deployed; the running container stays.
    psSet(host, "--global", "skip-deploy", "true");
    const before = readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8");
    await commitFiles(dir, {});
    r = await push(host, app, dir);
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /^-----> Releasing sch-\w+\.\.\.$/m);
    assert.match(r.text, /^-----> Skipping deployment$/m);
    assert.doesNotMatch(r.text, /Deploying sch-\w+ via the docker-local scheduler/);
    assert.equal(readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8"), before, "no new container");
    assert.equal((await web()).id, before.trim(), "the old one still runs");
    // The push built and released dokku/<app>:latest again: still the release-stage image.
    assert.equal((await latest()).stdout.trim().split(" ")[1], "release");

    // The app's own `false` wins over the global `true`.
    psSet(host, app, "skip-deploy", "false");
    await commitFiles(dir, {});
    r = await push(host, app, dir);
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /^-----> Deploying sch-\w+ via the docker-local scheduler\.\.\.$/m);
    assert.notEqual(readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8"), before);
  } finally {
    psSet(host, "--global", "restart-policy", null);
    psSet(host, "--global", "skip-deploy", null);
  }
});

test("0.38.27 scheduler: deploying one type to 0 prints 'Scheduling orphaned container shutdown' per slot, registers and stops them, leaves web alone", async () => {
  const app = await host.createApp("orph");
  const dir = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  assert.equal((await push(host, app, dir)).code, 0);
  const up = await host.dokku("plugin:trigger", "ps-set-scale", app, "false", "false", "worker=2");
  assert.equal(up.code, 0, up.stderr);
  const web = readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim();
  const workers = [1, 2].map((n) => readFileSync(join(host.home, app, `CONTAINER.worker.${n}`), "utf8").trim());

  const down = await host.combined([DOKKU, "plugin:trigger", "ps-set-scale", app, "false", "false", "worker=0"]);
  assert.equal(down.code, 0, down.text);
  const lines = down.text.split("\n");
  const at = lines.indexOf("-----> Deploying worker (count=0)");
  assert.ok(at >= 0, down.text);
  assert.deepEqual(lines.slice(at, at + 4), [
    "-----> Deploying worker (count=0)",
    "       Scheduling orphaned container shutdown in 0 seconds (worker.1)",
    "       Scheduling orphaned container shutdown in 0 seconds (worker.2)",
    "-----> Running post-deploy",
  ]);
  assert.doesNotMatch(down.text, /Deploying web/, "only the type given is deployed");
  const dead = readFileSync(join(host.lib, "data", "scheduler-docker-local", "dead-containers"), "utf8");
  for (const id of workers) {
    assert.ok(dead.includes(id), `worker ${id} registered for retiring`);
    assert.equal(await inspect(id, "{{.State.Running}}"), "false");
  }
  assert.ok(!existsSync(join(host.home, app, "CONTAINER.worker.1")));
  assert.equal(readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim(), web);
  assert.equal(await inspect(web, "{{.State.Running}}"), "true");
});

test("0.38.27 scheduler-stop: the stop timeout is ps-get-property's stop-timeout-seconds (a container ignoring SIGTERM stops after it, not after docker's 10 s)", async () => {
  const app = await host.createApp("stop");
  // sh ignores SIGTERM (tini, the --init process, forwards it to sh only).
  psSet(host, app, "dockerfile-start-cmd", `sh -c 'trap "" TERM; while true; do sleep 1; done'`);
  const dir = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
  assert.equal((await push(host, app, dir)).code, 0);
  const id = readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim();
  const answer = await host.dokku("plugin:trigger", "ps-get-property", app, "stop-timeout-seconds");
  assert.equal(answer.stdout, "30\n", "the default");

  const stopTimed = async (): Promise<number> => {
    const t0 = Date.now();
    const r = await host.dokku("plugin:trigger", "scheduler-stop", "docker-local", app);
    assert.equal(r.code, 0, r.stderr);
    return (Date.now() - t0) / 1000;
  };
  psSet(host, app, "stop-timeout-seconds", "1");
  const quick = await stopTimed();
  assert.equal(await inspect(id, "{{.State.Running}} {{.State.ExitCode}}"), "false 137", "killed after the timeout: SIGTERM was ignored");
  assert.ok(quick < 6, `stop took ${quick}s with stop-timeout-seconds 1`);

  assert.equal((await run("docker", ["container", "start", id])).code, 0);
  psSet(host, app, "stop-timeout-seconds", null);
  psSet(host, "--global", "stop-timeout-seconds", "4");
  try {
    const slower = await stopTimed();
    assert.ok(slower >= 4 && slower < 9, `stop took ${slower}s with the global stop-timeout-seconds 4`);
  } finally {
    psSet(host, "--global", "stop-timeout-seconds", null);
  }
});

test("upgrade-host 0.35.20 -> 0.38.27: config, docker options and deprecated config vars move as the 0.38 install triggers move them; a push then deploys with them", async () => {
  const old = await Host.create({ version: "0.35.20", plugin: false });
  try {
    const app = await old.createApp("upg");
    for (const argv of [
      ["config:set", "--no-restart", app, "FOO=bar", "DOKKU_DOCKER_STOP_TIMEOUT=5", "DOKKU_APP_RESTORE=0", "DOKKU_DOCKERFILE_START_CMD=sleep 4343", "DOKKU_APP_TYPE=dockerfile"],
      ["config:set", "--global", "DOKKU_SKIP_DEPLOY=true", "KEEP=1", "DOKKU_SCHEDULER=docker-local"],
      ["docker-options:add", app, "deploy", "--restart=unless-stopped"],
      ["docker-options:add", app, "deploy", "--label=kept=1"],
    ]) {
      const r = await old.dokku(...argv);
      assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
    }
    assert.ok(existsSync(join(old.home, app, "ENV")) && existsSync(join(old.home, "ENV")));

    const up = await run(join(REPO, "host", "bin", "upgrade-host"), ["0.38.27"], { env: old.env() });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    for (const line of [
      `-----> Migrated ${join(old.home, app, "DOCKER_OPTIONS_DEPLOY")} to docker-options properties`,
      "-----> Migrating deprecated global DOKKU_DEFAULT_CHECKS_WAIT to checks default-wait property. Use 'dokku checks:set --global default-wait <value>' to manage this going forward.",
      `-----> Migrating deprecated DOKKU_DOCKER_STOP_TIMEOUT to ps stop-timeout-seconds property for ${app}. Use 'dokku ps:set ${app} stop-timeout-seconds <value>' to manage this going forward.`,
      "-----> Migrating deprecated global DOKKU_SKIP_DEPLOY to ps skip-deploy property. Use 'dokku ps:set --global skip-deploy <value>' to manage this going forward.",
      `-----> Migrating deprecated DOKKU_APP_TYPE to builder detected property for ${app}. Use 'dokku builder:set ${app} detected <value>' to manage this going forward.`,
    ])
      assert.ok(up.stdout.split("\n").includes(line), `${line}\n---\n${up.stdout}`);

    // The env files moved (merged, 0600, the Dokku user's); the old ones are gone.
    assert.ok(!existsSync(join(old.home, app, "ENV")), "the app's old ENV removed");
    assert.ok(!existsSync(join(old.home, "ENV")), "the old global ENV removed");
    assert.ok(!existsSync(join(old.home, app, "DOCKER_OPTIONS_DEPLOY")), "DOCKER_OPTIONS_DEPLOY drained");
    const env = join(old.lib, "config", app, "ENV");
    assert.equal(readFileSync(env, "utf8"), 'FOO="bar"\nNO_VHOST=1\n', "deprecated vars unset after their migration");
    assert.deepEqual(fileMode(env), { mode: 0o600, owned: true });
    assert.equal(readFileSync(join(old.lib, "config", "--global", "ENV"), "utf8"), "KEEP=1\n");
    assert.equal(readFileSync(join(old.lib, "config", "config", app, "env-migrated"), "utf8"), "true");
    // Properties, as core ps 0.38.27's install (MigrateConfigToProperties, the restart policy) and checks' leave them.
    const prop = (plugin: string, name: string, key: string) => readFileSync(join(old.lib, "config", plugin, name, key), "utf8");
    assert.equal(prop("ps", app, "stop-timeout-seconds"), "5");
    assert.equal(prop("ps", app, "restore"), "false", "DOKKU_APP_RESTORE=0 -> false");
    assert.equal(prop("ps", app, "dockerfile-start-cmd"), "sleep 4343");
    assert.equal(prop("ps", app, "restart-policy"), "unless-stopped");
    assert.equal(prop("ps", "--global", "skip-deploy"), "true");
    assert.equal(prop("builder", app, "detected"), "dockerfile", "builder's install: DOKKU_APP_TYPE -> detected");
    assert.equal(prop("scheduler", "--global", "selected"), "docker-local", "scheduler's install: DOKKU_SCHEDULER -> selected");
    assert.equal(prop("docker-options", app, "_default_.deploy"), "--label=kept=1\n", "--restart= left the docker options");
    assert.equal(prop("checks", "--global", "default-wait"), "0", "the harness's global DOKKU_DEFAULT_CHECKS_WAIT=0");
    assert.equal((await old.dokku("version")).stdout, "dokku version 0.38.27\n");

    // A second install finds nothing to move; an old ENV that reappears is not imported over the current env.
    old.seedFile(join(old.home, app, "ENV"), 'FOO="stale"\n', 0o600);
    const again = await run(join(REPO, "host", "bin", "dokku"), ["plugin:install", "--core"], { env: old.env() });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /Migrat/);
    assert.match(again.stderr, new RegExp(`Not importing already-migrated ENV file ${join(old.home, app, "ENV")}: the current config takes precedence for FOO`));
    assert.equal(readFileSync(join(old.home, app, "ENV.migrated"), "utf8"), 'FOO="stale"\n');
    assert.equal(readFileSync(env, "utf8"), 'FOO="bar"\nNO_VHOST=1\n');

    // Deploys read the moved values: the global skip-deploy first, then (cleared) the rest.
    // (The app had no ps before: its formation is every type at 0 until scaled, as
    // the 0.31.5 record's ps:rebuild after the plain upgrade shows.)
    const scale = await old.dokku("plugin:trigger", "ps-set-scale", app, "true", "false", "web=1");
    assert.equal(scale.code, 0, scale.stderr);
    const dir = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
    let r = await push(old, app, dir);
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /^-----> Skipping deployment$/m);
    psSet(old, "--global", "skip-deploy", null);
    await commitFiles(dir, {});
    r = await push(old, app, dir);
    assert.equal(r.code, 0, r.text);
    const [c] = await deployedContainers(app);
    assert.ok(c, r.text);
    assert.deepEqual(c.cmd, ["sleep", "4343"]);
    assert.equal(c.restartPolicy.Name, "unless-stopped");
    assert.equal(c.labels["kept"], "1");
    assert.ok(c.env.includes("FOO=bar") && c.env.includes("KEEP=1"), c.env.join(" "));
  } finally {
    await old.destroy();
  }
});

test("0.38.27 with dokku-ps installed over core ps, then install.sh --uninstall: core ps 0.38.27's stand-in is back and answers ps-get-property", async () => {
  const h = await Host.create({ version: CONCERNS_DOKKU, plugin: false });
  try {
    await h.layCorePs();
    const app = await h.createApp("unin");
    const install = await run(join(REPO, "install.sh"), [], { env: h.env() });
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /Kept Dokku's core ps plugin aside/);
    const uninstall = await run(join(REPO, "install.sh"), ["--uninstall"], { env: h.env() });
    assert.equal(uninstall.code, 0, uninstall.stderr);
    assert.match(uninstall.stdout, /Restored Dokku's core ps plugin/);
    const ps = join(h.lib, "plugins", "enabled", "ps");
    assert.match(readFileSync(join(ps, "plugin.toml"), "utf8"), /version = "0\.38\.27"/);
    assert.ok(existsSync(join(ps, ".core")));
    psSet(h, "--global", "stop-timeout-seconds", "12");
    const answer = await h.dokku("plugin:trigger", "ps-get-property", app, "stop-timeout-seconds");
    assert.equal(answer.stdout, "12\n", answer.stderr);
    const bad = await h.dokku("plugin:trigger", "ps-get-property", app, "start-cmd");
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, " !     Invalid ps property specified: start-cmd\n");
  } finally {
    await h.destroy();
  }
});

test("0.38.27 dispatcher: ps:restart/ps:rebuild start a build capture for their first argument, so `--all` reaches builds-record-start's Go flag parsing (record: its two lines first); an app name prints nothing", async () => {
  const usage = `Usage of ${join(host.lib, "plugins", "enabled", "builds", "builds-record-start")}:`;
  for (const cmd of ["ps:restart", "ps:rebuild"]) {
    const r = await host.dokku(cmd, "--all", "--parallel", "-1");
    assert.deepEqual(r.stderr.split("\n").slice(0, 2), ["flag provided but not defined: -all", usage], `${cmd}\n${r.stderr}`);
  }
  const app = await host.createApp("bld");
  const one = await host.dokku("ps:restart", app);
  assert.ok(!one.stderr.includes("flag provided"), one.stderr);
  assert.ok(!one.stderr.includes("Usage of"), one.stderr);
  // Other commands do not start one.
  const stop = await host.dokku("ps:stop", "--all");
  assert.ok(!stop.stderr.includes("flag provided"), stop.stderr);
  assert.equal((await host.dokku("--force", "apps:destroy", app)).code, 0);
});

test("0.38.27 scheduler selection: the scheduler property selected (app, then --global), else docker-local; DOKKU_SCHEDULER is not read; scheduler:set writes and clears it", async () => {
  const app = await host.createApp("sel");
  const detect = async () => {
    const r = await host.dokku("plugin:trigger", "scheduler-detect", app);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  assert.equal(await detect(), "docker-local");
  assert.equal((await host.dokku("config:set", "--no-restart", app, "DOKKU_SCHEDULER=recorder")).code, 0);
  assert.equal(await detect(), "docker-local", "0.38 reads no DOKKU_SCHEDULER");

  const set = await host.dokku("scheduler:set", "--global", "selected", "glob");
  assert.equal(set.stdout, "=====> Setting selected to glob\n", set.stderr);
  assert.equal(await detect(), "glob");
  assert.equal((await host.dokku("scheduler:set", app, "selected", "mine")).code, 0);
  assert.deepEqual(fileMode(join(host.lib, "config", "scheduler", app, "selected")), { mode: 0o600, owned: true });
  assert.equal(await detect(), "mine", "the app's value wins");
  const unset = await host.dokku("scheduler:set", app, "selected");
  assert.equal(unset.stdout, "=====> Unsetting selected\n", unset.stderr);
  assert.equal(await detect(), "glob");
  assert.equal((await host.dokku("scheduler:set", "--global", "selected")).code, 0);
  assert.equal(await detect(), "docker-local");
  const bad = await host.dokku("scheduler:set", app, "nonsense", "x");
  assert.equal(bad.code, 1);
  assert.equal((await host.dokku("--force", "apps:destroy", app)).code, 0);
});
