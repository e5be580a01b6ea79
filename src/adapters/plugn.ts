import { DokkuError } from "../core/errors.ts";
import { log } from "./log.ts";

/**
 * Fires Dokku triggers through `plugn` (on the PATH of every plugin
 * executable). Arguments are passed as an argv array, never a shell string.
 * execa is imported lazily: most ps triggers fire nothing.
 */
async function execa() {
  return (await import("execa")).execa;
}

/** A trigger that could not even be spawned is a broken host, not a "no". */
function assertSpawned(result: { exitCode?: number; failed?: boolean; message?: string }): void {
  if (result.exitCode === undefined && result.failed) {
    throw new DokkuError(`Unable to run plugn: ${result.message ?? "not found on PATH"}`);
  }
}

/** Runs a trigger with our stdio; a non-zero exit becomes a DokkuError with that code. */
export async function trigger(name: string, args: readonly string[]): Promise<void> {
  log.debug(`plugn trigger ${name} ${args.join(" ")}`);
  const run = await execa();
  const result = await run("plugn", ["trigger", name, ...args], { stdio: "inherit", reject: false });
  assertSpawned(result);
  if (result.exitCode !== 0) {
    // The hook already printed its own error; only the exit code is passed on.
    throw new DokkuError("", result.exitCode ?? 1);
  }
}

export interface TriggerOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a trigger and captures its output (Dokku's PlugnTriggerOutput). */
export async function triggerOutput(name: string, args: readonly string[], input = ""): Promise<TriggerOutput> {
  log.debug(`plugn trigger ${name} ${args.join(" ")}`);
  const run = await execa();
  const result = await run("plugn", ["trigger", name, ...args], { reject: false, input, stripFinalNewline: false });
  assertSpawned(result);
  return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? ""), exitCode: result.exitCode ?? 1 };
}
