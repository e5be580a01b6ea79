import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { DokkuError } from "../core/errors.ts";
import { SPAWN_CWD } from "./spawn-cwd.ts";

/**
 * A non-blocking flock(2) held by this process, taken with the util-linux
 * `flock` CLI (Node has no flock API): we open the lock file and hand the
 * descriptor to `flock --nonblock 3`; a flock belongs to the open file
 * description, which our descriptor shares, so the lock stays ours after the
 * CLI exits and is released when we close it or die.
 *
 * Why flock rather than an O_EXCL lock file: the kernel drops a flock when
 * its holder dies (an O_EXCL file left by a killed run would block every
 * later cron run until someone deletes it by hand), and it is the same lock
 * Dokku's own ps:retire takes (gofrs/flock on the same path), so the two
 * exclude each other during a migration.
 */
export interface HeldLock {
  /** The open lock file's descriptor (to check it is still the file at the path). */
  readonly fd: number;
  release(): void;
}

/** The lock, or `busy` when someone else holds it; anything else throws (message = the cause). */
export async function tryLock(path: string): Promise<HeldLock | "busy"> {
  let fd: number;
  try {
    fd = openSync(path, "a", 0o600);
  } catch (error) {
    throw new DokkuError((error as Error).message);
  }
  const release = () => {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  };
  const outcome = await runFlock(fd);
  if (outcome.code === 0) return { fd, release };
  release();
  if (outcome.code === 1) return "busy";
  const detail = outcome.spawnError?.message ?? (outcome.stderr.trim() || `flock exited with ${outcome.code}`);
  throw new DokkuError(detail.split("\n")[0] as string);
}

interface FlockOutcome {
  code: number | null;
  stderr: string;
  spawnError?: Error;
}

/** `flock --nonblock 3` with our descriptor as its fd 3 (execa cannot pass a raw fd beyond stdio). */
function runFlock(fd: number): Promise<FlockOutcome> {
  return new Promise((resolve) => {
    const child = spawn("flock", ["--nonblock", "3"], { cwd: SPAWN_CWD, stdio: ["ignore", "ignore", "pipe", fd] });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on("error", (spawnError) => resolve({ code: null, stderr, spawnError }));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
