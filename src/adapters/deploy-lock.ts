import { DokkuError } from "../core/errors.ts";
import { tryLock } from "./flock.ts";
import { DEPLOY_LOCK_FILE, type DokkuPaths } from "./paths.ts";

/**
 * Dokku's app deploy lock: a non-blocking flock on
 * `$DOKKU_ROOT/<app>/.deploy.lock`, the same lock `git push` takes, so a ps
 * command and a push (or two ps commands) never interleave on one app.
 * The kernel drops it when this process exits or is killed, so a crashed
 * command cannot leave a stale lock behind.
 */
export async function withDeployLock<T>(paths: DokkuPaths, app: string, fn: () => Promise<T>): Promise<T> {
  const lock = await tryLock(paths.appFile(app, DEPLOY_LOCK_FILE));
  if (lock === "busy") throw new DokkuError(`${app} currently has a deploy lock in place. Exiting...`);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
