import { restoreValue } from "../core/ps-report.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import type { Context } from "./context.ts";

/**
 * The flag that tells ps:restore whether to start an app after a reboot,
 * kept where the host's Dokku keeps it (contract restoreStore): to 0.37 the
 * config var `DOKKU_APP_RESTORE` (`1`/`0`) of the app's ENV, set with
 * SetMany (post-config-update fires); from 0.38 the ps property `restore`
 * (`true`/`false`), which core ps 0.38 writes and reads.
 */
const RESTORE = "restore";
const RESTORE_VAR = "DOKKU_APP_RESTORE";

/** Records that the app is (true) or is not (false) to be restored. */
export async function setRestoreFlag(ctx: Context, app: string, restore: boolean): Promise<void> {
  if (ctx.contract.restoreStore === "property") {
    if (ctx.props.get(app, RESTORE) !== String(restore)) ctx.props.set(app, RESTORE, String(restore));
    return;
  }
  await ctx.config.changeAppAndNotify(app, RESTORE_VAR, restore ? "1" : "0");
}

/**
 * `true`/`false` as ps:report's Restore row and ps-get-property show it.
 * 0.38+: the property as stored, `true` when there is none (core's
 * PropertyGetDefault). Before: the config var (see restoreValue).
 */
export function restoreFlag(ctx: Context, app: string): string {
  if (ctx.contract.restoreStore === "property") return ctx.props.get(app, RESTORE) ?? "true";
  return restoreValue(ctx.config.appEnv(app).get(RESTORE_VAR), ctx.props.get(app, RESTORE), ctx.props.get(GLOBAL_APP, RESTORE));
}

/** Why ps:restore skips the app (its warning's words), or undefined. */
export function restoreDisabledBy(ctx: Context, app: string): string | undefined {
  if (ctx.contract.restoreStore === "property") {
    return ctx.props.get(app, RESTORE) === "false" ? "restore property is false" : undefined;
  }
  const flag = ctx.config.appEnv(app).get(RESTORE_VAR);
  if (flag?.trim() === "0") return "DOKKU_APP_RESTORE=0";
  // A newer Dokku's property, honoured too for hosts migrated back.
  if (ctx.props.get(app, RESTORE)?.trim() === "false") return "restore property is false";
  return undefined;
}
