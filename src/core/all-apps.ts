import type { Concurrency } from "./parallel.ts";

/**
 * The words and lines of the `--all` runner (Dokku's RunCommandAgainstAllApps,
 * contract §6.0), plus what dokku-ps adds on top: one line per finished app,
 * a summary line and a non-zero exit when any app failed. Pure: the service
 * decides where each line goes.
 */

/** The commands that take `--all`. */
export type AllAppsCommand = "rebuild" | "restart" | "restore" | "start" | "stop";

export interface AppOutcome {
  readonly app: string;
  readonly ok: boolean;
  /** One line, for the operator; empty when ok. */
  readonly reason: string;
}

export interface RunPlan {
  /** What actually runs: Dokku falls back to serial when -1 resolves to one CPU. */
  readonly concurrency: Concurrency;
  /** Warnings printed before any app runs (the caller adds ` !     `). */
  readonly warnings: string[];
}

/** Dokku's order: the CPU-count warning, then (for 0/1 workers) the serial-mode warning. */
export function planRun(command: AllAppsCommand, requested: Concurrency): RunPlan {
  const warnings: string[] = [];
  let concurrency = requested;
  if (requested.mode === "parallel" && requested.fromCpuCount) {
    warnings.push(`Setting --parallel=-1 value to CPU count of ${requested.workers}`);
  }
  if (requested.mode === "parallel" && requested.workers <= 1) concurrency = { mode: "serial" };
  if (concurrency.mode === "serial") warnings.push(`Running ${command} in serial mode`);
  return { concurrency, warnings };
}

/** `-----> …` line printed when an app's run begins (Dokku's exact wording per mode). */
export function startLine(command: AllAppsCommand, app: string, concurrency: Concurrency): string {
  return concurrency.mode === "serial" ? `Running ${command} against app ${app}` : `Running command against ${app}`;
}

/** Dokku's per-failure warning. */
export function failureWarning(command: AllAppsCommand, outcome: AppOutcome, concurrency: Concurrency): string {
  const against = concurrency.mode === "serial" ? `against app ${outcome.app}` : `against ${outcome.app}`;
  return `Error running ${command} ${against}: ${outcome.reason}`;
}

/** dokku-ps: `=====> <app>: ok` / `=====> <app>: failed (<reason>)`, printed as each app finishes. */
export function finishedLine(outcome: AppOutcome): string {
  return outcome.ok ? `${outcome.app}: ok` : `${outcome.app}: failed (${outcome.reason})`;
}

/**
 * dokku-ps: the summary. Deliberately not a bare "N passed, M failed" line,
 * which CI log scrapers take for a test-runner summary.
 */
export function summaryLine(command: AllAppsCommand, outcomes: readonly AppOutcome[]): string {
  const failed = outcomes.filter((o) => !o.ok).length;
  return `${command} --all: ${outcomes.length - failed} succeeded, ${failed} failed`;
}

/** Dokku's final error text, or undefined when every app succeeded. */
export function finalError(command: AllAppsCommand, outcomes: readonly AppOutcome[], concurrency: Concurrency): string | undefined {
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed === 0) return undefined;
  return concurrency.mode === "serial" ? `${command} command returned ${failed} errors` : `Encountered ${failed} errors during parallel run`;
}

const MAX_REASON = 200;

/**
 * The environment variable naming the file in which a per-app run of an
 * `--all` command (src/services/all-apps.ts) leaves the error line its edge
 * prints, for the parent's failure reason.
 */
export const REASON_FILE_ENV = "DOKKU_PS_REASON_FILE";
// Matches the ANSI escape sequences (colours, cursor moves) some build tools print.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * A one-line reason for a failed app run: the last ` !     ` error line the
 * command printed on stderr (that is how every Dokku plugin reports its
 * error), else its first stderr line plus `(exit status <n>)`, else just
 * `exit status <n>` like Go's exec error text.
 */
export function shortReason(stderr: string, exitCode: number | undefined, signal?: string): string {
  const lines = stderr.replace(ANSI, "").split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^ !\s+(\S.*)$/.exec(lines[i] as string);
    if (match) return clip((match[1] as string).trim());
  }
  if (signal) return `killed by ${signal}`;
  // No Dokku-style error line (e.g. docker's own error): its first line, then the status.
  const first = lines.map((l) => l.trim()).find((l) => l !== "");
  return first ? `${clip(first)} (exit status ${exitCode ?? 1})` : `exit status ${exitCode ?? 1}`;
}

function clip(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
