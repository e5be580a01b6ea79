import { fstatSync, rmSync, statSync } from "node:fs";
import { DokkuError } from "../core/errors.ts";
import { tryLock, type HeldLock } from "./flock.ts";
import { DEPLOY_LOCK_FILE, type DokkuPaths } from "./paths.ts";

/**
 * Dokku's app deploy lock: a non-blocking flock on
 * `$DOKKU_ROOT/<app>/.deploy.lock`, the same lock `git push` takes, so a ps
 * command and a push (or two ps commands) never interleave on one app.
 * The kernel drops it when this process exits or is killed, so a crashed
 * command cannot leave a stale lock behind. Released as Dokku's
 * release_app_deploy_lock does: the file is removed (then the lock dropped),
 * so no `.deploy.lock` is left in the app dir after a ps command.
 */
export async function withDeployLock<T>(paths: DokkuPaths, app: string, fn: () => Promise<T>): Promise<T> {
  const file = paths.appFile(app, DEPLOY_LOCK_FILE);
  const lock = await lockStillAtPath(file);
  if (lock === "busy") throw new DokkuError(`${app} currently has a deploy lock in place. Exiting...`);
  try {
    return await fn();
  } finally {
    // The app may be gone (apps:destroy during the command): nothing to remove.
    rmSync(file, { force: true });
    lock.release();
  }
}

/**
 * The flock on the file that is at `file` now: a holder that releases removes
 * the file, so a lock taken on a file opened just before that removal guards
 * nothing (the next comer creates and locks a new file). Such a lock is
 * dropped and taken again on the new file.
 */
async function lockStillAtPath(file: string): Promise<HeldLock | "busy"> {
  for (;;) {
    const lock = await tryLock(file);
    if (lock === "busy") return lock;
    let same = false;
    try {
      same = statSync(file).ino === fstatSync(lock.fd).ino;
    } catch {
      // removed meanwhile: not the file at the path
    }
    if (same) return lock;
    lock.release();
  }
}
