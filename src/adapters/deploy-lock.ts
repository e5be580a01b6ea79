import { DokkuError } from "../core/errors.ts";
import { DEPLOY_LOCK_FILE, type DokkuPaths } from "./paths.ts";

/**
 * Dokku's app deploy lock: an flock on `$DOKKU_ROOT/<app>/.deploy.lock`,
 * the same lock `git push` takes, so a ps command and a push (or two ps
 * commands) never interleave on one app.
 *
 * Node has no flock(2), so the command re-executes itself under the
 * `flock` utility (util-linux, on every Dokku host): the lock lives exactly
 * as long as the process that holds it, and a killed command cannot leave
 * a stale lock behind. DOKKU_PS_APP_LOCK marks the re-executed child.
 */
const HELD_ENV = "DOKKU_PS_APP_LOCK";
const LOCK_BUSY_EXIT = 75; // EX_TEMPFAIL: chosen so it cannot be mistaken for a ps exit code

export function holdsDeployLock(app: string): boolean {
  return process.env[HELD_ENV] === app;
}

/** Runs this same command again under the app's deploy lock; resolves to its exit code. */
export async function rerunUnderDeployLock(paths: DokkuPaths, app: string): Promise<number> {
  const { execa } = await import("execa");
  const lockFile = paths.appFile(app, DEPLOY_LOCK_FILE);
  const result = await execa(
    "flock",
    ["--nonblock", "--conflict-exit-code", String(LOCK_BUSY_EXIT), lockFile, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", reject: false, env: { [HELD_ENV]: app } },
  );
  if (result.exitCode === undefined) throw new DokkuError(`Unable to take the deploy lock for ${app}: ${result.message}`);
  if (result.exitCode === LOCK_BUSY_EXIT) throw new DokkuError(`${app} currently has a deploy lock in place. Exiting...`);
  return result.exitCode;
}
