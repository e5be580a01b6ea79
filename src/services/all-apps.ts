import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { parseParallel } from "../core/parallel.ts";
import {
  failureWarning,
  finalError,
  finishedLine,
  planRun,
  shortReason,
  startLine,
  summaryLine,
  type AllAppsCommand,
  type AppOutcome,
} from "../core/all-apps.ts";
import { info2 } from "../core/output.ts";
import { log } from "../adapters/log.ts";
import { SPAWN_CWD } from "../adapters/spawn-cwd.ts";
import { readIfExists } from "../adapters/files.ts";
import { REASON_FILE_ENV } from "../core/all-apps.ts";
import { listApps } from "./apps.ts";
import type { Context } from "./context.ts";

/** Go's runtime.NumCPU(): the CPUs this process may run on. */
export function cpuCount(): number {
  try {
    return availableParallelism();
  } catch {
    return Math.max(1, cpus().length);
  }
}

/**
 * How one app's run is started: `node <this bundle> subcommand <cmd> ps:<cmd> <app>`,
 * i.e. exactly what `dokku ps:<cmd> <app>` runs, as its own process. A crash,
 * a hung promise or a process.exit in one app's run cannot touch the others,
 * and the child's exit status is the app's result.
 */
export function childArgv(command: AllAppsCommand, app: string): { file: string; args: string[] } {
  const entry = process.argv[1];
  if (!entry) throw new DokkuError("Unable to locate the dokku-ps entry point to run per-app commands");
  // `each`: the app's step alone (src/main.ts), since this process ran the command's once-only steps.
  return { file: process.execPath, args: [...process.execArgv, entry, "each", command, `ps:${command}`, app] };
}

async function runOne(command: AllAppsCommand, app: string, reasons: string): Promise<AppOutcome> {
  const { execa } = await import("execa");
  const { file, args } = childArgv(command, app);
  // Both streams go straight to ours, as core ps's in-process run writes
  // them (plugins/common/parallel.go), so an app's stdout and stderr lines
  // keep the order it printed them in; a pipe for stderr would hold its lines
  // back behind later stdout lines. The failure reason is the error line the
  // child's edge prints, which it also writes to REASON_FILE_ENV's file
  // (src/main.ts). argv array, no shell.
  const reasonFile = join(reasons, `${app}.reason`);
  const result = await execa(file, args, {
    cwd: SPAWN_CWD,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
    env: { [REASON_FILE_ENV]: reasonFile },
    reject: false,
  });
  if (result.exitCode === 0) return { app, ok: true, reason: "" };
  const printed = readIfExists(reasonFile) ?? "";
  const reason =
    result.exitCode === undefined && !result.signal
      ? `unable to start: ${result.shortMessage ?? result.message}`
      : shortReason(printed, result.exitCode, result.signal ?? undefined);
  return { app, ok: false, reason };
}

/**
 * Dokku's RunCommandAgainstAllApps (contract §6.0) with p-queue as the worker
 * pool: every app runs even when others fail; each prints a result line as
 * it finishes; then a summary; any failure makes the whole command fail with
 * Dokku's error text.
 */
export async function runAgainstAllApps(ctx: Context, command: AllAppsCommand, parallelRaw: string | undefined): Promise<void> {
  const plan = planRun(command, parseParallel(parallelRaw, cpuCount()));
  for (const warning of plan.warnings) log.warn(warning);

  const apps = listApps(ctx);
  if (apps.length === 0) {
    log.warn("You haven't deployed any applications yet");
    return;
  }

  const { concurrency } = plan;
  const { default: PQueue } = await import("p-queue");
  const queue = new PQueue({ concurrency: concurrency.mode === "serial" ? 1 : concurrency.workers });
  const outcomes: AppOutcome[] = [];
  // Where each app's run leaves its error line (removed when the run ends).
  const reasons = mkdtempSync(join(tmpdir(), "dokku-ps-all-"));
  for (const app of apps) {
    void queue.add(async () => {
      log.info1(startLine(command, app, concurrency));
      let outcome: AppOutcome;
      try {
        outcome = await runOne(command, app, reasons);
      } catch (error) {
        outcome = { app, ok: false, reason: (error as Error).message.split("\n")[0] ?? "error" };
      }
      outcomes.push(outcome);
      if (!outcome.ok) log.warn(failureWarning(command, outcome, concurrency));
      log.out(info2(finishedLine(outcome)));
    });
  }
  try {
    await queue.onIdle();
  } finally {
    rmSync(reasons, { recursive: true, force: true });
  }

  log.out(info2(summaryLine(command, outcomes)));
  const error = finalError(command, outcomes, concurrency);
  if (error) throw new DokkuError(error);
}
