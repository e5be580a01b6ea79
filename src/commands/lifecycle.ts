import { restoreDisabledBy } from "../services/restore-flag.ts";
import { join } from "node:path";
import { DokkuError, isDokkuError } from "../core/errors.ts";
import { runningStateFromStatus } from "../core/source.ts";
import { sortedEntries } from "../core/formation.ts";
import { isQuiet, log } from "../adapters/log.ts";
import { trigger, triggerOutput } from "../adapters/plugn.ts";
import { isDeployed, listApps, verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { assertEngineReachable, runningImageTag } from "../services/deploy.ts";
import { readFormation } from "../services/formation.ts";
import type { AllAppsCommand } from "../core/all-apps.ts";
import type { ParsedArgs } from "../cli-args.ts";

/**
 * ps:start / stop / restart / restore / rebuild / retire (contract §5.4,
 * §6.2, §6.4–§6.6, §6.8, §6.9) and the triggers that reuse them.
 *
 * Scheduler-agnostic: the app's containers are only ever touched through the
 * `scheduler-*` triggers of its scheduler (config DOKKU_SCHEDULER) and the
 * generic deploy triggers; nothing here talks to Docker except
 * runningImageTag, which does so only for docker-local apps.
 */

// ---- helpers ---------------------------------------------------------------

/** Go's exec error text for a failed hook (`exit status 3`). */
function hookFailure(error: unknown): string {
  if (isDokkuError(error)) return error.message || `exit status ${error.exitCode}`;
  return (error as Error).message;
}

/** Fires a trigger; a failure becomes `<prefix>: <err>` as Dokku wraps it. */
async function fireWrapped(prefix: string, name: string, args: string[]): Promise<void> {
  try {
    await trigger(name, args);
  } catch (error) {
    throw new DokkuError(`${prefix}: ${hookFailure(error)}`);
  }
}

function notDeployed(app: string): void {
  log.warn(`App ${app} has not been deployed`);
}

/** Dokku's getRunningState: second word of `scheduler-app-status`. */
async function runningState(ctx: Context, app: string): Promise<string> {
  const { stdout } = await triggerOutput("scheduler-app-status", [ctx.config.scheduler(app), app]);
  return runningStateFromStatus(stdout);
}

/** `--all`, else the app positional (ignored with --all, as in Dokku). */
async function forAppOrAll(
  ctx: Context,
  args: ParsedArgs,
  command: AllAppsCommand,
  single: (app: string) => Promise<void>,
): Promise<void> {
  if (args.bool("all")) {
    const { runAgainstAllApps } = await import("../services/all-apps.ts");
    await runAgainstAllApps(ctx, command, args.string("parallel"));
    return;
  }
  const app = verifyApp(ctx, args.positionals[0]);
  await single(app);
}

// ---- per-app actions (Dokku's Start/Stop/Restart/Restore/Rebuild) --------

/** Dokku's Start (§6.8). */
export async function start(ctx: Context, app: string): Promise<void> {
  // Dokku ignores a failure here and deploys `latest`.
  const tag = await runningImageTag(ctx, app).catch(() => "latest");
  if (!(await isDeployed(ctx, app))) return notDeployed(app);
  await assertEngineReachable(ctx, app);

  await fireWrapped("Failure in pre-start hook", "pre-start", [app]);
  const state = await runningState(ctx, app);
  if (state === "mixed") log.warn("App is running in mixed mode, releasing");
  else if (state === "false" && ctx.contract.startWarnsNotRunning) log.warn("App has been detected as not running, releasing");
  if (state !== "true") {
    await trigger("release-and-deploy", [app, tag]);
  } else {
    log.warn(`App ${app} already running`);
  }
  await trigger("proxy-build-config", [app]);
}

/** Dokku's Stop (§6.9). */
export async function stop(ctx: Context, app: string): Promise<void> {
  if (!(await isDeployed(ctx, app))) return notDeployed(app);
  await assertEngineReachable(ctx, app);
  if (!isQuiet()) log.out(`${ctx.contract.stopLine(app)}\n`);
  await trigger("scheduler-stop", [ctx.config.scheduler(app), app]);
  // ps's own post-stop hook records DOKKU_APP_RESTORE=0.
  await trigger("post-stop", [app]);
}

/** Dokku's Restart (§6.4): a full release-and-deploy of the current image. */
export async function restart(ctx: Context, app: string): Promise<void> {
  if (!(await isDeployed(ctx, app))) return notDeployed(app);
  await assertEngineReachable(ctx, app);
  if (ctx.contract.restartBy === "deploy-running-image") return deployRunningImage(ctx, app, undefined);
  await trigger("release-and-deploy", [app]);
}

/** Dokku 0.30+'s Restart / RestartProcess: `deploy <app> <tag> [<process-type>]`, no release. */
async function deployRunningImage(ctx: Context, app: string, processType: string | undefined): Promise<void> {
  const tag = await runningImageTag(ctx, app);
  if (tag === "") {
    log.warn("No deployed-image-tag property saved, falling back to full release-and-deploy");
    await trigger("release-and-deploy", [app]);
    return;
  }
  await trigger("deploy", processType === undefined ? [app, tag] : [app, tag, processType]);
}

/**
 * Beyond Dokku 0.24 (newer Dokku's `ps:restart <app> <process-name>`):
 * redeploy one process type only. Like newer Dokku's RestartProcess this goes
 * straight to the scheduler with the process type as 4th argument
 * (`scheduler-deploy <scheduler> <app> <tag> <process-type>`), so the other
 * types' containers are left alone; the scheduler replaces that type's
 * containers new-before-old, so it never drops to zero.
 */
export async function restartProcessType(ctx: Context, app: string, processType: string): Promise<void> {
  if (!(await isDeployed(ctx, app))) return notDeployed(app);
  if (ctx.contract.restartBy === "deploy-running-image") return deployRunningImage(ctx, app, processType);
  const formation = readFormation(ctx, app, false);
  const count = formation?.get(processType);
  if (formation === undefined || count === undefined) {
    const known = formation ? sortedEntries(formation).map(([type]) => type).join(", ") : "";
    throw new DokkuError(
      `Process type ${processType} is not part of the formation of ${app}${known ? ` (process types: ${known})` : ""}`,
    );
  }
  if (count === 0) {
    log.warn(`Process type ${processType} of ${app} is scaled to 0, nothing to restart`);
    return;
  }
  const tag = await runningImageTag(ctx, app);
  log.info1(`Restarting ${processType} processes of ${app}`);
  await trigger("scheduler-deploy", [ctx.config.scheduler(app), app, tag, processType]);
}

/** Dokku's Restore (§6.5). */
export async function restore(ctx: Context, app: string): Promise<void> {
  const hook = ctx.contract.restoreHook;
  await fireWrapped(`Error running ${hook}`, hook, [ctx.config.scheduler(app), app]);
  log.info1("Clearing potentially invalid proxy configuration");
  if (hook === "scheduler-pre-restore") {
    await fireWrapped("Error clearing proxy config", "proxy-clear-config", [app]).catch((error) => log.warn((error as Error).message));
  } else {
    await fireWrapped("Error clearing proxy config", "proxy-clear-config", [app]);
  }
  if (!(await isDeployed(ctx, app))) return notDeployed(app);
  const disabledBy = restoreDisabledBy(ctx, app);
  if (disabledBy) {
    log.warn(`Skipping ps:restore for ${app} as ${disabledBy}`);
    return;
  }
  log.info1("Starting app");
  await start(ctx, app);
}

/**
 * Dokku's Rebuild (§5.4): rebuild the deployed revision from the app's bare
 * repository. We resolve the revision ourselves (simple-git, read-only) and
 * pass it to `receive-app <app> <rev>`, so the git plugin checks out exactly
 * that commit into a temporary directory; no operator checkout is involved.
 *
 * No revision (never pushed, or deployed from an image only): `receive-app
 * <app>` as Dokku fires it, whose git hook does nothing then, so ps:rebuild
 * prints nothing and exits 0 as core ps 0.24.10 does (and another plugin's
 * `receive-app` still gets its say).
 */
export async function rebuild(ctx: Context, app: string): Promise<void> {
  const { deployedRevision } = await import("../services/source.ts");
  const revision = await deployedRevision(ctx, app);
  await trigger("receive-app", revision ? [app, revision.rev] : [app]);
}

// ---- subcommands -------------------------------------------------------------

/** `ps:start [--parallel N] [--all|<app>]` */
export async function startCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  await forAppOrAll(ctx, args, "start", (app) => start(ctx, app));
}

/** `ps:stop [--parallel N] [--all|<app>]` */
export async function stopCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  await forAppOrAll(ctx, args, "stop", (app) => stop(ctx, app));
}

/** `ps:restart [--parallel N] [--all|<app> [<process-type>]]` */
export async function restartCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const processType = args.positionals[1];
  if (args.bool("all") && processType !== undefined) {
    throw new DokkuError("Unable to restart all apps when specifying a process name");
  }
  await forAppOrAll(ctx, args, "restart", (app) =>
    processType === undefined ? restart(ctx, app) : restartProcessType(ctx, app, processType),
  );
}

/** `ps:restore [--parallel N] [--all|<app>]` */
export async function restoreCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const app = args.positionals[0];
  const all = args.bool("all") || app === undefined;
  if (all) {
    // Validate --parallel before any hook or app's proxy config.
    const { cpuCount } = await import("../services/all-apps.ts");
    const { parseParallel } = await import("../core/parallel.ts");
    parseParallel(args.string("parallel"), cpuCount());
  }
  const once = ctx.contract.restorePrep === "once";
  if (once) await fireWrapped("Error running pre-restore", "pre-restore", []);
  if (!args.bool("all") && app === undefined) {
    log.warn("Restore specified without app, assuming --all");
  }
  if (all) {
    if (once) await fireWrapped("Error clearing proxy config", "proxy-clear-config", ["--all"]);
    else for (const each of listApps(ctx)) await fireWrapped("Error clearing proxy config", "proxy-clear-config", [each]);
    const { runAgainstAllApps } = await import("../services/all-apps.ts");
    await runAgainstAllApps(ctx, "restore", args.string("parallel"));
    return;
  }
  await restore(ctx, verifyApp(ctx, app));
}

/** `ps:rebuild [--parallel N] [--all|<app>]` */
export async function rebuildCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  await forAppOrAll(ctx, args, "rebuild", (app) => rebuild(ctx, app));
}

/**
 * `ps:retire` (§6.6): `scheduler-retire <global scheduler>` under a
 * non-blocking flock on `$DOKKU_LIB_ROOT/data/ps/retire` (see adapters/flock.ts
 * for why flock).
 */
export async function retireCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const steps = ctx.contract.retireSteps;
  const app = steps === "plain" ? undefined : args.positionals[0];
  if (app) verifyApp(ctx, app);
  const { tryLock } = await import("../adapters/flock.ts");
  let lock;
  try {
    lock = await tryLock(join(ctx.paths.libRoot, "data", "ps", "retire"));
  } catch (error) {
    throw new DokkuError(`Failed to acquire ps:retire lock: ${(error as Error).message}`);
  }
  if (lock === "busy") throw new DokkuError("Failed to acquire ps:retire lock");
  try {
    const globalScheduler = ctx.config.globalScheduler();
    if (steps === "plain") {
      await trigger("scheduler-retire", [globalScheduler]);
      return;
    }
    // Core ps 0.36+ (plugins/ps CommandRetire).
    log.info1("Retiring old containers and images");
    await trigger("scheduler-retire", [app ? ctx.config.scheduler(app) : globalScheduler, app ?? ""]);
    if (steps === "announced-with-run-containers") {
      log.info1("Retiring expired run containers");
      await trigger("scheduler-run-retire", []);
    }
  } finally {
    lock.release();
  }
}

// ---- triggers ----------------------------------------------------------------

/** `app-restart <app>`: same as `ps:restart <app>`. */
export async function appRestartTrigger(ctx: Context, [app]: string[]): Promise<void> {
  await restart(ctx, verifyApp(ctx, app));
}

/** `post-app-clone <old> <new>` and `post-app-rename <old> <new>`: rebuild the new app unless SKIP_REBUILD=true. */
export async function postAppCloneOrRenameTrigger(ctx: Context, [, newApp]: string[]): Promise<void> {
  if (process.env["SKIP_REBUILD"] === "true") return;
  await rebuild(ctx, verifyApp(ctx, newApp));
}
