/**
 * host/ speaking Dokku 0.31.5 (issue 14, must-show 4), without dokku-ps: a
 * stand-in for 0.31.5's core ps (test/fixtures/core-ps-031) answers
 * ps-current-scale, procfile-exists, procfile-get-command, ps-can-scale and
 * ps-set-scale and logs the other triggers of a push, so what is checked here
 * is the host: its version selection, the 0.31.5 docker-local scheduler, the
 * push's trigger order, app-json's formation and checks' wait-to-retire, each
 * against real Dokku 0.31.5's record (real-dokku-0.31.5/transcripts/
 * core-ps-0.31.5.log) and source (tag v0.31.5).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execa } from "execa";
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOKKU, Host, REPO, chownTree, cleanEnv, commitFiles, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.31.5 only: host/'s 0.31.5 fidelity, without dokku-ps.
export const CONCERNS_DOKKU = "0.31.5";

let host: Host;

/** Places the core ps stand-in as Dokku 0.31+ installs core plugins. */
function placeCorePs(h: Host): void {
  // A real core-plugins/available/ps with a `.core` marker, linked from
  // plugins/available and enabled in both trees.
  const core = join(h.lib, "core-plugins", "available", "ps");
  cpSync(join(REPO, "test", "fixtures", "core-ps-031"), core, { recursive: true });
  writeFileSync(join(core, ".core"), "");
  chownTree(core);
  for (const [target, link] of [
    [core, join(h.lib, "plugins", "available", "ps")],
    [core, join(h.lib, "core-plugins", "enabled", "ps")],
    [join(h.lib, "plugins", "available", "ps"), join(h.lib, "plugins", "enabled", "ps")],
  ] as const)
    symlinkSync(target, link);
}

before(async () => {
  host = await Host.create({ version: "0.31.5", plugin: false });
  placeCorePs(host);
});
after(async () => {
  await host?.destroy();
});


/** The stand-in's call log since `from` (a line count). */
function calls(from = 0, h: Host = host): string[] {
  const file = join(h.lib, "data", "ps", "calls.log");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).slice(from) : [];
}

/** A push's text (both streams, in order) without git's and docker build's own lines. */
async function push(app: string, dir: string, h: Host = host): Promise<{ code: number; lines: string[] }> {
  const r = await h.combined(["git", "-c", "protocol.ext.allow=always", "push", `ext::${DOKKU} %S ${app}`, "HEAD:main"], dir);
  const lines = r.text
    .split("\n")
    .filter((l) => l.startsWith("remote: "))
    .map((l) => l.slice("remote: ".length).replace(/ {8}$/, ""))
    .filter((l) => !/^(\x1b\[1G)?( ---> |Step \d|Removing intermediate|Sending build context|Successfully (built|tagged))/.test(l))
    .filter((l) => !/DEPRECATED: The legacy builder|Install the buildx|docs\.docker\.com\/go\/buildx|^\s*$/.test(l));
  return { code: r.code, lines };
}

const pad = (s: string) => s.padEnd(87, " ");

/**
 * Compares a push's lines with the expected ones stream by stream: stdout
 * lines (the ESC[1G-prefixed ones, sed'ed on their way as in Dokku) in order,
 * stderr lines in order; how the two interleave is up to that sed, in Dokku
 * as here.
 */
function assertStreams(actual: string[], expected: string[]): void {
  const norm = (l: string) => l.replace(/\.upcoming-\d+ /, ".upcoming-N ");
  const out = (ls: string[]) => ls.map(norm).filter((l) => l.startsWith("\x1b[1G"));
  const err = (ls: string[]) => ls.map(norm).filter((l) => !l.startsWith("\x1b[1G"));
  assert.deepEqual(out(actual), out(expected));
  assert.deepEqual(err(actual), err(expected));
}
const PREFLIGHT = (slot: string, app: string) => [
  `\x1b[1G       Attempting pre-flight checks (${slot})`,
  `\x1b[1G${pad("-----> Executing 1 healthchecks")}`,
  `\x1b[1G${pad("       Running healthcheck name='default' type='uptime' uptime=0")}`,
  `\x1b[1G${pad("       Healthcheck succeeded name='default'")}`,
  `\x1b[1G       All checks successful (${slot})`,
  `\x1b[1G=====> Start of ${app} container output (${slot})`,
  `\x1b[1G=====> End of ${app} container output (${slot})`,
];

test("a new host is 0.24.10 and writes VERSION; DOKKU_HOST_VERSION=0.31.5 makes a 0.31.5 host with real core plugin dirs", async () => {
  const root = mkdtempSync(join(tmpdir(), "dokku-ps-ver-"));
  chmodSync(root, 0o755); // dokku re-execs as the dokku user
  try {
    for (const [want, extra] of [
      ["0.24.10", {}],
      ["0.31.5", { DOKKU_HOST_VERSION: "0.31.5" }],
      ["0.35.20", { DOKKU_HOST_VERSION: "v0.35.20" }],
    ] as const) {
      const lib = join(root, want, "lib");
      const env = cleanEnv({ DOKKU_ROOT: join(root, want, "home"), DOKKU_LIB_ROOT: lib, ...extra });
      const r = await execa(DOKKU, ["version"], { env, reject: false, stdin: "ignore" });
      assert.equal(r.stdout, `dokku version ${want}`, r.stderr);
      assert.equal(readFileSync(join(lib, "VERSION"), "utf8"), `v${want}\n`);
      assert.equal(readFileSync(join(lib, "STABLE_VERSION"), "utf8"), `${want}\n`);
      const git = join(lib, "core-plugins", "available", "git");
      if (want === "0.24.10") {
        assert.ok(lstatSync(git).isSymbolicLink());
      } else {
        assert.ok(lstatSync(git).isDirectory() && !lstatSync(git).isSymbolicLink());
        assert.ok(existsSync(join(git, ".core")));
        assert.equal(readlinkSync(join(lib, "plugins", "available", "git")), git);
        assert.ok(existsSync(join(lib, "plugins", "enabled", "checks", "checks-get-property")));
        assert.ok(!existsSync(join(lib, "plugins", "enabled", "scheduler-docker-local", "pre-restore")));
        assert.ok(existsSync(join(lib, "plugins", "enabled", "scheduler-docker-local", "scheduler-pre-restore")));
      }
      // The file wins afterwards.
      const again = await execa(DOKKU, ["version"], { env: { ...env, DOKKU_HOST_VERSION: "0.31.5" }, reject: false, stdin: "ignore" });
      assert.equal(again.stdout, `dokku version ${want}`);
    }
    const bad = await execa(DOKKU, ["version"], {
      env: cleanEnv({ DOKKU_ROOT: join(root, "x", "home"), DOKKU_LIB_ROOT: join(root, "x", "lib"), DOKKU_HOST_VERSION: "0.30.0" }),
      reject: false,
      stdin: "ignore",
    });
    assert.equal(bad.exitCode, 1);
    assert.match(bad.stderr, /host\/ speaks Dokku 0\.24\.10, 0\.31\.5, 0\.35\.20/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("0.31.5 apps:create: domains disables the app vhost without a global VHOST (NO_VHOST=1), as the record shows", async () => {
  const app = host.appName("d31");
  const r = await host.dokku("apps:create", app);
  assert.deepEqual([r.code, r.stdout], [0, `-----> Creating ${app}...\n-----> Global server virtual host not set, disabling app vhost...\n`]);
  assert.match(readFileSync(join(host.home, app, "ENV"), "utf8"), /^NO_VHOST="1"$/m);
});

test("0.31.5 push: trigger order, the formation from ps-current-scale (web first), deploy output as the record's", async () => {
  const app = await host.createApp("p31");
  const from = calls().length;
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" }));
  const first = await push(app, src);
  assert.equal(first.code, 0, first.lines.join("\n"));
  const running = await deployedContainers(app);
  assertStreams(
    first.lines,
    [
      "\x1b[1G-----> Cleaning up...",
      `\x1b[1G-----> Building ${app} from Dockerfile`,
      `\x1b[1G-----> Releasing ${app}...`,
      "\x1b[1G-----> Checking for predeploy task",
      "\x1b[1G       No predeploy task found, skipping",
      "\x1b[1G-----> Checking for release task",
      "\x1b[1G       No release task found, skipping",
      "\x1b[1G-----> Checking for first deploy postdeploy task",
      "\x1b[1G       No first deploy postdeploy task found, skipping",
      "\x1b[1G=====> Processing deployment checks",
      `\x1b[1m\x1b[31m !     \x1b[0m\x1b[0m${"No healthchecks found in app.json for web process type".padEnd(80, " ")}`,
      "\x1b[1G       No web healthchecks found in app.json. Simple container checks will be performed.",
      "\x1b[1G       For more efficient zero downtime deployments, add healthchecks to your app.json. See https://dokku.com/docs/deployment/zero-downtime-deploys/ for examples",
      `\x1b[1G-----> Deploying ${app} via the docker-local scheduler...`,
      "\x1b[1G-----> Deploying web (count=1)",
      ...PREFLIGHT("web.1", app),
      "\x1b[1G-----> Deploying worker (count=0)",
      "\x1b[1G-----> Running post-deploy",
      "\x1b[1G-----> Renaming containers",
      `\x1b[1G       Renaming container ${app}.web.1.upcoming-N (${running[0]?.id.slice(0, 12)}) to ${app}.web.1`,
      "\x1b[1G-----> Checking for postdeploy task",
      "\x1b[1G       No postdeploy task found, skipping",
      "\x1b[1G=====> Application deployed:",
      "\x1b[1G",
    ],
  );
  assert.deepEqual(running.map((c) => [c.name, c.processType, c.running]), [[`${app}.web.1`, "web", true]]);
  assert.deepEqual(running[0]?.cmd, ["sleep", "86400"]);
  assert.ok(running[0]?.env.includes("PORT=5000"));
  assert.equal(readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim(), running[0]?.id);

  // The order 0.31.5's git, builder, release and scheduler fire them in.
  const names = calls(from).map((l) => l.split(" ")[0]);
  const rev = calls(from).find((l) => l.startsWith("core-post-extract "))?.split(" ")[3];
  assert.match(String(rev), /^[0-9a-f]{40}$/);
  assert.deepEqual(
    names.filter((n) => n !== "procfile-get-command" && n !== "ps-current-scale" && n !== "post-config-update"),
    ["core-post-extract", "post-extract", "pre-receive-app", "pre-build-dockerfile", "post-build-dockerfile", "pre-release-dockerfile",
      "post-release-builder", "ps-can-scale", "pre-deploy", "scheduler-deploy", "procfile-exists", "core-post-deploy", "post-deploy"],
  );
  const lines = calls(from);
  assert.ok(lines.includes(`post-release-builder dockerfile ${app} dokku/${app}:latest`), lines.join("\n"));
  assert.ok(lines.includes(`pre-deploy ${app} latest`));
  assert.ok(lines.includes(`scheduler-deploy docker-local ${app} latest `));
  assert.ok(lines.includes(`core-post-deploy ${app}   latest`), lines.join("\n"));
  assert.ok(lines.includes(`post-config-update ${app} set GIT_REV`) && lines.includes(`post-config-update ${app} set DOKKU_APP_TYPE`), lines.join("\n"));
  // web is asked for its command with port 5000, other types with an empty one.
  assert.ok(lines.includes(`procfile-get-command ${app} web 5000`) && lines.includes(`procfile-get-command ${app} worker 5000`));
  const env = readFileSync(join(host.home, app, "ENV"), "utf8");
  assert.match(env, /DOKKU_APP_TYPE="dockerfile"/);
  assert.match(env, new RegExp(`GIT_REV="${rev}"`));
});

test("0.31.5 scale-up and redeploy: old slot scheduled for shutdown, renamed aside and back, replaced container stopped", async () => {
  const app = await host.createApp("r31");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" }));
  assert.equal((await push(app, src)).code, 0);
  const oldWeb = (await deployedContainers(app))[0]!;
  host.seedFile(join(host.lib, "config", "ps", app, "scale"), "web=1\nworker=2\n", 0o600);
  const r = await host.dokku("plugin:trigger", "scheduler-deploy", "docker-local", app, "latest", "");
  // plugin:trigger must be run as root (as every plugin:* command): the tests are.
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const out = r.stdout.split("\n");
  assert.deepEqual(out.slice(0, 9), [
    "-----> Deploying web (count=1)",
    ...PREFLIGHT("web.1", app).map((l) => l.replace("\x1b[1G", "")),
    "       Scheduling old container shutdown in 0 seconds (web.1)",
  ]);
  assert.equal(out[9], "-----> Deploying worker (count=2)");
  const stamp = out.find((l) => l.startsWith(`       Renaming container (${oldWeb.id.slice(0, 12)}) ${app}.web.1 to ${app}.web.1.`));
  assert.ok(stamp, r.stdout);
  assert.ok(out.includes(`       Found previous container(s) (${oldWeb.id.slice(0, 12)}) named ${app}.web.1`));
  assert.deepEqual(out.slice(-2), ["-----> Shutting down old containers in 0 seconds", ""]);
  const all = await deployedContainers(app, true);
  const byName = new Map(all.map((c) => [c.name, c]));
  assert.equal(byName.get(`${app}.web.1`)?.running, true);
  assert.equal(byName.get(`${app}.worker.1`)?.running, true);
  assert.equal(byName.get(`${app}.worker.2`)?.running, true);
  const aside = all.find((c) => c.id === oldWeb.id);
  assert.match(String(aside?.name), new RegExp(`^${app}\\.web\\.1\\.\\d+$`));
  assert.equal(aside?.running, false);
  assert.equal(aside?.restartPolicy.Name, "no");
  // Registered for ps:retire with its image, as scheduler-register-retired does.
  const dead = readFileSync(join(host.lib, "data", "scheduler-docker-local", "dead-containers"), "utf8");
  assert.match(dead, new RegExp(`^${app} ${oldWeb.id} \\d+$`, "m"));
  assert.match(readFileSync(join(host.lib, "data", "scheduler-docker-local", "dead-images"), "utf8"), new RegExp(`^${app} [0-9a-f]{64} \\d+$`, "m"));

  // Scaling worker to 0 for that type only: its slots' files go, its containers stop.
  host.seedFile(join(host.lib, "config", "ps", app, "scale"), "web=1\nworker=0\n", 0o600);
  const down = await host.dokku("plugin:trigger", "scheduler-deploy", "docker-local", app, "latest", "worker");
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^-----> Deploying worker \(count=0\)\n-----> Running post-deploy\n-----> Renaming containers\n/);
  assert.doesNotMatch(down.stdout, /Deploying web/);
  assert.ok(!existsSync(join(host.home, app, "CONTAINER.worker.1")) && !existsSync(join(host.home, app, "CONTAINER.worker.2")));
  const after = new Map((await deployedContainers(app, true)).map((c) => [c.name, c]));
  assert.equal(after.get(`${app}.worker.1`)?.running, false);
  assert.equal(after.get(`${app}.web.1`)?.running, true);
});

test("0.31.5 app.json formation from the pushed source: ps-can-scale false + ps-set-scale <app> true true; without app.json ps-can-scale true", async () => {
  const app = await host.createApp("f31");
  const src = await workTree(
    dockerfileApp({
      Procfile: "web: sleep 86400\nworker: sleep 86400\n",
      "app.json": JSON.stringify({ formation: { worker: { quantity: 2 }, web: { quantity: 1 }, other: {} } }),
    }),
  );
  let from = calls().length;
  const r = await push(app, src);
  assert.equal(r.code, 0, r.lines.join("\n"));
  const mine = calls(from);
  assert.ok(mine.includes(`ps-can-scale ${app} false`), mine.join("\n"));
  assert.ok(mine.includes(`ps-set-scale ${app} true true worker=2 web=1`), mine.join("\n"));
  // Between the release task lookup and the first-deploy one, as setScale runs in 0.31.5's pre-deploy.
  const i = r.lines.indexOf("\x1b[1G       No release task found, skipping");
  assert.equal(r.lines[i + 1], "\x1b[1G-----> Checking for first deploy postdeploy task");
  const counts = (await deployedContainers(app)).map((c) => c.dyno).sort();
  assert.deepEqual(counts, ["web.1", "worker.1", "worker.2"]);
  assert.equal(readFileSync(join(host.lib, "data", "app-json", app, "app.json"), "utf8"), JSON.stringify({ formation: { worker: { quantity: 2 }, web: { quantity: 1 }, other: {} } }));
  const content = await host.dokku("plugin:trigger", "app-json-get-content", app);
  assert.equal(content.stdout, readFileSync(join(host.lib, "data", "app-json", app, "app.json"), "utf8"));

  // app.json removed: can-scale true, the stored app.json goes with the deploy.
  await commitFiles(src, { "app.json": null });
  from = calls().length;
  const again = await push(app, src);
  assert.equal(again.code, 0);
  assert.ok(calls(from).includes(`ps-can-scale ${app} true`));
  assert.ok(!calls(from).some((l) => l.startsWith("ps-set-scale ")));
  assert.ok(!existsSync(join(host.lib, "data", "app-json", app, "app.json")));
  assert.equal((await host.dokku("plugin:trigger", "app-json-get-content", app)).stdout, "{}");

  // A quantity that is not an integer fails the deploy (Go's json.Unmarshal into *int).
  await commitFiles(src, { "app.json": JSON.stringify({ formation: { web: { quantity: "2" } } }) });
  const bad = await push(app, src);
  assert.notEqual(bad.code, 0);
  assert.ok(bad.lines.some((l) => l.includes("Cannot parse app.json")), bad.lines.join("\n"));
});

test("0.31.5 without a Procfile web runs the image CMD; with one, a scaled type missing from it is skipped", async () => {
  const app = await host.createApp("n31");
  const src = await workTree(dockerfileApp({}, `FROM dokku-ps/busybox:latest\nCMD ["sleep", "4321"]\n`));
  const r = await push(app, src);
  assert.equal(r.code, 0, r.lines.join("\n"));
  const web = await deployedContainers(app);
  assert.deepEqual(web.map((c) => [c.dyno, c.cmd]), [["web.1", ["sleep", "4321"]]]);

  await commitFiles(src, { Procfile: "web: sleep 86400\n" });
  host.seedFile(join(host.lib, "config", "ps", app, "scale"), "web=1\nclock=1\n", 0o600);
  const again = await push(app, src);
  assert.equal(again.code, 0);
  assert.ok(again.lines.includes(" !     Skipping clock as it is missing from the current Procfile"), again.lines.join("\n"));
  assert.deepEqual((await deployedContainers(app)).map((c) => [c.dyno, c.cmd]), [["web.1", ["sleep", "86400"]]]);
});

test("0.31.5 wait-to-retire comes from checks:set (checks-get-property), not DOKKU_WAIT_TO_RETIRE", async () => {
  const app = await host.createApp("w31");
  assert.equal((await host.dokku("config:set", "--no-restart", app, "DOKKU_WAIT_TO_RETIRE=0")).code, 0);
  const set = await host.dokku("checks:set", app, "wait-to-retire", "7");
  assert.deepEqual([set.code, set.stdout], [0, "=====> Setting wait-to-retire to 7\n"]);
  const prop = await host.dokku("plugin:trigger", "checks-get-property", app, "wait-to-retire");
  assert.equal(prop.stdout, "7\n");
  assert.equal((await host.dokku("checks:report", app, "--checks-global-wait-to-retire")).stdout, "0\n");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
  assert.equal((await push(app, src)).code, 0);
  const redeploy = await host.dokku("plugin:trigger", "scheduler-deploy", "docker-local", app, "latest", "");
  assert.equal(redeploy.code, 0, redeploy.stderr);
  assert.match(redeploy.stdout, /\n       Scheduling old container shutdown in 7 seconds \(web\.1\)\n/);
  assert.match(redeploy.stdout, /\n-----> Shutting down old containers in 7 seconds\n/);
  // Still up: the old one stops only after 7 seconds.
  assert.equal((await deployedContainers(app)).length, 2);
});

test("0.31.5 config:set restarts through release-and-deploy (pre-deploy again); the deploy trigger schedules without a release", async () => {
  const app = await host.createApp("c31");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" }));
  assert.equal((await push(app, src)).code, 0);
  let from = calls().length;
  const set = await host.dokku("config:set", app, "FOO=bar");
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, new RegExp(`^-----> Setting config vars\n       FOO:  bar\n-----> Restarting app ${app}\n-----> Releasing ${app}\\.\\.\\.\n-----> Checking for predeploy task\n`));
  assert.match(set.stdout, new RegExp(`\n-----> Deploying ${app} via the docker-local scheduler\\.\\.\\.\n-----> Deploying web \\(count=1\\)\n`));
  assert.match(set.stdout, /\n=====> Application deployed:\n\n$/);
  assert.ok(calls(from).includes(`pre-deploy ${app} latest`));
  assert.ok(!calls(from).some((l) => l.startsWith("app-restart ")));

  // `plugn trigger deploy <app> <tag> <type>`: what 0.31's ps:scale/ps:restart fire.
  host.seedFile(join(host.lib, "config", "ps", app, "scale"), "web=1\nworker=1\n", 0o600);
  from = calls().length;
  const deploy = await host.dokku("plugin:trigger", "deploy", app, "latest", "worker");
  assert.equal(deploy.code, 0, deploy.stderr);
  assert.match(deploy.stdout, /^-----> Deploying worker \(count=1\)\n       Attempting pre-flight checks \(worker\.1\)\n/);
  assert.doesNotMatch(deploy.stdout, /Deploying web|Releasing|Processing deployment checks/);
  assert.ok(calls(from).includes(`scheduler-deploy docker-local ${app} latest worker`));
  assert.ok(!calls(from).some((l) => l.startsWith("pre-deploy ")));
  assert.deepEqual((await deployedContainers(app)).map((c) => c.dyno).sort(), ["web.1", "worker.1"]);
});

test("0.35.20 (over 0.31.5): pre-release-builder/post-release-builder, pre-deploy only for a plugin that still has it (deprecated), unpadded checks", async () => {
  const h35 = await Host.create({ version: "0.35.20", plugin: false });
  try {
    placeCorePs(h35);
    const app = await h35.createApp("v35");
    const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" }));
    const r = await push(app, src, h35);
    assert.equal(r.code, 0, r.lines.join("\n"));
    const web = (await deployedContainers(app))[0]!;
    const expected = [
      "\x1b[1G-----> Cleaning up...",
      `\x1b[1G-----> Building ${app} from Dockerfile`,
      " !     Deprecated: please upgrade plugin to use 'pre-build' plugin trigger instead of pre-build-dockerfile",
      " !     Deprecated: please upgrade plugin to use 'post-build' plugin trigger instead of post-build-dockerfile",
      `\x1b[1G-----> Releasing ${app}...`,
      " !     Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-release-dockerfile",
      "\x1b[1G-----> Checking for predeploy task",
      "\x1b[1G       No predeploy task found, skipping",
      "\x1b[1G-----> Checking for release task",
      "\x1b[1G       No release task found, skipping",
      "\x1b[1G-----> Checking for first deploy postdeploy task",
      "\x1b[1G       No first deploy postdeploy task found, skipping",
      " !     Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-deploy",
      "\x1b[1G=====> Processing deployment checks",
      "\x1b[1m\x1b[31m !     \x1b[0m\x1b[0mNo healthchecks found in app.json for web process type",
      "\x1b[1G       No web healthchecks found in app.json. Simple container checks will be performed.",
      "\x1b[1G       For more efficient zero downtime deployments, add healthchecks to your app.json. See https://dokku.com/docs/deployment/zero-downtime-deploys/ for examples",
      `\x1b[1G-----> Deploying ${app} via the docker-local scheduler...`,
      "\x1b[1G-----> Deploying web (count=1)",
      "\x1b[1G       Attempting pre-flight checks (web.1)",
      "\x1b[1G-----> Executing 2 healthchecks",
      "\x1b[1G       Running healthcheck name='default' type='uptime' uptime=0",
      "\x1b[1G       Running healthcheck name='port listening check' attempts=3 port=5000 retries=2 timeout=5 type='listening' wait=5",
      "\x1b[1G       Healthcheck succeeded name='default'",
      "\x1b[1G       Healthcheck succeeded name='port listening check'",
      "\x1b[1G       All checks successful (web.1)",
      `\x1b[1G=====> Start of ${app} container output (${web.id.slice(0, 12)} web.1)`,
      `\x1b[1G=====> End of ${app} container output (${web.id.slice(0, 12)} web.1)`,
      "\x1b[1G-----> Deploying worker (count=0)",
      "\x1b[1G-----> Running post-deploy",
      "\x1b[1G-----> Renaming containers",
      `\x1b[1G       Renaming container ${app}.web.1.upcoming-N (${web.id.slice(0, 12)}) to ${app}.web.1`,
      "\x1b[1G-----> Checking for postdeploy task",
      "\x1b[1G       No postdeploy task found, skipping",
      "\x1b[1G=====> Application deployed:",
      "\x1b[1G",
    ];
    assertStreams(r.lines, expected);
    const names = calls(0, h35).map((l) => l.split(" ")[0]);
    const order = names.filter((n) => ["pre-release-dockerfile", "post-release-builder", "ps-can-scale", "pre-deploy", "scheduler-deploy"].includes(n!));
    assert.deepEqual(order, ["pre-release-dockerfile", "ps-can-scale", "post-release-builder", "pre-deploy", "scheduler-deploy"]);
  } finally {
    await h35.destroy();
  }
});

test("upgrade-host 0.24.10 → 0.31.5: cleanup of exited containers, VERSION, core plugins recomposed, checks install migrates DOKKU_WAIT_TO_RETIRE", async () => {
  const old = await Host.create({ version: "0.24.10", plugin: false });
  try {
    const app = await old.createApp("u31");
    const exited = await execa("docker", ["run", "--network=none", `--label=com.dokku.app-name=${app}`, "dokku-ps/busybox:latest", "true"], { reject: false });
    assert.equal(exited.exitCode, 0, exited.stderr);
    const before = await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${app}`]);
    assert.equal(before.stdout.split("\n").filter(Boolean).length, 1);
    assert.ok(lstatSync(join(old.lib, "core-plugins", "available", "git")).isSymbolicLink());

    const up = await execa(join(REPO, "host", "bin", "upgrade-host"), ["0.31.5"], { env: old.env(), reject: false, stdin: "ignore", all: true });
    assert.equal(up.exitCode, 0, up.all);
    const lines = String(up.all).split("\n");
    assert.equal(lines[0], "=====> Upgrading Dokku v0.24.10 -> v0.31.5");
    assert.match(String(up.all), new RegExp(`\n       dokku cleanup: removing exited containers of ${app}: [0-9a-f]{12}\n`));
    assert.ok(lines.includes("-----> Migrating deprecated global DOKKU_WAIT_TO_RETIRE to checks wait-to-retire property."), up.all);
    assert.equal(lines.at(-1), "=====> Dokku v0.31.5 installed");
    assert.equal((await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${app}`])).stdout, "");

    assert.equal((await old.dokku("version")).stdout, "dokku version 0.31.5\n");
    assert.equal(readFileSync(join(old.lib, "VERSION"), "utf8"), "v0.31.5\n");
    const git = join(old.lib, "core-plugins", "available", "git");
    assert.ok(lstatSync(git).isDirectory() && existsSync(join(git, ".core")));
    assert.ok(existsSync(join(old.lib, "plugins", "enabled", "checks", "checks-get-property")));
    assert.equal(readFileSync(join(old.lib, "config", "checks", "--global", "wait-to-retire"), "utf8"), "0");
    assert.doesNotMatch(readFileSync(join(old.home, "ENV"), "utf8"), /DOKKU_WAIT_TO_RETIRE/);
    assert.equal((await old.dokku("plugin:trigger", "checks-get-property", app, "wait-to-retire")).stdout, "0\n");
  } finally {
    await old.destroy();
  }
});

test("0.31.5 scheduler-stop stops the running CONTAINER* containers; with true registers them for retiring and removes them", async () => {
  const app = await host.createApp("s31");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
  assert.equal((await push(app, src)).code, 0);
  const [web] = await deployedContainers(app);
  assert.ok(web?.running);
  const stop = await host.dokku("plugin:trigger", "scheduler-stop", "docker-local", app);
  assert.deepEqual([stop.code, stop.stdout, stop.stderr], [0, "", ""]);
  const stopped = (await deployedContainers(app, true)).find((c) => c.id === web!.id);
  assert.equal(stopped?.running, false);
  assert.equal(stopped?.restartPolicy.Name, "no");
  assert.ok(existsSync(join(host.home, app, "CONTAINER.web.1")));
  const remove = await host.dokku("plugin:trigger", "scheduler-stop", "docker-local", app, "true");
  assert.equal(remove.code, 0, remove.stderr);
  assert.ok(!(await deployedContainers(app, true)).some((c) => c.id === web!.id));
  assert.match(readFileSync(join(host.lib, "data", "scheduler-docker-local", "dead-containers"), "utf8"), new RegExp(`^${app} ${web!.id} \\d+$`, "m"));
});

test("0.31.5 scheduler-pre-restore: docker's --format/--quiet warning, and no renamed-aside container is removed (the ids never match)", async () => {
  const app = await host.createApp("x31");
  const src = await workTree(dockerfileApp({ Procfile: "web: sleep 86400\n" }));
  assert.equal((await push(app, src)).code, 0);
  assert.equal((await host.dokku("plugin:trigger", "scheduler-deploy", "docker-local", app, "latest", "")).code, 0);
  const aside = (await deployedContainers(app, true)).filter((c) => /\.web\.1\.\d+$/.test(c.name));
  assert.equal(aside.length, 1);
  const r = await host.dokku("plugin:trigger", "scheduler-pre-restore", "docker-local", app);
  assert.equal(r.code, 0);
  assert.equal(r.stderr.trim(), "WARNING: Ignoring custom format, because both --format and --quiet are set.");
  assert.ok((await deployedContainers(app, true)).some((c) => c.id === aside[0]!.id));
});

test("0.31.5 a container that fails its check fails the deploy; it is stopped, recorded as failed and registered for retiring", async () => {
  const app = await host.createApp("k31");
  assert.equal((await host.dokku("config:set", "--no-restart", app, "DOKKU_DEFAULT_CHECKS_WAIT=1")).code, 0);
  const src = await workTree(dockerfileApp({ Procfile: "web: sh -c 'exit 3'\n" }));
  const r = await push(app, src);
  assert.notEqual(r.code, 0);
  assert.ok(r.lines.includes(" !     Could not start due to 1 failed checks (web.1)"), r.lines.join("\n"));
  assert.ok(r.lines.includes(`\x1b[1G=====> Start of ${app} container output (web.1)`));
  assert.ok(!r.lines.some((l) => l.includes("Running post-deploy")));
  const failed = readFileSync(join(host.lib, "data", "scheduler-docker-local", app, "failed-containers"), "utf8").trim().split(" ");
  assert.equal(failed[1], "web.1");
  const c = (await deployedContainers(app, true)).find((x) => x.id === failed[0]);
  assert.equal(c?.running, false);
  assert.ok(!existsSync(join(host.home, app, "CONTAINER.web.1")));
  assert.match(readFileSync(join(host.lib, "data", "scheduler-docker-local", "dead-containers"), "utf8"), new RegExp(`^${app} ${failed[0]} \\d+$`, "m"));
});
