import { chmodSync, renameSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { procfileCommand, type ProcfileEntry } from "../core/procfile.ts";
import { fsyncDir, writeNewFileSynced } from "../adapters/files.ts";
import type { Context } from "./context.ts";
import { effectiveRestartPolicy } from "./restart-policy.ts";

/**
 * Answers for the two triggers a scheduler fires once per container
 * (`procfile-get-command`, `docker-args-process-deploy`), computed once by
 * `pre-deploy` — which runs at the start of every deploy, right before
 * those calls — so their shims can print them without starting Node
 * (see scripts/fast-paths.sh). A missing directory or file
 * simply sends the shim to the bundled entry, which computes the answer.
 */
export const HOT_PORT = 5000;

export function hotDir(ctx: Context, app: string): string {
  return join(ctx.paths.psDataDir(app), "hot");
}

/** Replaces the app's precomputed answers as a whole (readers see old or new, or none). */
export function writeHotAnswers(ctx: Context, app: string, procfile: readonly ProcfileEntry[] | undefined): void {
  const dir = hotDir(ctx, app);
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o755 });
  // 0755 whatever the umask (a root's 077 reaches us through `dokku`'s re-exec).
  chmodSync(staging, 0o755);
  // No Procfile in the image: the answer is the entry's "No procfile found".
  if (procfile === undefined) writeNewFileSynced(join(staging, "no-procfile"), "", 0o644);
  for (const entry of procfile ?? []) {
    const command = procfileCommand([entry], entry.processType, HOT_PORT) ?? "";
    writeNewFileSynced(join(staging, `start-command.${entry.processType}.${HOT_PORT}`), `${command}\n`, 0o644);
  }
  writeNewFileSynced(join(staging, "docker-args-process-deploy"), ` --restart=${effectiveRestartPolicy(ctx, app)}`, 0o644);
  // The staging directory is renamed into place as a whole: its files need
  // no rename of their own, only to be on disk before it moves.
  fsyncDir(staging);
  const old = `${dir}.${process.pid}.old`;
  try {
    renameSync(dir, old);
  } catch {
    // no previous answers
  }
  renameSync(staging, dir);
  rmSync(old, { recursive: true, force: true });
}

/** Drops the app's precomputed answers (after anything that changes them outside a deploy). */
export function clearHotAnswers(ctx: Context, app: string): void {
  rmSync(hotDir(ctx, app), { recursive: true, force: true });
}
