import { setRestoreFlag } from "../services/restore-flag.ts";
import { readdirSync, rmSync } from "node:fs";
import { assertAppNameShape, isAppNameShape } from "../core/app-name.ts";
import { serializeFormation } from "../core/formation.ts";
import { ensureDir } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { verifyApp } from "../services/apps.ts";
import { cloneProperties, setupPsData } from "../services/ps-data.ts";
import type { Context } from "../services/context.ts";
import { mirrorFormation, readFormation, updateScaleFile } from "../services/formation.ts";
import { adoptRestartPolicy, effectiveRestartPolicy, writeDockerOptionsPolicy } from "../services/restart-policy.ts";
import { join } from "node:path";

/** Triggers that only touch files: none of them may load Docker. */

/** `post-create <app>`: default restart policy, data dir, formation `web=1`. */
export function postCreate(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  writeDockerOptionsPolicy(ctx, app as string, effectiveRestartPolicy(ctx, app as string));
  ensureDir(ctx.paths.psDataDir(app as string));
  updateScaleFile(ctx, app as string);
}

/**
 * `post-delete <app>`: forget everything ps kept for the app. The app dir is
 * gone by now, so only the name's shape can be checked, and it must be: the
 * name becomes a path to remove recursively (`../x` would leave the data dir).
 */
export function postDelete(ctx: Context, [app]: string[]): void {
  if (!app) return;
  assertAppNameShape(app);
  rmSync(ctx.paths.psDataDir(app), { recursive: true, force: true });
  ctx.props.destroy(app);
}

/**
 * `install` (also on every plugin upgrade): property and data dirs, and
 * adoption of apps created by Dokku's own ps. Files that passed the previous
 * version's validation are forgotten: its rules may differ.
 */
export function install(ctx: Context): void {
  for (const app of listDataDirs(ctx)) {
    rmSync(join(ctx.paths.psDataDir(app), "validated"), { recursive: true, force: true });
  }
  setupPsData(ctx, (app) => {
    adoptRestartPolicy(ctx, app);
    // The 0.31.5-format mirror of an existing DOKKU_SCALE (see mirrorFormation).
    const formation = readFormation(ctx, app, false);
    if (formation !== undefined) mirrorFormation(ctx, app, formation);
  });
}

/** `post-app-clone-setup <old> <new>` / `post-app-rename-setup <old> <new>`. */
export function cloneSetup(ctx: Context, [from, to]: string[], rename: boolean): void {
  cloneProperties(ctx, from, to, rename);
}

/** `core-post-deploy <app> …`: a deployed app is one to restore after a reboot. */
export async function corePostDeploy(ctx: Context, [app]: string[]): Promise<void> {
  verifyApp(ctx, app);
  // Dokku's ps: config.SetMany(DOKKU_APP_RESTORE=1, no restart), which fires post-config-update.
  await setRestoreFlag(ctx, app as string, true);
  ctx.commonProps.set(app as string, "deployed", "true");
}

/** `post-stop <app>`: a stopped app stays stopped across `ps:restore` (0.38+: the `restore` property). */
export async function postStop(ctx: Context, [app]: string[]): Promise<void> {
  verifyApp(ctx, app);
  await setRestoreFlag(ctx, app as string, false);
}

/** `pre-start <app>`: the formation must exist before containers start. */
export function preStart(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  if (readFormation(ctx, app as string, false) === undefined) updateScaleFile(ctx, app as string);
}

/** `ps-current-scale <app>`: the formation as `type=count` lines. */
export function psCurrentScale(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  const formation = readFormation(ctx, app as string) ?? updateScaleFile(ctx, app as string);
  log.out(serializeFormation(formation));
}

/** `docker-args-process-deploy <app> …`: pass the chain through and add the restart policy. */
export function dockerArgsProcessDeploy(ctx: Context, [app]: string[], stdin: string): void {
  verifyApp(ctx, app);
  log.out(`${stdin} --restart=${effectiveRestartPolicy(ctx, app as string)}`);
}

/**
 * The app dirs of `$DOKKU_LIB_ROOT/data/ps`. Not every entry is one: `retire`
 * is ps:retire's flock file (cron runs ps:retire every 5 minutes on a stock
 * host), and symlinks or odd names are nobody's app dir to clean.
 */
export function listDataDirs(ctx: Context): string[] {
  try {
    return readdirSync(join(ctx.paths.libRoot, "data", "ps"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && isAppNameShape(entry.name))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
