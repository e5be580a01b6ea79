import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { log } from "./log.ts";
import { SPAWN_CWD } from "./spawn-cwd.ts";

/**
 * Fires Dokku triggers through `plugn` (on the PATH of every plugin
 * executable). Arguments are passed as an argv array, never a shell string.
 * execa is imported lazily: most ps triggers fire nothing.
 *
 * plugn's stdin is never a socket: real plugn 0.6.1 runs bash with only
 * BASH_ENV set, and bash skips BASH_ENV when its stdin is a socket (its rshd
 * heuristic), so every call fails (`main: command not found`, exit 127 → 1).
 * Node's "pipe" stdio and execa's `input` are socketpairs. plugn gets
 * /dev/null — what Dokku's Go code gives it, an empty stdin — or, when a
 * trigger must read data, a regular file holding it.
 */
/** A trigger that could not even be spawned is a broken host, not a "no". */
function assertSpawned(result: { exitCode?: number; failed?: boolean; message?: string }): void {
  if (result.exitCode === undefined && result.failed) {
    throw new DokkuError(`Unable to run plugn: ${result.message ?? "not found on PATH"}`);
  }
}

/** /dev/null, or an open regular file's descriptor (typed as execa accepts it). */
type PlugnStdin = "ignore" | 3;

/**
 * Runs `body` with a stdin for plugn: "ignore" (/dev/null) for no data, else
 * the descriptor of a private temp file holding `input` (already unlinked, so
 * nothing is left behind whatever happens; closed after the run).
 */
async function withStdin<T>(input: string, body: (stdin: PlugnStdin) => Promise<T>): Promise<T> {
  if (input === "") return body("ignore");
  const dir = mkdtempSync(join(tmpdir(), "dokku-ps-stdin-"));
  let fd: number;
  try {
    const file = join(dir, "stdin");
    writeFileSync(file, input, { mode: 0o600 });
    fd = openSync(file, "r");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    // execa's types list only descriptors 0 and 3–9; any open descriptor is
    // handed to the child as it is (no stream, no pipe).
    return await body(fd as unknown as PlugnStdin);
  } finally {
    closeSync(fd);
  }
}

/**
 * The one place plugn is spawned: `plugn trigger <name> <args…>`, stdin per
 * withStdin, stdout/stderr ours or captured.
 */
async function runPlugn(name: string, args: readonly string[], input: string, capture: boolean) {
  log.debug(`plugn trigger ${name} ${args.join(" ")}`);
  const { execa } = await import("execa");
  const output = capture ? "pipe" : "inherit";
  const result = await withStdin(input, (stdin) =>
    execa("plugn", ["trigger", name, ...args], { cwd: SPAWN_CWD, stdin, stdout: output, stderr: output, reject: false, stripFinalNewline: false }),
  );
  assertSpawned(result);
  return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? ""), exitCode: result.exitCode };
}

/** Runs a trigger with our stdout/stderr; a non-zero exit becomes a DokkuError with that code. */
export async function trigger(name: string, args: readonly string[], input = ""): Promise<void> {
  const { exitCode } = await runPlugn(name, args, input, false);
  if (exitCode !== 0) {
    // The hook already printed its own error; only the exit code is passed on.
    throw new DokkuError("", exitCode ?? 1);
  }
}

export interface TriggerOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a trigger and captures its output (Dokku's PlugnTriggerOutput). */
export async function triggerOutput(name: string, args: readonly string[], input = ""): Promise<TriggerOutput> {
  const { stdout, stderr, exitCode } = await runPlugn(name, args, input, true);
  return { stdout, stderr, exitCode: exitCode ?? 1 };
}
