/**
 * Integration harness: a throw-away Dokku-compatible host (host/bin/dokku)
 * with the built plugin installed by install.sh, real git pushes and the
 * real Docker engine. Nothing here mocks Docker or git.
 */
import assert from "node:assert/strict";
import { execa, type Options } from "execa";
import { chmodSync, chownSync, cpSync, existsSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { request as httpRequest } from "node:http";
import { dirname, join, resolve } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { tempDir } from "../temp.ts";
import { contractFor, type DokkuContract } from "../../src/core/dokku-contract.ts";
import { parseEnvFile } from "../../src/core/env-file.ts";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DOKKU = join(REPO, "host", "bin", "dokku");
export const BASE_IMAGE = "dokku-ps/busybox:latest";
/**
 * The Dokku version hosts speak unless Host.create is told one
 * (`DOKKU_PS_HOST_VERSION=0.31.5 npm test` runs the suite on 0.31.5 hosts).
 */
export const HOST_VERSION = (process.env["DOKKU_PS_HOST_VERSION"] || "0.24.10").replace(/^v/, "");

/*
 * Which Dokku a test file concerns (issue 14: the suite runs on both
 * versions; a test that concerns one version says which).
 *
 * - A file that says nothing is version-agnostic: its hosts are
 *   `Host.create()` without a version (HOST_VERSION), and scripts/test.sh
 *   runs it twice, on 0.24.10 and on 0.31.5 (DOKKU_PS_HOST_VERSION). Where
 *   an expectation differs by version it asks `host.contract` (the plugin's
 *   own src/core/dokku-contract.ts) or `host.version`, with the difference
 *   backed by the real records (shared/real-dokku-0.31.5/transcripts/).
 * - A file that concerns one Dokku exports its version and creates every
 *   host with it:
 *
 *       // This file concerns Dokku 0.24.10 only: <why>.
 *       export const CONCERNS_DOKKU = "0.24.10";
 *       host = await Host.create({ version: CONCERNS_DOKKU });
 *
 *   scripts/test.sh reads that line (`^export const CONCERNS_DOKKU = "…";`)
 *   and runs the file once, in the 0.24.10 pass (where every file runs);
 *   test/concerns-dokku.test.ts checks the convention. A single test of an
 *   agnostic file that concerns one version creates its own
 *   `Host.create({ version })` and says so in its name.
 */

/** The versions a file may concern (those host/ speaks). */
export const HOST_VERSIONS = ["0.24.10", "0.31.5", "0.35.20", "0.38.27"] as const;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without any DOKKU_* variable, like an operator's shell. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("DOKKU_") && !k.startsWith("GIT_") && k !== "CI_DOKKU") env[k] = v;
  }
  return { ...env, ...extra };
}

let privateCwd: string | undefined;

/**
 * The directory every command the tests start runs in unless told otherwise:
 * a private one (mkdtemp, chmod 0700, owned by the test's user, root), as an
 * operator's `/root` is. The dokku user, which every ps command runs as,
 * cannot enter it, so no test passes only because of the caller's working
 * directory. Removed when the test process exits (nothing left in /tmp).
 */
export function callerCwd(): string {
  if (privateCwd === undefined) {
    // tempDir: mode 0700, removed at exit.
    privateCwd = tempDir("dokku-ps-cwd-");
  }
  return privateCwd;
}

export async function run(cmd: string, args: string[], options: Options = {}): Promise<RunResult> {
  const r = await execa(cmd, args, { reject: false, stdin: "ignore", stripFinalNewline: false, cwd: callerCwd(), ...options });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

let engineChecked: Promise<void> | undefined;

/**
 * The engine and base image must be there. Never skips: a missing engine
 * fails the test run (CI must start dockerd; see .ci/run).
 */
export function requireEngine(): Promise<void> {
  engineChecked ??= (async () => {
    const info = await run("docker", ["info", "--format", "{{.ServerVersion}}"]);
    if (info.code !== 0) throw new Error(`Docker engine not reachable: ${info.stderr.trim()} (start dockerd, see .ci/run)`);
    const base = await run(join(REPO, "host", "bin", "build-base-image"), []);
    if (base.code !== 0) throw new Error(`could not build ${BASE_IMAGE}: ${base.stderr}`);
  })();
  return engineChecked;
}

export class Host {
  readonly root: string;
  readonly home: string;
  readonly lib: string;
  private readonly apps = new Set<string>();
  /** Directory put first on PATH for every command (e.g. another Node.js). */
  private readonly binDir: string | undefined;

  /** The Dokku version the host speaks ($DOKKU_LIB_ROOT/VERSION without the `v`). */
  readonly version: string;

  /**
   * What the first ask about an app whose `deployed` property is absent
   * prints before its own output: 0.24's IsDeployed caches the answer with
   * `=====> Setting deployed to <v>`; 0.30+ caches it quietly.
   */
  deployedCacheLine(value: boolean): string {
    return this.contract.announcesDeployedCache ? `=====> Setting deployed to ${value}\n` : "";
  }

  /** The plugin's description of this Dokku's ps contract (src/core/dokku-contract.ts). */
  get contract(): DokkuContract {
    return contractFor(`v${this.version}`);
  }

  /**
   * True on a Dokku 0.38 host (host/versions/0.38.27): config ENV in
   * $DOKKU_LIB_ROOT/config/<app>/ENV, ps properties read by the scheduler.
   */
  get is038(): boolean {
    return this.version.startsWith("0.38.");
  }

  /**
   * Selects `app`'s scheduler (`--global`: every app's; no name: back to the
   * default) where this host's Dokku reads it: on 0.38 the scheduler property
   * `selected` (`scheduler:set`, which real Dokku reads from 0.30 on), on the
   * embedded 0.24.10-0.35.20 hosts config DOKKU_SCHEDULER (host/README.md).
   */
  async selectScheduler(app: string, name?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    if (this.is038) return this.dokku("scheduler:set", app, "selected", ...(name ? [name] : []));
    if (name) return this.dokku("config:set", ...(app === "--global" ? [] : ["--no-restart"]), app, `DOKKU_SCHEDULER=${name}`);
    return this.dokku("config:unset", ...(app === "--global" ? [] : ["--no-restart"]), app, "DOKKU_SCHEDULER");
  }

  /**
   * The file Dokku keeps `app`'s env in (`--global`: the global one):
   * `$DOKKU_ROOT/<app>/ENV` / `$DOKKU_ROOT/ENV` up to 0.37,
   * `$DOKKU_LIB_ROOT/config/<app>/ENV` / `config/--global/ENV` from 0.38
   * (real-dokku-0.38.27/README.md "Where ps keeps things").
   */
  envFile(app: string): string {
    if (this.is038) return join(this.lib, "config", app, "ENV");
    return app === "--global" ? join(this.home, "ENV") : join(this.home, app, "ENV");
  }

  /**
   * The app's restore flag where this host's Dokku keeps it: the config var
   * DOKKU_APP_RESTORE of its ENV (`1`/`0`, to 0.37), or the ps property
   * `restore` (`true`/`false`, 0.38+: real-dokku-0.38.27/README.md "Where ps
   * keeps things"; a property file 0600 of the Dokku user). Undefined when
   * unset; any other text fails.
   */
  restoreFlag(app: string): boolean | undefined {
    if (this.contract.restoreStore === "property") {
      const path = join(this.lib, "config", "ps", app, "restore");
      if (!existsSync(path)) return undefined;
      assertOwnedProperty(path, `${app} restore`);
      const text = readFileSync(path, "utf8");
      assert.ok(text === "true" || text === "false", `${app} restore property: ${JSON.stringify(text)}`);
      return text === "true";
    }
    let text: string;
    try {
      text = readFileSync(this.envFile(app)).toString("latin1");
    } catch {
      return undefined;
    }
    const value = parseEnvFile(text).get("DOKKU_APP_RESTORE");
    if (value === undefined) return undefined;
    assert.ok(value === "1" || value === "0", `${app} DOKKU_APP_RESTORE: ${JSON.stringify(value)}`);
    return value === "1";
  }

  /**
   * The app's restart policy where this host's Dokku keeps it (undefined
   * when none): to 0.38.8 the `--restart=<policy>` line of its deploy docker
   * options (`$DOKKU_ROOT/<app>/DOCKER_OPTIONS_DEPLOY` to 0.37, the property
   * list `config/docker-options/<app>/_default_.deploy` 0.38.0–0.38.8), which
   * ps writes also for a default or global policy; 0.38.9+ the app's own ps
   * property `restart-policy`, with no docker option line at all
   * (real-dokku-0.38.27/README.md "Where ps keeps things").
   */
  restartPolicyOf(app: string): string | undefined {
    if (this.contract.restartPolicyStore === "property") {
      for (const line of this.deployOptions(app)) assert.doesNotMatch(line, /^--restart[= ]/, `${app}: no --restart deploy option on ${this.version}`);
      const path = join(this.lib, "config", "ps", app, "restart-policy");
      if (!existsSync(path)) return undefined;
      assertOwnedProperty(path, `${app} restart-policy`);
      return readFileSync(path, "utf8");
    }
    const lines = this.deployOptions(app).filter((l) => l.startsWith("--restart="));
    assert.ok(lines.length <= 1, `${app}: one --restart line at most: ${lines.join(" | ")}`);
    return lines[0]?.slice("--restart=".length);
  }

  /** The app's deploy docker options, one per line, where this Dokku keeps them. */
  deployOptions(app: string): string[] {
    const path =
      this.contract.dockerOptionsStore === "app-file"
        ? join(this.home, app, "DOCKER_OPTIONS_DEPLOY")
        : join(this.lib, "config", "docker-options", app, "_default_.deploy");
    try {
      return readFileSync(path, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  }

  /**
   * Gives a host without dokku-ps (`plugin: false`) the core ps its Dokku
   * package ships, host/'s stand-in of it (host/bin/lay-core-ps: 0.31.5's,
   * or 0.38.27's over it; none for 0.24.10), as a new install has it.
   */
  async layCorePs(): Promise<void> {
    const r = await run(join(REPO, "host", "bin", "lay-core-ps"), [], { env: this.env() });
    if (r.code !== 0) throw new Error(`lay-core-ps failed: ${r.stderr}`);
  }

  /** True on a Dokku 0.24 host (formation in DOKKU_SCALE, read out of the image). */
  get is024(): boolean {
    return this.contract.formationStore === "dokku-scale-file";
  }

  private constructor(root: string, binDir?: string, version = HOST_VERSION) {
    this.root = root;
    this.version = version;
    this.binDir = binDir;
    this.home = join(root, "home");
    this.lib = join(root, "lib");
  }

  /**
   * A fresh host (Dokku `version`, default HOST_VERSION) with the plugin
   * installed (by `installer`, default the repo's install.sh; none with
   * `plugin: false`); old containers retire at once.
   */
  static async create(options: { binDir?: string; version?: string; plugin?: boolean; installer?: string } = {}): Promise<Host> {
    await requireEngine();
    const root = tempDir("dokku-ps-it-");
    // Commands run as the dokku user (as on Dokku): it must reach the tree.
    chmodSync(root, 0o755);
    const version = (options.version ?? HOST_VERSION).replace(/^v/, "");
    const host = new Host(root, options.binDir, version);
    // The same host, set up by the steps below in an earlier test process of
    // this run, is copied instead of set up again (scripts/test.sh: CI time).
    // Only with the repo's own install.sh: a test's own installer is its subject.
    const templates = process.env[HOST_TEMPLATES_ENV];
    if (templates && options.installer === undefined) {
      const key = createHash("sha256").update(JSON.stringify([version, options.binDir ?? "", options.plugin !== false])).digest("hex").slice(0, 16);
      const template = join(templates, key);
      if (!existsDir(template)) await Host.setUp(new Host(tempDirIn(templates, `${key}.`), options.binDir, version), options).then((t) => publishTemplate(t.root, template));
      if (existsDir(template)) {
        copyHostTree(template, root);
        return host;
      }
    }
    return Host.setUp(host, options);
  }

  /** What makes a new host: Dokku's first run, install.sh, the run's settings. */
  private static async setUp(host: Host, options: { plugin?: boolean; installer?: string }): Promise<Host> {
    // A Dokku host exists before its plugins are installed: the first call
    // lays out the tree and its VERSION, which install.sh checks.
    const init = await run(DOKKU, ["version"], { env: host.env({ DOKKU_HOST_VERSION: host.version }) });
    if (init.code !== 0) throw new Error(`host init (${host.version}) failed: ${init.stderr}`);
    if (options.plugin !== false) {
      const install = await run(options.installer ?? join(REPO, "install.sh"), [], { env: host.env() });
      if (install.code !== 0) throw new Error(`install.sh failed: ${install.stderr}`);
    }
    // 0.31 reads wait-to-retire from the checks property only; 0.38 the
    // default check's wait too (checks property --global default-wait, which
    // checks:set does not take: 0.38's checks install leaves it there from a
    // global DOKKU_DEFAULT_CHECKS_WAIT, as on the recorded 0.38.27 host).
    const settings =
      host.version === "0.24.10"
        ? [["config:set", "--global", "DOKKU_WAIT_TO_RETIRE=0", "DOKKU_DEFAULT_CHECKS_WAIT=0"]]
        : host.is038
          ? [["checks:set", "--global", "wait-to-retire", "0"]]
          : [["config:set", "--global", "DOKKU_DEFAULT_CHECKS_WAIT=0"], ["checks:set", "--global", "wait-to-retire", "0"]];
    for (const argv of settings) {
      const cfg = await host.dokku(...argv);
      if (cfg.code !== 0) throw new Error(`${argv.join(" ")} failed: ${cfg.stderr}`);
    }
    if (host.is038) host.seedFile(join(host.lib, "config", "checks", "--global", "default-wait"), "0", 0o600);
    return host;
  }

  /**
   * Plants a file in the host's tree as Dokku would have left it: owned by the
   * Dokku user (every command runs as that user), parent dirs created likewise.
   */
  seedFile(path: string, content: string | Buffer, mode = 0o644): void {
    const { uid, gid } = dokkuUser();
    const parents: string[] = [];
    for (let dir = dirname(path); !existsDir(dir); dir = dirname(dir)) parents.unshift(dir);
    for (const dir of parents) {
      mkdirSync(dir);
      chownSync(dir, uid, gid);
    }
    writeFileSync(path, content, { mode });
    chmodSync(path, mode);
    chownSync(path, uid, gid);
  }

  /**
   * Installs a fixture plugin (test/fixtures/<name>) as a third-party plugin
   * is installed: a real dir in plugins/available owned by the Dokku user
   * (plugin:install chowns it), symlinked into plugins/enabled.
   */
  installFixturePlugin(name: string): void {
    const available = join(this.lib, "plugins", "available", name);
    cpSync(join(REPO, "test", "fixtures", name), available, { recursive: true });
    chownTree(available);
    symlinkSync(available, join(this.lib, "plugins", "enabled", name));
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return cleanEnv({ DOKKU_ROOT: this.home, DOKKU_LIB_ROOT: this.lib, ...this.pathEnv(), ...extra });
  }

  /** plugn and dokku are on every process's PATH on a Dokku host (the host's bin/ here). */
  private pathEnv(): Record<string, string> {
    const hostBin = join(REPO, "host", "bin");
    return { PATH: [this.binDir, hostBin, process.env["PATH"] ?? ""].filter(Boolean).join(":") };
  }

  /** `dokku <args…>` on this host. */
  dokku(...args: string[]): Promise<RunResult> {
    return run(DOKKU, args, { env: this.env() });
  }

  /**
   * Runs argv in this host's environment with stdout and stderr on one pipe,
   * in the order written (`2>&1`, as a recorded transcript has them), stdin
   * not a terminal. Returns that text and the exit code.
   */
  async combined(argv: string[], cwd?: string): Promise<{ text: string; code: number }> {
    const r = await run("bash", ["-c", 'exec "$@" 2>&1', "combined", ...argv], { env: this.env(), cwd: cwd ?? callerCwd() });
    return { text: r.stdout, code: r.code };
  }

  dokkuWith(env: Record<string, string>, ...args: string[]): Promise<RunResult> {
    return run(DOKKU, args, { env: this.env(env) });
  }

  /** A unique app name, cleaned up with the host. */
  appName(prefix = "app"): string {
    const name = `${prefix}-${randomBytes(3).toString("hex")}`;
    this.apps.add(name);
    return name;
  }

  async createApp(prefix = "app"): Promise<string> {
    const app = this.appName(prefix);
    const r = await this.dokku("apps:create", app);
    if (r.code !== 0) throw new Error(`apps:create ${app} failed: ${r.stderr}`);
    return app;
  }

  /**
   * `git push` of a work tree's HEAD to the app's `main`, the way sshd runs it
   * for `git push dokku@host:<app>`: `dokku git-receive-pack '<app>'` (git's
   * ext:: transport), so it runs as the Dokku user.
   */
  async push(app: string, workTree: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return run("git", ["-c", "protocol.ext.allow=always", "push", "-q", `ext::${DOKKU} %S ${app}`, "HEAD:main"], {
      cwd: workTree,
      env: this.env(extraEnv),
    });
  }

  /**
   * The files of a source whose first deploy of `app` runs `formation`
   * (`type=count` lines, e.g. "web=1\nworker=2\n"), the way this host's Dokku
   * takes a formation before a push: on 0.24 a DOKKU_SCALE committed in the
   * source (pre-deploy reads it out of the image); on 0.30+, which ignores a
   * DOKKU_SCALE in the image (real-dokku-0.31.5/README.md), `ps:scale
   * --skip-deploy` first (the scale property, kept by the first deploy) and
   * the files as given.
   */
  async withFormation(app: string, files: Record<string, string>, formation: string): Promise<Record<string, string>> {
    if (this.is024) return { ...files, DOKKU_SCALE: formation };
    const tuples = formation.split("\n").filter(Boolean);
    const r = await this.dokku("ps:scale", "--skip-deploy", app, ...tuples);
    if (r.code !== 0) throw new Error(`ps:scale --skip-deploy ${app} ${tuples.join(" ")} failed: ${r.stderr}`);
    return files;
  }

  /**
   * The file this host's Dokku keeps `app`'s formation in (`type=count`
   * lines): 0.24 `$DOKKU_ROOT/<app>/DOKKU_SCALE`; 0.30+ the ps property
   * `$DOKKU_LIB_ROOT/config/ps/<app>/scale` (real-dokku-0.31.5/README.md).
   */
  formationFile(app: string): string {
    return this.is024 ? join(this.home, app, "DOKKU_SCALE") : join(this.lib, "config", "ps", app, "scale");
  }

  async destroy(): Promise<void> {
    for (const app of this.apps) {
      const list = await containerIds([`com.dokku.app-name=${app}`], true);
      if (list.length) await run("docker", ["rm", "-f", ...list]);
      // By name: a tag a test put on a shared image (the base image) goes,
      // the image stays (`rmi -f <id>` of an image other names hold fails).
      // --no-prune: the build's untagged parents may be another test's build
      // cache in use right now; scripts/sweep-build-images.sh removes them
      // when the run ends.
      const names = (await images({ reference: [`dokku/${app}`] })).flatMap((i) => i.RepoTags ?? []).filter((n) => n.startsWith(`dokku/${app}:`));
      if (names.length) await run("docker", ["rmi", "-f", "--no-prune", ...new Set(names)]);
      // The app's images a later push or release untagged (dangling, with the app's label).
      const ids = (await images({ dangling: ["true"], label: [`com.dokku.app-name=${app}`] })).map((i) => i.Id);
      if (ids.length) await run("docker", ["rmi", "--no-prune", ...ids]);
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * scripts/test.sh's dir of host templates (one per version, bin dir and
 * plugin-or-not, each a host right after Host.create's set-up), shared by the
 * run's test processes and removed with the run. Unset: every host is set up.
 */
export const HOST_TEMPLATES_ENV = "DOKKU_PS_HOST_TEMPLATES";

function tempDirIn(parent: string, prefix: string): string {
  const dir = mkdtempSync(join(parent, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Makes a set-up host the template at `template`, unless one is there
 * already (another test process was first: its copy is as good, ours goes).
 * A template whose files name its own path (not just its links) could not be
 * copied elsewhere: it is refused, and its hosts are set up each time.
 */
function publishTemplate(built: string, template: string): void {
  const named = spawnSync("grep", ["-rlF", "--", built, built], { encoding: "utf8" });
  if (named.stdout.trim() !== "") {
    rmSync(built, { recursive: true, force: true });
    return;
  }
  relinkTree(built, built, template);
  try {
    renameSync(built, template);
  } catch {
    rmSync(built, { recursive: true, force: true });
  }
}

/**
 * Copies a template host's tree into `root` (owners, modes and times kept:
 * cp -a as root), its links that led into the template led into `root`.
 */
function copyHostTree(template: string, root: string): void {
  const cp = spawnSync("cp", ["-a", "--", `${template}/.`, `${root}/`], { encoding: "utf8" });
  if (cp.status !== 0) throw new Error(`copying host template ${template}: ${cp.stderr}`);
  relinkTree(root, template, root);
}

/** Points every link under `dir` that leads to `from` or into it at the same place under `to`. */
function relinkTree(dir: string, from: string, to: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const target = readlinkSync(path);
      if (target === from || target.startsWith(`${from}/`)) {
        const { uid, gid } = lstatSync(path);
        rmSync(path);
        symlinkSync(to + target.slice(from.length), path);
        lchownSync(path, uid, gid);
      }
    } else if (entry.isDirectory()) relinkTree(path, from, to);
  }
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Hands a tree to the Dokku user (links themselves, not their targets). */
export function chownTree(path: string): void {
  const { uid, gid } = dokkuUser();
  lchownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name));
}

let cachedUser: { uid: number; gid: number } | undefined;

/** uid/gid of the Dokku system user (created by scripts/setup.sh). */
export function dokkuUser(): { uid: number; gid: number } {
  if (cachedUser) return cachedUser;
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("dokku:"));
  if (!line) throw new Error("no dokku user: run scripts/setup.sh");
  const [, , uid, gid] = line.split(":");
  cachedUser = { uid: Number(uid), gid: Number(gid) };
  return cachedUser;
}

/** A git work tree with the given files committed on `main` (removed at exit). */
export async function workTree(files: Record<string, string>): Promise<string> {
  // A push starts in the work tree: root's and private (0700, tempDir's
  // mode), as an operator's checkout under /root is; the dokku user cannot
  // enter it.
  const dir = tempDir("dokku-ps-src-");
  await commitFiles(dir, files, true);
  return dir;
}

/** Writes/deletes files (null deletes) and commits them. */
export async function commitFiles(dir: string, files: Record<string, string | null>, init = false): Promise<void> {
  const git = (...args: string[]) =>
    run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], { cwd: dir, env: cleanEnv() });
  if (init) await git("init", "-q", "-b", "main");
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (content === null) rmSync(path, { force: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      if (name.endsWith(".sh")) chmodSync(path, 0o755);
    }
  }
  await git("add", "-A");
  const r = await git("commit", "-q", "--allow-empty", "-m", "update");
  if (r.code !== 0) throw new Error(`git commit failed: ${r.stderr}`);
}

export interface ContainerFacts {
  id: string;
  name: string;
  processType: string;
  dyno: string;
  running: boolean;
  restartPolicy: { Name: string; MaximumRetryCount: number };
  image: string;
  imageId: string;
  labels: Record<string, string>;
  env: string[];
  cmd: string[];
}

/**
 * GET <path> of the Engine API on the socket the docker CLI would use
 * (DOCKER_HOST unix://…, else /var/run/docker.sock): the answer's JSON, or
 * undefined for a 404. The harness asks the engine often; a docker CLI
 * process each time was a good part of the suite's CPU (CI time).
 */
export function engineGet(path: string): Promise<any> {
  const host = process.env["DOCKER_HOST"] ?? "";
  if (host !== "" && !host.startsWith("unix://")) throw new Error(`DOCKER_HOST ${host}: the harness speaks to a unix socket only`);
  const socketPath = host.replace(/^unix:\/\//, "") || "/var/run/docker.sock";
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({ socketPath, path, method: "GET", headers: { host: "docker" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode === 404) resolvePromise(undefined);
        else if (res.statusCode !== 200) reject(new Error(`engine GET ${path}: ${res.statusCode} ${body}`));
        else resolvePromise(JSON.parse(body));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The images the engine lists for these filters (`docker images --filter …`). */
async function images(filters: Record<string, string[]>): Promise<{ Id: string; RepoTags?: string[] | null }[]> {
  return (await engineGet(`/images/json?filters=${encodeURIComponent(JSON.stringify(filters))}`)) as { Id: string; RepoTags?: string[] | null }[];
}

/** Ids of the containers with every one of these labels (`docker ps [-a] -q --filter label=…`). */
export async function containerIds(labels: string[], all = false): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: labels }));
  const list = (await engineGet(`/containers/json?all=${all ? 1 : 0}&filters=${filters}`)) as { Id: string }[];
  return list.map((c) => c.Id);
}

/** Running deploy containers of an app (with `all`, stopped ones too), straight from the engine. */
export async function deployedContainers(app: string, all = false): Promise<ContainerFacts[]> {
  const list = await containerIds([`com.dokku.app-name=${app}`, "com.dokku.container-type=deploy"], all);
  // One removed between the list and its inspect is gone, as for `docker inspect` of each.
  const parsed = (await Promise.all(list.map((id) => engineGet(`/containers/${id}/json`)))).filter(Boolean) as any[];
  return parsed.map((c) => ({
    id: c.Id,
    name: String(c.Name).replace(/^\//, ""),
    processType: c.Config.Labels["com.dokku.process-type"],
    dyno: c.Config.Labels["com.dokku.dyno"],
    running: c.State.Running,
    restartPolicy: c.HostConfig.RestartPolicy,
    image: c.Config.Image,
    imageId: c.Image,
    labels: c.Config.Labels,
    env: c.Config.Env ?? [],
    cmd: c.Config.Cmd ?? [],
  }));
}

/**
 * What 0.38's dispatcher prints first for a `--all` command: the builds
 * plugin's builds-record-start gets `--all` as the app and fails Go's flag
 * parsing (real-dokku-0.38.27/README.md "Other command output that changed":
 * `ps:restart --all --parallel -1`). Nothing before 0.38.
 */
export const buildsFlagLines = (h: Host): string =>
  h.is038 ? `flag provided but not defined: -all\nUsage of ${h.lib}/plugins/enabled/builds/builds-record-start:\n` : "";

export function countByType(containers: ContainerFacts[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of containers) counts[c.processType] = (counts[c.processType] ?? 0) + 1;
  return counts;
}

/** A Dockerfile app on the offline base image. */
export function dockerfileApp(extra: Record<string, string> = {}, dockerfile?: string): Record<string, string> {
  return {
    Dockerfile: dockerfile ?? `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nCMD ["sleep", "86400"]\n`,
    ...extra,
  };
}

export const PROCFILE_WEB_WORKER = "web: sleep 86400\nworker: sleep 86400\n";

/** A ps property of the host (`config/ps/<app>/<key>`): its text, and 0600 owned by the Dokku user, as Dokku writes it. */
export function assertPsProperty(host: Host, app: string, key: string, content: string): void {
  const path = join(host.lib, "config", "ps", app, key);
  assert.equal(readFileSync(path, "utf8"), content, `${app} ${key}`);
  assertOwnedProperty(path, `${app} ${key}`);
}

/** A property file as Dokku writes one: 0600, owned by the Dokku user. */
function assertOwnedProperty(path: string, what: string): void {
  const st = statSync(path);
  const { uid, gid } = dokkuUser();
  assert.equal(st.mode & 0o777, 0o600, `${what} mode`);
  assert.deepEqual([st.uid, st.gid], [uid, gid], `${what} owner`);
}

/**
 * A bin dir whose `node` appends each start's arguments to a log, then runs
 * the real one (plugin processes run as the dokku user: it runs the wrapper
 * and appends to the log); `during(fn)`: the ps triggers (and `commands`
 * calls, as "commands") that started Node while `fn` ran, in start order.
 */
export function nodeStartLog(): { binDir: string; during(fn: () => Promise<void>): Promise<string[]> } {
  const binDir = tempDir("dokku-ps-node-log-");
  chmodSync(binDir, 0o755);
  const log = join(binDir, "starts.log");
  writeFileSync(join(binDir, "node"), `#!/bin/sh\nprintf '%s\\n' "$*" >>'${log}'\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(binDir, "node"), 0o755);
  return {
    binDir,
    async during(fn) {
      writeFileSync(log, "");
      chmodSync(log, 0o666);
      await fn();
      return readFileSync(log, "utf8")
        .split("\n")
        .map((line) => /dist\/ps\.cjs (?:trigger|commands) (\S+)/.exec(line)?.[1])
        .filter((t): t is string => t !== undefined);
    },
  };
}
