/**
 * Issue 11, failure 4: real plugn 0.6.1 (go-basher) fails when its stdin is a
 * socket (bash then skips BASH_ENV, so plugn's `main` is undefined): stderr
 * `<HOME>/.basher/bash: line 1: main: command not found`, a Go log line
 * `… exit status 127`, exit 1. Node's `stdio: "pipe"` and execa's `input`
 * hand a child a socketpair. host/bin/plugn fails the same way, so every
 * ps path that runs plugn with its output captured is exercised here against
 * it: ps:inspect, ps:start of a running app (scheduler-app-status),
 * "deployed" when the property is not cached (scheduler-is-deployed), and
 * ps:report / ps:inspect / ps:start for a scheduler other than docker-local.
 * On a Dokku 0.38.27 host, whose plugn 0.17.1 works with a socket stdin
 * (real-dokku-0.38.27/README.md "plugn"), plugn's own checks expect that.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, Host, REPO, deployedContainers, dockerfileApp, workTree } from "./harness.ts";
import { tempDir } from "../temp.ts";

const PLUGN = join(REPO, "host", "bin", "plugn");
/** What real plugn prints when its stdin is a socket (the time is local, Go's log layout). */
const SOCKET_FAILURE = /^\/[^\n]*\/\.basher\/bash: line 1: main: command not found\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d exit status 127\n$/;

let host: Host;
let app: string;
let rec: string;
const SECRET = "s3cr3t-plugn-stdin-value";

before(async () => {
  host = await Host.create();
  host.installFixturePlugin("scheduler-recorder");

  app = await host.createApp("stdin");
  const set = await host.dokku("config:set", "--no-restart", app, `TOKEN=${SECRET}`);
  assert.equal(set.code, 0, set.stderr);
  const push = await host.push(app, await workTree(dockerfileApp()));
  assert.equal(push.code, 0, push.stderr);

  rec = await host.createApp("stdin-rec");
  const cfg = await host.selectScheduler(rec, "recorder");
  assert.equal(cfg.code, 0, cfg.stderr);
  assert.equal((await execa("docker", ["tag", BASE_IMAGE, `dokku/${rec}:latest`])).exitCode, 0);
  const deploy = await host.dokku("git:from-image", rec, `dokku/${rec}:latest`);
  assert.equal(deploy.code, 0, deploy.stderr);
});
after(async () => {
  await host?.destroy();
});

const recorderCalls = (): string[] => {
  try {
    return readFileSync(join(host.lib, "data", "scheduler-recorder", "calls"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

function homedirOf(user: string): string {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${user}:`));
  return line?.split(":")[5] ?? "";
}

const deployedProperty = (name: string) => join(host.lib, "config", "common", name, "deployed");

describe("host plugn fails as real plugn does when its stdin is a socket", () => {
  for (const argv of [["version"], ["list"], ["trigger", "scheduler-is-deployed", "docker-local", "nope"]]) {
    test(`plugn ${argv.join(" ")}`, async () => {
      const env = host.env();
      // A socketpair as stdin (execa's `input`, Node's "pipe").
      const socket = await execa(PLUGN, argv, { env, input: "", reject: false, stripFinalNewline: false });
      if (host.is038) {
        // plugn 0.17.1 (Dokku 0.38.27) works with a socket stdin (real-dokku-0.38.27/README.md "plugn").
        assert.doesNotMatch(socket.stderr, /basher|exit status 127/);
        return;
      }
      assert.equal(socket.exitCode, 1);
      assert.equal(socket.stdout, "");
      assert.match(socket.stderr, SOCKET_FAILURE);
      assert.ok(socket.stderr.startsWith(`${process.env["HOME"]}/.basher/bash: `), socket.stderr);
      // /dev/null, a pipe and a regular file all work (the check can pass).
      const devnull = await execa(PLUGN, argv, { env, stdin: "ignore", reject: false });
      assert.doesNotMatch(devnull.stderr, /basher/);
      const pipe = await execa("bash", ["-c", 'printf x | "$@"', "_", PLUGN, ...argv], { env, stdin: "ignore", reject: false });
      assert.doesNotMatch(pipe.stderr, /basher/);
      assert.equal(pipe.exitCode, devnull.exitCode);
      const file = join(tempDir("plugn-stdin-"), "in");
      writeFileSync(file, "x\n");
      const viaFile = await execa("bash", ["-c", '"$@" <"$0"', file, PLUGN, ...argv], { env, stdin: "ignore", reject: false });
      assert.doesNotMatch(viaFile.stderr, /basher/);
      assert.equal(viaFile.exitCode, devnull.exitCode);
      rmSync(join(file, ".."), { recursive: true, force: true });
    });
  }
});

describe("ps paths that capture plugn's output work with host plugn (docker-local)", () => {
  test("ps:inspect prints the containers, secrets masked", async () => {
    const r = await host.dokku("ps:inspect", app);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /basher|exit status 127/);
    const data = JSON.parse(r.stdout) as Array<{ Id: string; Config: { Env: string[] } }>;
    const ids = (await deployedContainers(app)).map((c) => c.id).sort();
    assert.deepEqual(data.map((c) => c.Id).sort(), ids);
    assert.ok(data[0]!.Config.Env.includes("TOKEN=XXXXXX"));
    assert.ok(!r.stdout.includes(SECRET));
  });

  test("ps:start of a running app says so and deploys nothing", async () => {
    const before = (await deployedContainers(app, true)).map((c) => c.id).sort();
    assert.ok(before.length > 0);
    const r = await host.dokku("ps:start", app);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(` !     App ${app} already running\n`), `stderr: ${r.stderr}\nstdout: ${r.stdout}`);
    assert.doesNotMatch(r.stderr + r.stdout, /basher|Releasing|Deploying|exit status 127/);
    assert.deepEqual((await deployedContainers(app, true)).map((c) => c.id).sort(), before);
  });

  test("ps:report --deployed asks scheduler-is-deployed when the property is absent", async () => {
    rmSync(deployedProperty(app), { force: true });
    const r = await host.dokku("ps:report", app, "--deployed");
    assert.equal(r.code, 0, r.stderr);
    // Caching the answer says so, as core ps 0.24.10's IsDeployed (CommandPropertySet).
    assert.equal(r.stdout, `${host.deployedCacheLine(true)}true\n`);
    assert.equal(readFileSync(deployedProperty(app), "utf8").trim(), "true");
  });
});

describe("ps never hands its own stdin to plugn", () => {
  /**
   * `ps:<name> args…` through the plugin's subcommand executable as the dokku
   * user, in the environment bin/dokku exports, with a socketpair as stdin
   * (execa's `input`). Not through bin/dokku itself: with a second user-auth
   * plugin installed it fires `user-auth` through plugn with the caller's
   * stdin, which fails on a socket before ps runs, as on Dokku.
   */
  const viaSocket = async (name: string, ...args: string[]) => {
    const file = join(host.lib, "plugins", "enabled", "ps", "subcommands", name);
    const script = 'source "$1" && exec "$2" "${@:3}"';
    const envFile = join(REPO, "host", "lib", "dokku-env.bash");
    return execa("setpriv", ["--reuid=dokku", "--regid=dokku", "--init-groups", "bash", "-c", script, "_", envFile, file, `ps:${name}`, ...args], {
      env: host.env({ HOME: homedirOf("dokku") }),
      input: "",
      reject: false,
      stripFinalNewline: false,
    });
  };

  test("the run is meaningful: plugn itself fails with that stdin", async () => {
    const r = await execa("setpriv", ["--reuid=dokku", "--regid=dokku", "--init-groups", PLUGN, "version"], {
      env: host.env({ HOME: homedirOf("dokku") }),
      input: "",
      reject: false,
      stripFinalNewline: false,
    });
    if (host.is038) {
      // plugn 0.17.1 (Dokku 0.38.27) works with a socket stdin: nothing to show there.
      assert.equal(r.exitCode, 0, r.stderr);
      return;
    }
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, SOCKET_FAILURE);
    assert.ok(r.stderr.startsWith(`${homedirOf("dokku")}/.basher/bash: `), r.stderr);
  });

  test("with a socket as ps's stdin, ps:stop, ps:start and ps:inspect still fire their triggers", async () => {
    const stop = await viaSocket("stop", app);
    assert.equal(stop.exitCode, 0, stop.stderr);
    assert.equal((await deployedContainers(app)).length, 0);
    const start = await viaSocket("start", app);
    assert.equal(start.exitCode, 0, start.stderr);
    assert.doesNotMatch(start.stderr, /basher|exit status 127/);
    assert.equal((await deployedContainers(app)).length, 1);
    const inspect = await viaSocket("inspect", app);
    assert.equal(inspect.exitCode, 0, inspect.stderr);
    assert.equal((JSON.parse(inspect.stdout) as unknown[]).length, 1);
    const again = await viaSocket("start", app);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.ok(again.stderr.includes(` !     App ${app} already running\n`), again.stderr);
  });
});

describe("ps paths that capture plugn's output work with host plugn (another scheduler)", () => {
  test("ps:report asks scheduler-app-status and shows its answer", async () => {
    const r = await host.dokku("ps:report", rec);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Running:\s+true\n/);
    assert.match(r.stdout, /Processes:\s+1\n/);
    assert.ok(recorderCalls().includes(`scheduler-app-status recorder ${rec}`));
  });

  test("ps:report --deployed asks scheduler-is-deployed when the property is absent", async () => {
    rmSync(deployedProperty(rec), { force: true });
    const r = await host.dokku("ps:report", rec, "--deployed");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${host.deployedCacheLine(true)}true\n`);
    assert.ok(existsSync(deployedProperty(rec)));
  });

  test("ps:inspect prints the scheduler's answer", async () => {
    const r = await host.dokku("ps:inspect", rec);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "[]\n");
  });

  test("ps:start of a running app says so; the scheduler deploys nothing", async () => {
    const before = recorderCalls().length;
    const r = await host.dokku("ps:start", rec);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(` !     App ${rec} already running\n`), `stderr: ${r.stderr}\nstdout: ${r.stdout}`);
    assert.deepEqual(recorderCalls().slice(before), [`scheduler-app-status recorder ${rec}`]);
  });
});
