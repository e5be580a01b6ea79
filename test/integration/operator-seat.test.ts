/**
 * Issue 15, "The operator's seat": dokku-ps as operators really run it.
 *
 * - From any working directory: root types `dokku …` in `/root` (0700), which
 *   the dokku user every ps command runs as cannot enter. Every command here
 *   (as every command of the harness) starts in such a directory
 *   (callerCwd(): root's, 0700); the old code failed there with
 *   ` !     Unable to run plugn: … spawn plugn EACCES` (execa chdirs into the
 *   caller's directory before it runs plugn).
 * - Under root's umask 077 what ps writes keeps Dokku's modes: dirs 0755,
 *   property files 0600, a new ENV as the config plugin's os.Create makes it
 *   (0666 less the umask), an existing one keeps its mode.
 * - `sudo dokku …` by a sudoer (a throw-away user and sudoers entry).
 * - Commands over ssh as `dokku`: sshcommand's forced command, run as sshd
 *   runs it (host/README.md "Faithful" says how and why not a real sshd).
 * - Two outputs as core ps 0.24.10 prints them: `=====> Setting deployed to
 *   false` after ps:scale's `Scaling` line on a never-deployed app, and
 *   nothing at all from ps:rebuild of a never-deployed app.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOKKU, Host, PROCFILE_WEB_WORKER, callerCwd, commitFiles, countByType, deployedContainers, dockerfileApp, run, workTree } from "./harness.ts";

let host: Host;
/** Deployed in before() by a push from a private (0700, root's) work tree. */
let app: string;
let src: string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("seat");
  src = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
  const push = await host.push(app, src);
  assert.equal(push.code, 0, push.stderr);
});
after(async () => {
  await host?.destroy();
});

const mode = (path: string) => statSync(path).mode & 0o7777;
const octal = (m: number) => `0${m.toString(8)}`;

/** The dokku user's passwd entry (home: where sshd starts its commands). */
function dokkuPasswd(): { uid: number; gid: number; home: string } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("dokku:"));
  if (!line) throw new Error("no dokku user: run scripts/setup.sh");
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? "" };
}

describe("any working directory", () => {
  test("the caller's directory is root's and private: the dokku user cannot enter it", async () => {
    const dir = callerCwd();
    assert.equal(mode(dir), 0o700);
    assert.equal(statSync(dir).uid, process.getuid?.());
    const enter = await run("setpriv", ["--reuid=dokku", "--regid=dokku", "--init-groups", "sh", "-c", 'cd "$1"', "_", dir]);
    assert.notEqual(enter.code, 0, "the dokku user entered the caller's directory: the tests below would prove nothing");
    assert.equal(mode(src), 0o700, "the pushed work tree is private too");
  });

  test("ps:inspect, ps:report, ps:scale, config:set's restart, stop/start, restart --all, retire, rebuild", async () => {
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1 }, "the push from a private work tree deployed");

    const inspect = await host.dokku("ps:inspect", app);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal((JSON.parse(inspect.stdout) as unknown[]).length, 1);

    const report = await host.dokku("ps:report", app, "--running");
    assert.deepEqual([report.code, report.stdout, report.stderr], [0, "true\n", ""]);

    const scale = await host.dokku("ps:scale", app, "web=1", "worker=1");
    assert.equal(scale.code, 0, scale.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });

    const set = await host.dokku("config:set", app, "SEAT=1");
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, new RegExp(`^-----> Releasing ${app}\\.\\.\\.$`, "m"));

    const stop = await host.dokku("ps:stop", app);
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(await deployedContainers(app), []);
    const start = await host.dokku("ps:start", app);
    assert.equal(start.code, 0, start.stderr);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });

    // --all: one child process per app.
    const all = await host.dokku("ps:restart", "--all");
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^=====> restart --all: \d+ succeeded, 0 failed$/m);

    const retire = await host.dokku("ps:retire");
    assert.equal(retire.code, 0, retire.stderr);

    const before = (await deployedContainers(app)).map((c) => c.id).sort();
    const rebuild = await host.dokku("ps:rebuild", app);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    const now = await deployedContainers(app);
    assert.deepEqual(countByType(now), { web: 1, worker: 1 });
    assert.notDeepEqual(now.map((c) => c.id).sort(), before, "rebuilt and redeployed");
  });
});

describe("root's umask 077", () => {
  const umask077 = (argv: string[], cwd?: string) =>
    run("bash", ["-c", 'umask 077 && exec "$@"', "umask077", ...argv], { env: host.env(), ...(cwd ? { cwd } : {}) });

  /** Every directory under `root` (itself included). */
  const dirsUnder = (root: string): string[] =>
    [root, ...readdirSync(root).map((n) => join(root, n)).filter((p) => lstatSync(p).isDirectory()).flatMap(dirsUnder)];

  test("what ps writes keeps Dokku's modes: dirs 0755, property files 0600, the formation file 0600", async () => {
    const fresh = host.appName("umask");
    const create = await umask077([DOKKU, "apps:create", fresh]);
    assert.equal(create.code, 0, create.stderr);
    const tree = await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER }));
    const push = await umask077(["git", "-c", "protocol.ext.allow=always", "push", "-q", `ext::${DOKKU} %S ${fresh}`, "HEAD:main"], tree);
    assert.equal(push.code, 0, push.stderr);
    // A ps property ps:set writes: 0.31.5's ps:set has no stop-timeout-seconds (host.contract.setProperties).
    const [property, value] = host.contract.setProperties.includes("stop-timeout-seconds") ? ["stop-timeout-seconds", "7"] : ["restart-policy", "always"];
    for (const argv of [["ps:set", fresh, property, value], ["ps:scale", fresh, "web=1", "worker=1"]]) {
      const r = await umask077([DOKKU, ...argv]);
      assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
    }

    const dirs = [...dirsUnder(join(host.lib, "data", "ps", fresh)), join(host.lib, "config", "ps", fresh), join(host.lib, "config", "common", fresh)];
    // 0.24's shell fast paths read answers pre-deploy precomputed (0.30+'s read the files the entry reads).
    if (host.is024) assert.ok(dirs.some((d) => d.endsWith("/hot")), `the deploy's precomputed answers: ${dirs.join(", ")}`);
    assert.deepEqual(
      dirs.filter((d) => mode(d) !== 0o755).map((d) => `${d}: ${octal(mode(d))}`),
      [],
      "directories are 0755 as Dokku's MkdirAll + SetPermissions make them",
    );
    for (const file of [
      join(host.lib, "config", "ps", fresh, property),
      join(host.lib, "config", "common", fresh, "deployed"),
      host.formationFile(fresh),
    ]) {
      assert.equal(octal(mode(file)), "0600", file);
    }
    rmSync(tree, { recursive: true, force: true });
  });

  test("ENV: a new one is 0666 less the umask (the config plugin's os.Create), an existing one keeps its mode (0.38: the restore property, ENV untouched)", async () => {
    const created = await host.createApp("envnew");
    if (host.contract.restoreStore === "property") {
      // 0.38: ps keeps the flag in the ps property `restore` and never writes
      // ENV: under umask 077 the property is 0600 in a 0755 dir, the Dokku
      // user's (host.restoreFlag checks the file), and ENV stays as it was.
      const env = host.envFile(created);
      const envBefore = existsSync(env) ? readFileSync(env) : undefined;
      const r = await umask077([DOKKU, "ps:set", created, "restore", "false"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(host.restoreFlag(created), false);
      assert.equal(octal(mode(join(host.lib, "config", "ps", created))), "0755");
      assert.deepEqual(existsSync(env) ? readFileSync(env) : undefined, envBefore, "ENV untouched");
      return;
    }
    const env = join(host.home, created, "ENV");
    rmSync(env, { force: true });
    // What sets DOKKU_APP_RESTORE on an app never deployed: ps:set restore
    // (0.24); 0.31.5's ps:set has no restore, its post-stop trigger sets it.
    const setRestoreOff = (name: string) =>
      host.contract.setProperties.includes("restore") ? ["ps:set", name, "restore", "false"] : ["plugin:trigger", "post-stop", name];
    const r = await umask077([DOKKU, ...setRestoreOff(created)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(env, "utf8"), /^DOKKU_APP_RESTORE="0"$/m);
    assert.equal(octal(mode(env)), "0600");

    const kept = await host.createApp("envold");
    const old = join(host.home, kept, "ENV");
    host.seedFile(old, 'KEEP="1"\n', 0o644);
    const k = await umask077([DOKKU, ...setRestoreOff(kept)]);
    assert.equal(k.code, 0, k.stderr);
    assert.equal(octal(mode(old)), "0644");
    assert.match(readFileSync(old, "utf8"), /KEEP/);
  });
});

describe("sudo dokku … by a sudoer", () => {
  const tag = randomBytes(3).toString("hex");
  const user = `dpssudo${tag}`;
  const sudoers = `/etc/sudoers.d/dokku-ps-test-${tag}`;
  let parent: string;
  let home: string;
  let uid = 0;
  let gid = 0;

  before(async () => {
    const which = await run("sh", ["-c", "command -v sudo"]);
    assert.equal(which.code, 0, "sudo is not installed: run scripts/setup.sh");
    parent = mkdtempSync(join(tmpdir(), "dokku-ps-sudoer-"));
    chmodSync(parent, 0o755);
    home = join(parent, "home");
    const add = await run("useradd", ["--create-home", "--home-dir", home, "--shell", "/bin/bash", "--user-group", user]);
    assert.equal(add.code, 0, add.stderr);
    const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${user}:`)) ?? "";
    [uid, gid] = [Number(line.split(":")[2]), Number(line.split(":")[3])];
    chownSync(home, uid, gid);
    chmodSync(home, 0o700);
    writeFileSync(sudoers, `${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    const check = await run("visudo", ["-cf", sudoers]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
  after(async () => {
    rmSync(sudoers, { force: true });
    await run("userdel", ["--remove", user]);
    rmSync(`/run/sudo/ts/${user}`, { force: true });
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  /** As the sudoer, in its own private home: `sudo dokku <args…>` (the test host's roots passed through env). */
  const sudoDokku = (...args: string[]) =>
    run(
      "setpriv",
      [`--reuid=${uid}`, `--regid=${gid}`, "--init-groups", "env", "-i", `HOME=${home}`, `USER=${user}`, `LOGNAME=${user}`, "PATH=/usr/local/bin:/usr/bin:/bin",
        "sudo", "-n", "env", `DOKKU_ROOT=${host.home}`, `DOKKU_LIB_ROOT=${host.lib}`, DOKKU, ...args],
      { cwd: home },
    );

  test("ps:scale, ps:inspect and ps:report run as the dokku user from the sudoer's private home", async () => {
    const enter = await run("setpriv", ["--reuid=dokku", "--regid=dokku", "--init-groups", "sh", "-c", 'cd "$1"', "_", home]);
    assert.notEqual(enter.code, 0, "the dokku user can enter the sudoer's home");

    const scale = await sudoDokku("ps:scale", app, "web=2", "worker=0");
    assert.equal(scale.code, 0, scale.stderr);
    assert.match(scale.stdout, new RegExp(`^-----> Scaling ${app} processes: web=2 worker=0$`, "m"));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 2 });

    const inspect = await sudoDokku("ps:inspect", app);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal((JSON.parse(inspect.stdout) as unknown[]).length, 2);

    const report = await sudoDokku("ps:report", app, "--processes");
    assert.deepEqual([report.code, report.stdout, report.stderr], [0, "2\n", ""]);
  });
});

describe("commands over ssh as dokku (sshcommand's forced command)", () => {
  const dokku = dokkuPasswd();
  let scratch: string;

  before(() => {
    // sshcommand create writes the command into the user's ~/.sshcommand
    // (DOKKU_ROOT is the dokku user's home on a Dokku host).
    writeFileSync(join(host.home, ".sshcommand"), `${DOKKU}\n`);
    scratch = mkdtempSync(join(tmpdir(), "dokku-ps-ssh-"));
  });
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * The forced command of a key added by sshcommand (`command="FINGERPRINT=…
   * NAME=… \`cat ~dokku/.sshcommand\` $SSH_ORIGINAL_COMMAND"`); this host is
   * not at ~dokku, so its roots are put in front.
   */
  const forced = () =>
    `DOKKU_ROOT=${host.home} DOKKU_LIB_ROOT=${host.lib} FINGERPRINT=SHA256:dokku-ps-test NAME="admin" \`cat ${host.home}/.sshcommand\` $SSH_ORIGINAL_COMMAND`;

  /**
   * What sshd runs for `ssh dokku@host <command>`: the login shell's `-c` of
   * the forced command, as the dokku user, with sshd's small environment, no
   * TTY, stdin a pipe; started in the user's home (`cwd`: see the glob test).
   */
  const sshArgv = (original: string) => [
    "setpriv", "--reuid=dokku", "--regid=dokku", "--init-groups",
    "env", "-i", `HOME=${dokku.home}`, "USER=dokku", "LOGNAME=dokku", "SHELL=/bin/bash", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/games",
    "SSH_CLIENT=127.0.0.1 40000 22", "SSH_CONNECTION=127.0.0.1 40000 127.0.0.1 22", `SSH_ORIGINAL_COMMAND=${original}`,
    "/bin/bash", "-c", forced(),
  ];
  const ssh = (original: string, cwd = dokku.home) => run("bash", ["-c", ': | exec "$@"', "ssh", ...sshArgv(original)], { cwd });

  test("ssh dokku@host ps:scale <app> web=1 worker=1 scales, ps:report answers", async () => {
    const scale = await ssh(`ps:scale ${app} web=1 worker=1`);
    assert.equal(scale.code, 0, scale.stderr);
    assert.match(scale.stdout, new RegExp(`^-----> Scaling ${app} processes: web=1 worker=1$`, "m"));
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
    const report = await ssh(`ps:report ${app} --processes`);
    assert.deepEqual([report.code, report.stdout, report.stderr], [0, "2\n", ""]);
  });

  test("config commands are re-run through xargs: quotes in SSH_ORIGINAL_COMMAND hold a value with a space", async () => {
    const set = await ssh(`config:set --no-restart ${app} "SEAT_QUOTED=b c"`);
    assert.equal(set.code, 0, set.stderr);
    const get = await host.dokku("config:get", app, "SEAT_QUOTED");
    assert.deepEqual([get.code, get.stdout], [0, "b c\n"]);
    // xargs' own status for a command that exited 1: 123, as over ssh on Dokku.
    const bad = await ssh(`config:set --no-restart ${app} "1BAD=x"`);
    assert.equal(bad.code, 123, bad.stdout + bad.stderr);
  });

  test("other commands are split on blanks with globbing off: a `*` word reaches ps as it is", async () => {
    // The login shell globs the forced command's $SSH_ORIGINAL_COMMAND in its
    // directory (here one of the dokku user's holding a file `web=3`, standing
    // for its home, which this test must not write to): `web=*` becomes
    // `web=3` there, but Dokku re-runs itself from SSH_ORIGINAL_COMMAND with
    // globbing off, so ps gets `web=*` and refuses it.
    const dir = join(scratch, "home");
    mkdirSync(dir);
    writeFileSync(join(dir, "web=3"), "");
    chownSync(dir, dokku.uid, dokku.gid);
    chmodSync(scratch, 0o755);
    const r = await ssh(`ps:scale --skip-deploy ${app} web=*`, dir);
    // Checked before anything echoes the tuples, on every version (core ps 0.31.5 prints its Scaling line first).
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, "", " !     Invalid count for process type web\n"]);
  });

  test("git push dokku@host:<app> (git-receive-pack over ssh, the pack on stdin) deploys", async () => {
    const fakeSsh = join(scratch, "ssh");
    // git runs `<ssh> dokku@host "git-receive-pack '<app>'"` (ssh.variant=simple):
    // the last argument is the client's command, sshd's SSH_ORIGINAL_COMMAND.
    const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    const words = sshArgv("@ORIGINAL@").map((w) => (w === "SSH_ORIGINAL_COMMAND=@ORIGINAL@" ? '"SSH_ORIGINAL_COMMAND=${@: -1}"' : quote(w)));
    writeFileSync(fakeSsh, `#!/bin/bash\ncd ${quote(dokku.home)} && exec ${words.join(" ")}\n`, { mode: 0o755 });
    await commitFiles(src, { "seat.txt": "over ssh\n" });
    const push = await run("git", ["-c", `core.sshCommand=${fakeSsh}`, "-c", "ssh.variant=simple", "push", "-q", `dokku@dokku-ps-host:${app}`, "HEAD:main"], { cwd: src, env: host.env() });
    assert.equal(push.code, 0, push.stderr);
    const head = await run("git", ["rev-parse", "HEAD"], { cwd: src });
    const deployed = await run("git", ["--git-dir", join(host.home, app), "rev-parse", "refs/heads/main"]);
    assert.equal(deployed.stdout, head.stdout);
    assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 1 });
  });
});

describe("core ps 0.24.10's output on a never-deployed app", () => {
  test("ps:scale --skip-deploy: `=====> Setting deployed to false` after the Scaling line, once (that line: 0.24.10's record only)", async () => {
    const fresh = await host.createApp("never");
    const first = await host.combined([DOKKU, "ps:scale", "--skip-deploy", fresh, "web=2", "worker=1"]);
    // 0.31.5 caches quietly (its IsDeployed wraps CommandPropertySet in DOKKU_QUIET_OUTPUT=1).
    assert.deepEqual(first, { code: 0, text: `-----> Scaling ${fresh} processes: web=2 worker=1\n${host.deployedCacheLine(false)}` });
    const again = await host.combined([DOKKU, "ps:scale", "--skip-deploy", fresh, "web=1"]);
    assert.deepEqual(again, { code: 0, text: `-----> Scaling ${fresh} processes: web=1\n` });
    assert.equal(readFileSync(host.formationFile(fresh), "utf8").split("\n").sort().join(" ").trim(), "web=1 worker=1");
  });

  test("ps:rebuild prints nothing and exits 0", async () => {
    const fresh = await host.createApp("never");
    assert.deepEqual(await host.combined([DOKKU, "ps:rebuild", fresh]), { code: 0, text: "" });
    assert.equal(existsSync(join(host.lib, "config", "common", fresh, "deployed")), false, "Dokku's Rebuild never asks whether it is deployed");
  });
});
