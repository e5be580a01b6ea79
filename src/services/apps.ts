import { readdirSync } from "node:fs";
import { assertAppNameShape, isAppNameShape } from "../core/app-name.ts";
import { APP_NOT_FOUND_EXIT, DokkuError } from "../core/errors.ts";
import { isDirectory } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { triggerOutput } from "../adapters/plugn.ts";
import type { Context } from "./context.ts";

/** Dokku's VerifyAppName: shape, then existence (exit 20). */
export function verifyApp(ctx: Context, app: string | undefined): string {
  assertAppNameShape(app);
  if (!isDirectory(ctx.paths.appDir(app))) throw new DokkuError(`App ${app} does not exist`, APP_NOT_FOUND_EXIT);
  return app;
}

/**
 * Every app: the non-hidden directories under DOKKU_ROOT whose names pass
 * the app-name rule, sorted. A directory no app could have been created
 * under (`--all`, `Foo`) is not an app: its name is never passed on as an
 * argument (a child `ps:restart --all` would recurse) nor used as a path.
 */
export function listApps(ctx: Context): string[] {
  let names: string[];
  try {
    names = readdirSync(ctx.paths.dokkuRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && isAppNameShape(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
  return names.sort();
}

/**
 * Dokku's IsDeployed: the cached `common/<app>/deployed` property, else ask
 * the app's scheduler and cache the answer. Caching goes through Dokku's
 * CommandPropertySet, which says so (`=====> Setting deployed to false`,
 * dropped in quiet mode): core ps 0.24.10 prints that line the first time a
 * command asks about an app (ps:scale, ps:report, ps:start …); 0.30+ caches
 * quietly (the contract says which).
 */
export async function isDeployed(ctx: Context, app: string): Promise<boolean> {
  const cached = ctx.commonProps.get(app, "deployed");
  if (cached !== undefined) return cached === "true";
  const { exitCode } = await triggerOutput("scheduler-is-deployed", [ctx.config.scheduler(app), app]);
  const deployed = exitCode === 0 ? "true" : "false";
  if (ctx.contract.announcesDeployedCache) log.info2Quiet(`Setting deployed to ${deployed}`);
  ctx.commonProps.set(app, "deployed", deployed);
  return deployed === "true";
}
