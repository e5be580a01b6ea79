import { join } from "node:path";
import { assertAppNameShape } from "../core/app-name.ts";
import { DokkuError } from "../core/errors.ts";
import { ensureDir } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { setPermissions } from "../adapters/system-user.ts";
import { listApps } from "./apps.ts";
import type { Context } from "./context.ts";

/**
 * What the `install` trigger of every Dokku version sets up: the property
 * root, `data/ps` and each app's data dir (0755), then `adopt(app)` for each
 * app. It runs as root (install.sh, `dokku plugin:install`): what it creates
 * goes to the Dokku user (files.ts), with Dokku's modes, as Dokku's own
 * install does. A failure for one app is a warning naming it; the others
 * are still set up.
 */
export function setupPsData(ctx: Context, adopt: (app: string) => void = () => {}): void {
  ctx.props.setup();
  ctx.props.repairPermissions();
  const dataRoot = join(ctx.paths.libRoot, "data", "ps");
  ensureDir(dataRoot);
  setPermissions(dataRoot, 0o755);
  for (const app of listApps(ctx)) {
    try {
      ensureDir(ctx.paths.psDataDir(app));
      setPermissions(ctx.paths.psDataDir(app), 0o755);
      adopt(app);
    } catch (error) {
      log.warn(`Unable to set up ps for ${app}: ${(error as Error).message}`);
    }
  }
}

/**
 * `post-app-clone-setup` / `post-app-rename-setup <old> <new>`: the app's ps
 * properties follow it (a rename drops the old ones). False when a name is
 * missing (nothing done).
 */
export function cloneProperties(ctx: Context, from: string | undefined, to: string | undefined, rename: boolean): boolean {
  if (!from || !to) return false;
  // Both names become property paths (read from one, written to the other).
  assertAppNameShape(from);
  assertAppNameShape(to);
  // Renaming onto itself would copy the properties onto themselves, then destroy them.
  if (from === to) throw new DokkuError(`Unable to ${rename ? "rename" : "clone"} ${from} onto itself`);
  ctx.props.clone(from, to);
  if (rename) ctx.props.destroy(from);
  return true;
}
