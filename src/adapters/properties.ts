import { readdirSync, rmSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, readIfExists, removeIfExists, writeFileAtomic } from "./files.ts";
import type { DokkuPaths } from "./paths.ts";

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

  set(app: string, key: string, value: string): void {
    ensureDir(this.paths.propertyDir(this.plugin, app));
    writeFileAtomic(this.file(app, key), value, 0o600);
  }

  delete(app: string, key: string): void {
    removeIfExists(this.file(app, key));
  }

  /** Creates the plugin's property root (the `install` trigger does this). */
  setup(): void {
    const root = join(this.paths.libRoot, "config", this.plugin);
    ensureDir(root);
    chmodSync(join(this.paths.libRoot, "config"), 0o755);
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
