import { statSync } from "node:fs";
import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { fromByteString, readEnvFile, serializeEnvFile, toByteString, type EnvMap } from "../core/env-file.ts";
import { readIfExists, writeFileAtomic } from "./files.ts";
import { trigger } from "./plugn.ts";
import { ENV_FILE, type DokkuPaths } from "./paths.ts";

/**
 * The config plugin's ENV files, read and written directly as Dokku 0.24's Go
 * plugins do (its ps sets DOKKU_APP_RESTORE with config.SetMany, in-process;
 * spawning `dokku config:set` would cost a bash start, and would restart or
 * print what SetMany's callers suppress). The format is godotenv v1.2.0's
 * (src/core/env-file.ts).
 *
 * A change is a read-modify-write of the whole file that keeps every other
 * variable as Dokku reads it and writes exactly what Dokku's SetMany would
 * (godotenv Marshal of the whole map), into a temporary file in the same
 * directory (fsynced, the existing file's mode and owner) renamed over the
 * old one: a reader never sees half a file and a crash leaves the old or the
 * new file, never an empty one. Nothing is written when the value is already
 * the one asked for. A file godotenv cannot read (Dokku would see it empty
 * and replace it with only the variable being set) is never rewritten: the
 * change fails with a message naming the file.
 *
 * No lock. Dokku's config plugin takes none, so a lock of ours could not keep
 * an operator's concurrent `config:set` out; our writes come from
 * `core-post-deploy` (inside a deploy, under the app's deploy lock held by
 * the deploying command), `post-stop` and `ps:set`, as Dokku's own ps does.
 * The window between read and rename is a few hundred microseconds of
 * synchronous work, no wider than SetMany's own.
 */
export class ConfigStore {
  /**
   * Each ENV file as last read, with the identity of the file it came from:
   * a command otherwise reads and parses the global file again for every app
   * (ps:report of every app: ~20 ms per 50 apps). A stat per use is cheaper;
   * any write (ours or another process's: a rename is a new inode) is seen.
   */
  private readonly read = new Map<string, { identity: string; env: EnvMap }>();

  /**
   * `envFiles`: where the host's Dokku keeps ENV files (asked when first
   * needed: core/dokku-contract.ts envFiles): `$DOKKU_ROOT/<app>/ENV` and
   * `$DOKKU_ROOT/ENV` to 0.37, `$DOKKU_LIB_ROOT/config/<app>/ENV` and
   * `config/--global/ENV` from 0.38.
   */
  constructor(
    private readonly paths: DokkuPaths,
    private readonly envFiles: () => "dokku-root" | "lib-config" = () => "dokku-root",
  ) {}

  private variables(path: string): EnvMap {
    const identity = fileIdentity(path);
    let entry = this.read.get(path);
    if (!entry || entry.identity !== identity) {
      entry = { identity, env: decode(readEnvFile(readIfExists(path, "latin1") ?? "").env) };
      this.read.set(path, entry);
    }
    return new Map(entry.env);
  }

  private changed(path: string, didChange: boolean): boolean {
    this.read.delete(path);
    return didChange;
  }

  /** The file that holds the app's config vars. */
  appPath(app: string): string {
    if (this.envFiles() === "lib-config") return join(this.paths.libRoot, "config", app, ENV_FILE);
    return this.paths.appFile(app, ENV_FILE);
  }

  /** The file that holds the global config vars. */
  globalPath(): string {
    if (this.envFiles() === "lib-config") return join(this.paths.libRoot, "config", "--global", ENV_FILE);
    return join(this.paths.dokkuRoot, ENV_FILE);
  }

  /** The app's variables as Dokku reads them (empty when godotenv cannot read the file). */
  appEnv(app: string): EnvMap {
    return this.variables(this.appPath(app));
  }

  globalEnv(): EnvMap {
    return this.variables(this.globalPath());
  }

  /** App value, else global value, else undefined. */
  get(app: string, key: string): string | undefined {
    return this.appEnv(app).get(key) ?? this.globalEnv().get(key);
  }

  /** Sets one app variable without restarting anything (SetMany with restart=false); true when it changed. */
  setApp(app: string, key: string, value: string): boolean {
    return this.changed(this.appPath(app), change(this.appPath(app), key, value));
  }

  /** Removes one app variable without restarting anything; false when it was not set. */
  unsetApp(app: string, key: string): boolean {
    return this.changed(this.appPath(app), change(this.appPath(app), key, undefined));
  }

  /** Sets (value) or removes (undefined) one variable of the global ENV. */
  setGlobal(key: string, value: string | undefined): boolean {
    return this.changed(this.globalPath(), change(this.globalPath(), key, value));
  }

  /**
   * setApp/unsetApp, then, when the file changed, what SetMany/UnsetMany fire
   * after writing: `post-config-update <app> set|unset <key>` (Dokku's
   * 20_events logs it; other plugins may react).
   */
  async changeAppAndNotify(app: string, key: string, value: string | undefined): Promise<boolean> {
    const changed = value === undefined ? this.unsetApp(app, key) : this.setApp(app, key, value);
    if (changed) await trigger("post-config-update", [app, value === undefined ? "unset" : "set", key]);
    return changed;
  }

  /** setGlobal, then `post-config-update --global set|unset <key>` when it changed. */
  async changeGlobalAndNotify(key: string, value: string | undefined): Promise<boolean> {
    const changed = this.setGlobal(key, value);
    if (changed) await trigger("post-config-update", ["--global", value === undefined ? "unset" : "set", key]);
    return changed;
  }

  /**
   * The app's scheduler, as Dokku's `scheduler-detect` answers it: the
   * scheduler plugin's property `selected` (the app's, then `--global`'s;
   * plugins/scheduler/triggers.go from 0.30 on, what `scheduler:set` writes),
   * else config DOKKU_SCHEDULER (app, then global: Dokku 0.24, and the
   * embedded 0.31.5/0.35.20 hosts, host/README.md), else docker-local.
   * Read from the files, not through the trigger: a plugn call per command.
   */
  scheduler(app: string): string {
    return this.selectedScheduler(app) || this.get(app, "DOKKU_SCHEDULER") || "docker-local";
  }

  /** The global scheduler: property `selected` of `--global`, else config DOKKU_SCHEDULER, else docker-local. */
  globalScheduler(): string {
    return this.selectedScheduler("--global") || this.globalEnv().get("DOKKU_SCHEDULER") || "docker-local";
  }

  private selectedScheduler(app: string): string {
    const property = (owner: string) => (readIfExists(join(this.paths.propertyDir("scheduler", owner), "selected")) ?? "").trim();
    return (app !== "--global" && property(app)) || property("--global");
  }
}

/** What tells one version of a file from the next ("missing" when there is none). */
function fileIdentity(path: string): string {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return "missing";
  }
}

function decode(env: EnvMap): EnvMap {
  const out: EnvMap = new Map();
  for (const [key, value] of env) out.set(fromByteString(key), fromByteString(value));
  return out;
}

/** Read-modify-write of one variable (undefined: remove it); false when nothing had to change. */
function change(path: string, key: string, value: string | undefined): boolean {
  const bytes = readIfExists(path, "latin1");
  const { env, error } = readEnvFile(bytes ?? "");
  if (error !== undefined) {
    throw new DokkuError(`Unable to update ${key} in ${path}: the file cannot be read as Dokku reads it (${error}); left unchanged`);
  }
  const k = toByteString(key);
  const v = value === undefined ? undefined : toByteString(value);
  if (v === undefined ? !env.has(k) : env.get(k) === v) return false;
  if (v === undefined) env.delete(k);
  else env.set(k, v);
  writeKeepingMode(path, Buffer.from(serializeEnvFile(env), "latin1"), bytes !== undefined);
  return true;
}

/**
 * Replaces `path` atomically (writeFileAtomic). An existing file keeps its
 * mode and owner (what godotenv.Write's truncate-in-place keeps); a new one
 * is created as the config plugin creates it (os.Create) when run as the
 * Dokku user: 0666 less the umask (0644 under the usual 022, 0600 under a
 * root's 077, which `sudo dokku` passes on), owned by that user.
 */
function writeKeepingMode(path: string, content: Buffer, existed: boolean): void {
  const old = existed ? statSync(path) : undefined;
  writeFileAtomic(path, content, old ? old.mode & 0o7777 : 0o666 & ~process.umask(), old && { uid: old.uid, gid: old.gid });
}
