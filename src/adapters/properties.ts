import { lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, readIfExists, removeIfExists, writeFileAtomic } from "./files.ts";
import type { DokkuPaths } from "./paths.ts";
import { setPermissions, systemOwner } from "./system-user.ts";

/**
 * Dokku's plugin property store (contract §4.2): one file per key under
 * `$DOKKU_LIB_ROOT/config/<plugin>/<app>/`, value without trailing newline,
 * global values under the pseudo-app `--global`.
 */
export const GLOBAL_APP = "--global";

export class PropertyStore {
  constructor(
    private readonly paths: DokkuPaths,
    private readonly plugin: string,
  ) {}

  private file(app: string, key: string): string {
    return join(this.paths.propertyDir(this.plugin, app), key);
  }

  get(app: string, key: string): string | undefined {
    return readIfExists(this.file(app, key));
  }

  getWithDefault(app: string, key: string, fallback: string): string {
    return this.get(app, key) ?? fallback;
  }

  /** As Dokku's PropertyWrite: dir 0755, value 0600, both the Dokku user's (see files.ts). */
  set(app: string, key: string, value: string): void {
    const dir = this.paths.propertyDir(this.plugin, app);
    ensureDir(dir);
    setPermissions(dir, 0o755);
    writeFileAtomic(this.file(app, key), value, 0o600);
  }

  delete(app: string, key: string): void {
    removeIfExists(this.file(app, key));
  }

  /** Creates the plugin's property root (the `install` trigger does this), as Dokku's PropertySetup. */
  setup(): void {
    const root = join(this.paths.libRoot, "config", this.plugin);
    ensureDir(root);
    setPermissions(join(this.paths.libRoot, "config"), 0o755);
    setPermissions(root, 0o755);
  }

  /**
   * Run as root (the `install` trigger): gives every property dir (0755) and
   * value (0600) of this plugin back to the Dokku user, as Dokku writes them.
   * An earlier install run as root may have left them root's, which locks
   * every later command out. Nothing to do when not root.
   */
  repairPermissions(): void {
    if (!systemOwner()) return;
    const root = join(this.paths.libRoot, "config", this.plugin);
    let apps: string[];
    try {
      apps = readdirSync(root);
    } catch {
      return;
    }
    for (const app of apps) {
      const dir = join(root, app);
      if (!lstatSync(dir).isDirectory()) continue;
      setPermissions(dir, 0o755);
      for (const key of readdirSync(dir)) {
        const file = join(dir, key);
        if (lstatSync(file).isFile()) setPermissions(file, 0o600);
      }
    }
  }

  /** Copies every scalar property of `from` to `to` (app clone / rename). */
  clone(from: string, to: string): void {
    let keys: string[];
    try {
      keys = readdirSync(this.paths.propertyDir(this.plugin, from));
    } catch {
      return;
    }
    for (const key of keys) {
      if (key.startsWith(".")) continue;
      const value = this.get(from, key);
      if (value !== undefined) this.set(to, key, value);
    }
  }

  destroy(app: string): void {
    rmSync(this.paths.propertyDir(this.plugin, app), { recursive: true, force: true });
  }
}
