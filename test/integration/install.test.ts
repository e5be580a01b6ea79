/**
 * Installing and upgrading as an operator will (issue 11): a host seeded like
 * a real Dokku 0.24.10 host — apps deployed with core ps's layout, a
 * non-default restart policy, a stopped app, the `data/ps/retire` lock file of
 * ps:retire, everything owned by dokku:dokku — with Dokku's core ps (a
 * stand-in, test/fixtures/core-ps) where Dokku keeps it. Then `./install.sh`
 * as root, every ps command as the dokku user, `./install.sh` again, a
 * failure half-way, and `--uninstall`.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execa } from "execa";
import {
  chownSync,
  cpSync,
  existsSync,
  lchownSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Host, REPO, callerCwd, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

// This file concerns Dokku 0.24.10 only: a host seeded like a real 0.24.10 host, with a stand-in for core ps 0.24.10 (0.31.5's install and --uninstall: dokku-0.31.test.ts).
export const CONCERNS_DOKKU = "0.24.10";

const INSTALL = join(REPO, "install.sh");
const CORE_PS = join(REPO, "test", "fixtures", "core-ps");

let host: Host;
/** Deployed, running, `--restart=unless-stopped` chosen by the operator. */
let web: string;
/** Deployed, then stopped (`DOKKU_APP_RESTORE="0"`). */
let stopped: string;
let dokkuUid: number;
let dokkuGid: number;

function idOf(file: string, name: string): number {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.split(":")[0] === name);
  if (!line) throw new Error(`${name} is not in ${file} (scripts/setup.sh creates the dokku user)`);
  return Number(line.split(":")[2]);
}

/** `./install.sh [args]` as root, with only the host's roots in the environment (as an operator's sudo). */
async function installSh(args: string[] = [], extra: Record<string, string> = {}) {
  const r = await execa(INSTALL, args, { reject: false, stdin: "ignore", cwd: callerCwd(), env: host.env(extra), extendEnv: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

interface Entry {
  kind: "d" | "f" | "l";
  uid: number;
  gid: number;
  mode: number;
  /** sha256 of a file's bytes, a link's target. */
  data: string;
}

/** Every entry under `roots`: kind, owner, mode and content. */
function snapshot(...roots: string[]): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (path: string): void => {
    const st = lstatSync(path);
    const base = { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
    if (st.isSymbolicLink()) out.set(path, { kind: "l", ...base, data: readlinkSync(path) });
    else if (st.isDirectory()) {
      out.set(path, { kind: "d", ...base, data: "" });
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else out.set(path, { kind: "f", ...base, data: createHash("sha256").update(readFileSync(path)).digest("hex") });
  };
  for (const root of roots) if (existsSync(root)) walk(root);
  return out;
}

function dataTrees(): string[] {
  return [host.home, join(host.lib, "data"), join(host.lib, "config")];
}

/** Entries added or changed between two snapshots. */
function changed(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  const out: string[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old || JSON.stringify(old) !== JSON.stringify(entry)) out.push(path);
  }
  return out;
}

function notOwnedByDokku(entries: Map<string, Entry>): string[] {
  return [...entries].filter(([, e]) => e.uid !== dokkuUid || e.gid !== dokkuGid).map(([p, e]) => `${p} ${e.uid}:${e.gid}`);
}

/** The mode Dokku 0.24.10 gives what ps may write (properties.go, SetPermissions, WriteSliceToFile, CopyFromImage). */
function dokkuMode(path: string, kind: Entry["kind"]): number | undefined {
  if (kind === "d") return 0o755;
  if (kind === "l") return undefined;
  if (path.startsWith(join(host.lib, "config") + "/")) return 0o600; // property values
  const name = path.split("/").pop() as string;
  if (["DOKKU_SCALE", "DOCKER_OPTIONS_DEPLOY", "ENV"].includes(name)) return 0o600;
  if (name === "Procfile") return 0o644;
  return undefined;
}

const coreLink = () => join(host.lib, "core-plugins", "available", "ps");
const available = () => join(host.lib, "plugins", "available", "ps");
const enabled = () => join(host.lib, "plugins", "enabled", "ps");

/** Dokku's core ps is the enabled ps plugin: available/ps -> core-plugins/available/ps, nothing of an install left behind. */
function assertCorePsInPlace(): void {
  assert.ok(lstatSync(available()).isSymbolicLink(), "plugins/available/ps is a symlink again");
  assert.equal(readlinkSync(available()), coreLink());
  assert.ok(existsSync(join(available(), "CORE_PS_STAND_IN")), "available/ps resolves to core ps");
  assert.ok(existsSync(join(enabled(), "CORE_PS_STAND_IN")), "enabled/ps resolves to core ps");
  const leftovers = readdirSync(join(host.lib, "plugins", "available")).filter((n) => n.startsWith(".ps-"));
  assert.deepEqual(leftovers, [], "no staged or old plugin copy left");
  assert.ok(!existsSync(join(host.lib, "plugins", ".dokku-ps-core-backup")) && !isLink(join(host.lib, "plugins", ".dokku-ps-core-backup")));
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function chownTree(path: string): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return lchownSync(path, dokkuUid, dokkuGid);
  chownSync(path, dokkuUid, dokkuGid);
  if (st.isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name));
}

/** Rewrites an app's files to what Dokku 0.24.10's own ps (and config plugin) would have left. */
function reshapeToCorePs(app: string, files: { scale: string; env: string; dockerOptions: string }): void {
  const appDir = join(host.home, app);
  writeFileSync(join(appDir, "DOKKU_SCALE"), files.scale, { mode: 0o600 });
  writeFileSync(join(appDir, "ENV"), files.env, { mode: 0o600 });
  writeFileSync(join(appDir, "DOCKER_OPTIONS_DEPLOY"), files.dockerOptions, { mode: 0o600 });
  rmSync(join(appDir, "DOKKU_SCALE.extracted"), { force: true });
  // dokku-ps's own derived files and properties: core ps has none of them.
  const data = join(host.lib, "data", "ps", app);
  for (const name of readdirSync(data)) if (name !== "Procfile") rmSync(join(data, name), { recursive: true, force: true });
  rmSync(join(host.lib, "config", "ps", app), { recursive: true, force: true });
  assert.equal(readFileSync(join(host.lib, "config", "common", app, "deployed"), "utf8"), "true");
  assert.ok(existsSync(join(data, "Procfile")), "core ps keeps the extracted Procfile");
}

before(async () => {
  assert.equal(process.getuid?.(), 0, "install.test.ts runs install.sh as root, as operators do");
  dokkuUid = idOf("/etc/passwd", "dokku");
  dokkuGid = idOf("/etc/group", "dokku");
  host = await Host.create({ version: CONCERNS_DOKKU });

  // Two apps deployed and used with dokku-ps, then reshaped to core ps's layout.
  web = await host.createApp("inst-web");
  stopped = await host.createApp("inst-stop");
  const set = await host.dokku("ps:set", web, "restart-policy", "unless-stopped");
  assert.equal(set.code, 0, set.stderr);
  for (const app of [web, stopped]) {
    const push = await host.push(app, await workTree(dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" })));
    assert.equal(push.code, 0, push.stderr);
  }
  const stop = await host.dokku("ps:stop", stopped);
  assert.equal(stop.code, 0, stop.stderr);

  // Dokku's Go map order: not sorted. godotenv ENV, no final newline.
  reshapeToCorePs(web, {
    scale: "worker=0\nweb=1\n",
    env: 'DOKKU_APP_RESTORE="1"\nGREETING="hello \\"world\\" \\$HOME"',
    dockerOptions: "--restart=unless-stopped\n",
  });
  reshapeToCorePs(stopped, {
    scale: "worker=0\nweb=1\n",
    env: 'DOKKU_APP_RESTORE="0"',
    dockerOptions: "--restart=on-failure:10\n",
  });

  // Put Dokku's core ps back where Dokku keeps it, dokku-ps gone.
  const un = await installSh(["--uninstall"]);
  assert.equal(un.code, 0, un.stderr);
  rmSync(available(), { recursive: true, force: true });
  rmSync(enabled(), { force: true });
  cpSync(CORE_PS, coreLink(), { recursive: true });
  symlinkSync(coreLink(), available());
  symlinkSync(available(), enabled());
  symlinkSync(coreLink(), join(host.lib, "core-plugins", "enabled", "ps"));

  // ps:retire's flock file (a real host has one: cron runs ps:retire every 5 minutes).
  const retire = join(host.lib, "data", "ps", "retire");
  if (!existsSync(retire)) writeFileSync(retire, "", { mode: 0o600 });

  // Everything belongs to the Dokku user, as on a real host.
  for (const root of [...dataTrees(), join(host.lib, "plugins"), join(host.lib, "core-plugins", "available", "ps")]) chownTree(root);
  assertCorePsInPlace();
});

after(async () => {
  await host?.destroy();
});

describe("install.sh on a host seeded like a real Dokku 0.24.10 host", () => {
  test("a failure half-way leaves Dokku's core ps in place", async () => {
    // The install trigger cannot create ps's property root: config/ps is a plain file.
    const props = join(host.lib, "config", "ps");
    const aside = join(host.lib, "config", ".ps-aside");
    renameSync(props, aside);
    writeFileSync(props, "not a directory");
    const before = snapshot(...dataTrees());
    try {
      const r = await installSh();
      assert.notEqual(r.code, 0, "install.sh must fail");
      const lines = r.stderr.trimEnd().split("\n");
      assert.match(lines[lines.length - 1] as string, /^ ! {5}\S/, `one clear error line, got: ${r.stderr}`);
      assertCorePsInPlace();
      assert.deepEqual(changed(before, snapshot(...dataTrees())), [], "nothing of the data changed");
      const list = await host.dokku("plugin:list");
      assert.match(list.stdout, /ps\s.*stand-in for dokku core ps plugin/);
    } finally {
      rmSync(props, { force: true });
      renameSync(aside, props);
    }
  });

  test("a failure after the swap is rolled back too", async () => {
    const before = snapshot(...dataTrees());
    const r = await installSh([], { DOKKU_PS_INSTALL_TEST_FAIL: "after-swap" });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr.trimEnd().split("\n").pop() as string, /^ ! {5}\S/, r.stderr);
    assertCorePsInPlace();
    // The install trigger ran (it only adopts data, which core ps reads alike); nothing it left is root's.
    assert.deepEqual(notOwnedByDokku(snapshot(...dataTrees())), []);
    // Roll the adoption back too, so the next test starts from the seeded host.
    for (const path of changed(before, snapshot(...dataTrees()))) if (!before.has(path)) rmSync(path, { recursive: true, force: true });
    assert.deepEqual(changed(before, snapshot(...dataTrees())), []);
  });

  let installed: Map<string, Entry>;

  test("install.sh as root succeeds; what it changes is dokku:dokku with Dokku's modes", async () => {
    const before = snapshot(...dataTrees());
    const r = await installSh();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Kept Dokku's core ps plugin aside/);
    installed = snapshot(...dataTrees());
    assert.deepEqual(notOwnedByDokku(installed), [], "every entry of DOKKU_ROOT, data and config is dokku's");
    const touched = changed(before, installed);
    for (const path of touched) {
      const e = installed.get(path) as Entry;
      const mode = dokkuMode(path, e.kind);
      if (mode !== undefined) assert.equal(e.mode.toString(8), mode.toString(8), `mode of ${path}`);
    }
    // The operator's restart policy became the app's own (a property, as dokku-ps keeps it).
    const prop = join(host.lib, "config", "ps", web, "restart-policy");
    assert.ok(touched.includes(prop), `adopted: ${touched.join(", ")}`);
    assert.equal(readFileSync(prop, "utf8"), "unless-stopped");
    // Core ps's files are read as they are: nothing in the app dirs changed, the retire lock untouched.
    assert.deepEqual(touched.filter((p) => p.startsWith(host.home + "/")), []);
    const retire = join(host.lib, "data", "ps", "retire");
    assert.deepEqual(installed.get(retire), before.get(retire));
    assert.ok(!touched.includes(retire));
    // The plugin's own copy belongs to dokku too, as `plugin:install` leaves plugins.
    assert.ok(!lstatSync(available()).isSymbolicLink());
    assert.deepEqual(notOwnedByDokku(snapshot(available())), []);
    assert.equal(lstatSync(join(available(), "install")).mode & 0o777, 0o755);
    assert.equal(readlinkSync(enabled()), available());
    assert.ok(isLink(join(host.lib, "plugins", ".dokku-ps-core-backup")));
  });

  test("every ps command then works as the dokku user", async () => {
    const ok = async (...args: string[]) => {
      const r = await host.dokku(...args);
      assert.equal(r.code, 0, `dokku ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    assert.match(await ok("ps:report", web), /Ps restart policy:\s+unless-stopped/);
    assert.match(await ok("ps:report", stopped), /Running:\s+false/);
    const scale = await ok("ps:scale", web);
    assert.match(scale, /web:\s+1/);
    assert.match(scale, /worker:\s+0/);
    await ok("ps:set", stopped, "restart-policy", "always");
    assert.equal((await ok("ps:report", stopped, "--ps-restart-policy")).trim(), "always");
    await ok("ps:inspect", web);
    await ok("ps:restart", web);
    const containers = await deployedContainers(web);
    assert.deepEqual(
      containers.map((c) => c.restartPolicy.Name),
      ["unless-stopped"],
    );
    await ok("ps:start", stopped);
    assert.equal((await deployedContainers(stopped)).length, 1);
    await ok("ps:stop", stopped);
    // Also proof that they ran as dokku: pre-deploy's hot/ dir is a plain mkdir, root's had root run it.
    assert.ok(existsSync(join(host.lib, "data", "ps", web, "hot")));
    assert.deepEqual(notOwnedByDokku(snapshot(...dataTrees())), []);
  });

  test("install.sh again changes nothing", async () => {
    const before = snapshot(...dataTrees());
    const plugin = snapshot(available());
    const r = await installSh();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(changed(before, snapshot(...dataTrees())), []);
    assert.deepEqual(changed(snapshot(...dataTrees()), before), []);
    // Only the plugin's own copy is new; its owners and modes are the same.
    // Its code cache starts empty again (written by the commands run since).
    const again = snapshot(available());
    const cached = join(available(), "dist", "code-cache") + "/";
    const strip = (m: Map<string, Entry>) =>
      [...m].filter(([p]) => !p.startsWith(cached)).map(([p, e]) => `${p} ${e.kind} ${e.uid}:${e.gid} ${e.mode.toString(8)}`);
    assert.ok([...plugin.keys()].some((p) => p.startsWith(cached)), "the commands before wrote their code cache");
    assert.deepEqual([...again.keys()].filter((p) => p.startsWith(cached)), [], "a new install starts with none");
    assert.deepEqual(strip(again), strip(plugin));
  });

  test("--uninstall restores core ps and leaves files Dokku's ps reads", async () => {
    const r = await installSh(["--uninstall"]);
    assert.equal(r.code, 0, r.stderr);
    assertCorePsInPlace();
    const list = await host.dokku("plugin:list");
    assert.match(list.stdout, /ps\s.*stand-in for dokku core ps plugin/);
    for (const app of [web, stopped]) {
      const scale = readFileSync(join(host.home, app, "DOKKU_SCALE"), "utf8");
      assert.match(scale, /^([a-z0-9-]+=\d+\n)+$/, `DOKKU_SCALE of ${app}: proc=count lines`);
      const options = readFileSync(join(host.home, app, "DOCKER_OPTIONS_DEPLOY"), "utf8");
      assert.match(options, /^--restart=\S+$/m);
      // dokku-ps's derived files are gone; the extracted Procfile stays.
      assert.deepEqual(readdirSync(join(host.lib, "data", "ps", app)), ["Procfile"]);
    }
    assert.match(readFileSync(join(host.home, web, "DOCKER_OPTIONS_DEPLOY"), "utf8"), /^--restart=unless-stopped$/m);
    assert.match(readFileSync(join(host.home, stopped, "DOCKER_OPTIONS_DEPLOY"), "utf8"), /^--restart=always$/m);
    assert.match(readFileSync(join(host.home, web, "ENV"), "utf8"), /^GREETING="hello \\"world\\" \\\$HOME"$/m);
    assert.ok(existsSync(join(host.lib, "data", "ps", "retire")));
    assert.deepEqual(notOwnedByDokku(snapshot(...dataTrees())), []);
  });
});
