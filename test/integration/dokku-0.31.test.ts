/**
 * Dokku 0.31.5's ps contract (VERSION `v0.31.5`; these tests concern that
 * version only): the formation in `config/ps/<app>/scale` as core ps 0.31.5
 * writes it, its triggers fired as a deploy fires them (through plugn, with a
 * DOKKU_PID), ps:scale's texts, can-scale, ps:report's 9 flags, and
 * install.sh / --uninstall leaving the files as core ps reads them.
 *
 * The triggers are run as the installed executables (as plugn runs them),
 * nothing is deployed here; the real pushes are in dokku-0.31-deploy.test.ts.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { contractFor } from "../../src/core/dokku-contract.ts";
import { Host, REPO, dokkuUser } from "./harness.ts";

// This file concerns Dokku 0.31.5 only: core ps 0.31.5's contract.
export const CONCERNS_DOKKU = "0.31.5";

const INSTALL = join(REPO, "install.sh");
const DOKKU_PID = "4242";
const RECORD = readFileSync(join(REPO, "test", "fixtures", "real-dokku-0.31.5", "core-ps-0.31.5-extra.log"), "utf8");

let host: Host;
let plugin: string;

async function installSh(args: string[] = []) {
  const r = await execa(INSTALL, args, { reject: false, stdin: "ignore", env: host.env(), extendEnv: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * The installed ps trigger executable, as plugn runs it during a deploy (one
 * DOKKU_PID for the whole deploy); only ps's, not every plugin's hook.
 */
async function fire(trigger: string, args: string[]) {
  const r = await execa(join(plugin, trigger), args, {
    reject: false,
    stdin: "ignore",
    env: host.env({ DOKKU_PID }),
    extendEnv: false,
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function fireOk(trigger: string, args: string[]) {
  const r = await fire(trigger, args);
  assert.equal(r.code, 0, `${trigger}: ${r.stderr}`);
  return r;
}

const scalePath = (app: string, key = "scale") => join(host.lib, "config", "ps", app, key);
const dataPath = (app: string, file: string) => join(host.lib, "data", "ps", app, file);

function assertDokkuOwned(path: string, mode: number): void {
  const st = statSync(path);
  const { uid, gid } = dokkuUser();
  assert.equal(st.mode & 0o777, mode, `${path} mode ${(st.mode & 0o777).toString(8)}`);
  assert.equal(st.uid, uid, `${path} owner`);
  assert.equal(st.gid, gid, `${path} group`);
}

/** A pushed source tree (what core-post-extract gets as its work dir). */
function sourceDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dokku-ps-src-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The triggers of a deploy that touch ps's files, in Dokku 0.31.5's order. */
async function deployTriggers(app: string, files: Record<string, string>): Promise<void> {
  const src = sourceDir(files);
  try {
    const extract = await fire("core-post-extract", [app, src]);
    assert.equal(extract.code, 0, extract.stderr);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  const pre = await fire("pre-deploy", [app, "latest"]);
  assert.equal(pre.code, 0, pre.stderr);
  const post = await fire("core-post-deploy", [app, "5000", "127.0.0.1", "latest"]);
  assert.equal(post.code, 0, post.stderr);
}

before(async () => {
  host = await Host.create({ version: "0.31.5" });
  plugin = join(host.lib, "plugins", "available", "ps");
});
after(async () => {
  await host?.destroy();
});

test("0.31.5: install.sh installs core ps 0.31.5's trigger executables and newer ps's (forward), none of 0.24's own", () => {
  const expected = contractFor("v0.31.5").triggers;
  for (const name of expected) assert.ok(lstatSync(join(plugin, name)).mode & 0o111, name);
  // For an in-place upgrade to 0.35+/0.36+/0.38.9+ (no-ops on 0.31.5: test/fast-paths-0.38.test.ts).
  for (const name of ["post-release-builder", "ps-get-property", "docker-args-process-deploy"]) assert.ok(lstatSync(join(plugin, name)).mode & 0o111, name);
  for (const gone of ["post-extract", "procfile-extract", "procfile-remove", "pre-start"]) {
    assert.ok(!existsSync(join(plugin, gone)), `${gone} is not a 0.31.5 trigger`);
  }
  // The push's hooks have a shell fast path (scripts/fast-paths.sh, test/fast-paths-0.31.test.ts):
  // the scheduler's per-container ones, core-post-extract's Procfile copy, app-json's ps-can-scale.
  for (const name of ["core-post-deploy", "core-post-extract", "procfile-exists", "procfile-get-command", "ps-can-scale", "ps-current-scale"]) {
    assert.equal(readFileSync(join(plugin, name), "utf8"), readFileSync(join(REPO, "scripts", "shim-fast.sh"), "utf8"), name);
  }
});

test("0.31.5: ps:help is core ps 0.31.5's, byte for byte", async () => {
  const recorded = RECORD.split("$ dokku ps:help\n")[1]?.split("[exit 0")[0];
  const r = await host.dokku("ps:help");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, recorded);
});

test("0.31.5: apps:create stores web=1 in config/ps/<app>/scale (dokku:dokku 0600, dir 0755), no DOKKU_SCALE", async () => {
  const app = await host.createApp("v31new");
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\n");
  assertDokkuOwned(scalePath(app), 0o600);
  assertDokkuOwned(join(host.lib, "config", "ps", app), 0o755);
  assert.ok(!existsSync(join(host.home, app, "DOKKU_SCALE")));
  const current = await fire("ps-current-scale", [app]);
  assert.equal(current.stdout, "web=1", "no final newline");
});

test("0.31.5: a first deploy's triggers store web=1 and every other Procfile type at 0; the Procfile copy follows", async () => {
  const app = await host.createApp("v31dep");
  const src = sourceDir({ Procfile: "web: sleep 86400\nworker: sleep 86400\nclock: sleep 86400\n" });
  try {
    await fireOk("core-post-extract", [app, src]);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  assert.equal(readFileSync(dataPath(app, `Procfile.${DOKKU_PID}`), "utf8"), "web: sleep 86400\nworker: sleep 86400\nclock: sleep 86400\n");
  assertDokkuOwned(dataPath(app, `Procfile.${DOKKU_PID}`), 0o644);
  await fireOk("procfile-exists", [app]);
  assert.equal((await fire("procfile-get-command", [app, "worker", "5000"])).stdout, "sleep 86400\n");
  await fireOk("pre-deploy", [app, "latest"]);
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\nworker=0\nclock=0\n");
  assertDokkuOwned(scalePath(app), 0o600);
  await fireOk("core-post-deploy", [app, "5000", "127.0.0.1", "latest"]);
  assert.ok(existsSync(dataPath(app, "Procfile")));
  assert.ok(!existsSync(dataPath(app, `Procfile.${DOKKU_PID}`)));
  assert.ok(!existsSync(scalePath(app, "scale.old")));
  assert.match(readFileSync(join(host.home, app, "ENV"), "utf8"), /DOKKU_APP_RESTORE="?1"?/);
  assert.equal((await fire("ps-current-scale", [app])).stdout, "clock=0\nweb=1\nworker=0");

  // The next push drops clock from the Procfile: at 0 it leaves scale (scale.old until the deploy is done).
  const src2 = sourceDir({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" });
  try {
    await fireOk("core-post-extract", [app, src2]);
  } finally {
    rmSync(src2, { recursive: true, force: true });
  }
  await fireOk("pre-deploy", [app, "latest"]);
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\nworker=0\n");
  assert.equal(readFileSync(scalePath(app, "scale.old"), "utf8"), "clock=0\n");
  await fireOk("core-post-deploy", [app]);
  assert.ok(!existsSync(scalePath(app, "scale.old")));
});

test("0.31.5: procfile-exists is answered: no Procfile in the source means none (the scheduler then runs the image's CMD as web)", async () => {
  const app = await host.createApp("v31nop");
  await deployTriggers(app, { Dockerfile: "FROM x\n" });
  const exists = await fire("procfile-exists", [app]);
  assert.notEqual(exists.code, 0);
  assert.match(exists.stderr, /Procfile does not exist/);
  assert.equal((await fire("procfile-get-command", [app, "web", "5000"])).stdout, "");
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\n");
  assert.ok(!existsSync(dataPath(app, "Procfile")));
});

test("0.31.5: a Procfile line without a colon fails core-post-extract in procfile-util's words", async () => {
  const app = await host.createApp("v31bad");
  const src = sourceDir({ Procfile: "web sleep 86400\nworker: sleep 86400\n" });
  try {
    const r = await fire("core-post-extract", [app, src]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), "!     invalid line in procfile, line 1");
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});

test("0.31.5: ps:scale show / --skip-deploy / bad input, texts and exit codes as core ps 0.31.5", async () => {
  const app = await host.createApp("v31scale");
  await deployTriggers(app, { Procfile: "web: sleep 86400\nworker: sleep 86400\n" });
  const show = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", app]);
  assert.equal(show.text, `-----> Scaling for ${app}\nproctype: qty\n--------: ---\nweb:  1\nworker: 0\n`);
  assert.equal(show.code, 0);

  const skip = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", "--skip-deploy", app, "worker=1"]);
  assert.equal(skip.text, `-----> Scaling ${app} processes: worker=1\n`);
  assert.equal(skip.code, 0);
  assert.equal(readFileSync(scalePath(app), "utf8"), "worker=1\nweb=1\n");

  const bogus = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", app, "bogus=1"]);
  assert.equal(bogus.text, `-----> Scaling ${app} processes: bogus=1\n !     bogus is not a valid process name to scale up\n`);
  assert.equal(bogus.code, 1);
  // On purpose: 0.31.5 prints the `Scaling` line (the tuples) before it checks them; dokku-ps checks
  // first, so a refused value (a secret typed as a count) is never echoed (test/integration/secrets.test.ts).
  const badCount = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", app, "web=x"]);
  assert.equal(badCount.text, ` !     Invalid count for process type web\n`);
  assert.equal(badCount.code, 1);
  // On purpose: 0.31.5 stores web=-1 (and its deploy removes the web container).
  const negative = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", app, "web=-1"]);
  assert.equal(negative.text, ` !     Invalid count for process type web: a count can not be negative\n`);
  assert.equal(negative.code, 1);
  assert.equal(readFileSync(scalePath(app), "utf8"), "worker=1\nweb=1\n", "nothing stored by a refused request");

  const noApp = await host.dokku("ps:scale");
  assert.equal(noApp.code, 1);
  assert.equal(noApp.stderr, " !     Please specify an app to run the command on\n");
});

test("0.31.5: an app.json formation (ps-can-scale false) makes ps:scale refuse; ps-set-scale still applies it", async () => {
  const app = await host.createApp("v31json");
  await deployTriggers(app, { Procfile: "web: sleep 86400\nworker: sleep 86400\n" });
  // app-json's calls for `"formation": {"worker": {"quantity": 1}}`.
  await fireOk("ps-can-scale", [app, "false"]);
  await fireOk("ps-set-scale", [app, "true", "true", "worker=1"]);
  assert.equal(readFileSync(scalePath(app, "can-scale"), "utf8"), "false");
  assertDokkuOwned(scalePath(app, "can-scale"), 0o600);
  assert.equal(readFileSync(scalePath(app), "utf8"), "worker=1\nweb=0\n", "the recorded order of a worker-only formation");

  const refused = await host.combined([join(REPO, "host", "bin", "dokku"), "ps:scale", app, "worker=2"]);
  assert.equal(refused.text, ` !     App ${app} contains an app.json file with a formations key and cannot be manually scaled\n`);
  assert.equal(refused.code, 1);
  assert.equal((await host.dokku("ps:report", app, "--ps-can-scale")).stdout, "false\n");
  assert.equal(readFileSync(scalePath(app), "utf8"), "worker=1\nweb=0\n");

  // app.json gone: can-scale true again, the last scale kept. Without a value ps-can-scale means false (as recorded).
  await fireOk("ps-can-scale", [app, "true"]);
  assert.equal((await host.dokku("ps:scale", "--skip-deploy", app, "worker=2")).code, 0);
  await fireOk("ps-can-scale", [app]);
  assert.equal(readFileSync(scalePath(app, "can-scale"), "utf8"), "false");
});

test("0.31.5: ps:report has core ps 0.31.5's 9 flags and rows; procfile-path via ps:set", async () => {
  const app = await host.createApp("v31rep");
  const bad = await host.dokku("ps:report", app, "--nonsense");
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    " !     Invalid flag passed, valid flags: --deployed, --processes, --ps-can-scale, --ps-computed-procfile-path, --ps-global-procfile-path, --ps-procfile-path, --ps-restart-policy, --restore, --running\n",
  );
  const block = await host.dokku("ps:report", app);
  assert.equal(block.code, 0, block.stderr);
  assert.equal(
    block.stdout,
    [
      `=====> ${app} ps information`,
      "       Deployed:                      false",
      "       Processes:                     0",
      "       Ps can scale:                  true",
      "       Ps computed procfile path:     Procfile",
      "       Ps global procfile path:       Procfile",
      "       Ps procfile path:              ",
      "       Ps restart policy:             on-failure:10",
      "       Restore:                       true",
      "       Running:                       false",
      "",
    ].join("\n"),
  );
  const json = await host.dokku("ps:report", app, "--format", "json");
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)), [
    "deployed", "processes", "ps-can-scale", "ps-computed-procfile-path", "ps-global-procfile-path",
    "ps-procfile-path", "ps-restart-policy", "restore", "running",
  ]);

  assert.equal((await host.dokku("ps:set", app, "procfile-path", "deploy/Procfile")).stdout, "=====> Setting procfile-path to deploy/Procfile\n");
  assert.equal((await host.dokku("ps:set", "--global", "procfile-path", "Procfile.all")).code, 0);
  assert.equal((await host.dokku("ps:report", app, "--ps-procfile-path")).stdout, "deploy/Procfile\n");
  assert.equal((await host.dokku("ps:report", app, "--ps-global-procfile-path")).stdout, "Procfile.all\n");
  assert.equal((await host.dokku("ps:report", app, "--ps-computed-procfile-path")).stdout, "deploy/Procfile\n");
  const keys = await host.dokku("ps:set", app, "restore", "false");
  assert.equal(keys.stderr, " !     Invalid property specified, valid properties include: procfile-path, restart-policy\n");
  const global = await host.dokku("ps:set", "--global", "restart-policy", "always");
  assert.equal(global.stderr, " !     Property cannot be specified globally\n");
  assert.equal((await host.dokku("ps:set", app, "procfile-path")).stdout, "=====> Unsetting procfile-path\n");
  assert.equal((await host.dokku("ps:set", "--global", "procfile-path")).code, 0);

  // The copy follows procfile-path: deploy/Procfile becomes the app's Procfile.
  assert.equal((await host.dokku("ps:set", app, "procfile-path", "deploy/Procfile")).code, 0);
  const src = sourceDir({});
  try {
    mkdirSync(join(src, "deploy"));
    writeFileSync(join(src, "deploy", "Procfile"), "web: sleep 1\nclock: sleep 2\n");
    await fireOk("core-post-extract", [app, src]);
    assert.equal(readFileSync(join(src, "Procfile"), "utf8"), "web: sleep 1\nclock: sleep 2\n");
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  await fireOk("pre-deploy", [app, "latest"]);
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\nclock=0\n");
});

test("0.31.5: install.sh again and --uninstall leave scale, can-scale and an old DOKKU_SCALE as they are", async () => {
  const app = await host.createApp("v31keep");
  await deployTriggers(app, { Procfile: "web: sleep 86400\nworker: sleep 86400\n" });
  assert.equal((await host.dokku("ps:scale", "--skip-deploy", app, "worker=3")).code, 0);
  host.seedFile(join(host.home, app, "DOKKU_SCALE"), "web=1\nworker=2\n", 0o600);
  const snapshot = () =>
    ["scale", "can-scale"].filter((k) => existsSync(scalePath(app, k))).map((k) => {
      const st = statSync(scalePath(app, k));
      return [k, readFileSync(scalePath(app, k), "utf8"), st.mode & 0o777, st.uid, st.gid];
    });
  const before = snapshot();
  assert.deepEqual(before[0]?.slice(0, 3), ["scale", "worker=3\nweb=1\n", 0o600]);

  const again = await installSh();
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(snapshot(), before);
  assert.equal(readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8"), "web=1\nworker=2\n", "install deletes nothing");

  const un = await installSh(["--uninstall"]);
  assert.equal(un.code, 0, un.stderr);
  assert.deepEqual(snapshot(), before, "core ps 0.31.5 reads this scale as it is");
  assert.ok(existsSync(dataPath(app, "Procfile")), "the Procfile copy core ps reads stays");
  const back = await installSh();
  assert.equal(back.code, 0, back.stderr);
});

test("0.31.5: a trigger only 0.24 has (an executable left from before a Dokku upgrade) does nothing; an unknown one is refused", async () => {
  const app = await host.createApp("v31old");
  const entry = (args: string[]) =>
    execa("node", [join(plugin, "dist", "ps.cjs"), "trigger", ...args], { reject: false, stdin: "ignore", env: host.env(), extendEnv: false });
  for (const old of ["post-extract", "procfile-extract", "procfile-remove", "pre-start"]) {
    const r = await entry([old, app, "latest"]);
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, "", ""], old);
  }
  assert.equal(readFileSync(scalePath(app), "utf8"), "web=1\n");
  const unknown = await entry(["no-such-trigger", app]);
  assert.equal(unknown.exitCode, 1);
  assert.equal(unknown.stderr, " !     Invalid plugin trigger call: no-such-trigger");
});

test("0.31.5: core-post-extract copies no file through a link in the pushed source", async () => {
  const app = await host.createApp("v31link");
  assert.equal((await host.dokku("ps:set", app, "procfile-path", "deploy/Procfile")).code, 0);
  const src = sourceDir({});
  try {
    symlinkSync("/etc", join(src, "deploy"));
    const viaDir = await fire("core-post-extract", [app, src]);
    assert.notEqual(viaDir.code, 0);
    assert.match(viaDir.stderr, /deploy\/Procfile must be a regular file in the app's source/);
    assert.equal((await host.dokku("ps:set", app, "procfile-path")).code, 0);
    symlinkSync("/etc/passwd", join(src, "Procfile"));
    const viaFile = await fire("core-post-extract", [app, src]);
    assert.notEqual(viaFile.code, 0);
    assert.match(viaFile.stderr, /Procfile must be a regular file/);
    assert.ok(!existsSync(dataPath(app, `Procfile.${DOKKU_PID}`)));
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});
