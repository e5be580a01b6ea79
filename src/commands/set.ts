import { assertGlobalProperty, assertPsProperty, assertSetKey, normalizePropertyValue, parseSetPositionals, type PsProperty } from "../core/ps-properties.ts";
import { assertRestartPolicy } from "../core/restart-policy.ts";
import { DokkuError } from "../core/errors.ts";
import { log } from "../adapters/log.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import { listApps, verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { setAppRestartPolicy, setGlobalRestartPolicy } from "../services/restart-policy.ts";
import type { ParsedArgs } from "../cli-args.ts";

const RESTORE_VAR = "DOKKU_APP_RESTORE";
const STOP_TIMEOUT_VAR = "DOKKU_DOCKER_STOP_TIMEOUT";

/**
 * `ps:set [--global|<app>] <key> [<value>]` (contract §6.10 and newer
 * Dokku). Everything is validated before anything is printed or written.
 *
 * - restart-policy: the app's own policy (or --global's for apps without
 *   one), mirrored into DOCKER_OPTIONS_DEPLOY; empty value clears it.
 * - restore: true/false. For an app it is config DOKKU_APP_RESTORE=1/0 —
 *   the flag ps:stop clears and every deploy sets, which ps:restore reads;
 *   a stale newer-Dokku `restore` property of the app is dropped so the two
 *   cannot disagree. --global stores the ps property `--global/restore`
 *   (used for apps that have no DOKKU_APP_RESTORE at all).
 * - stop-timeout-seconds: ps property (app or --global), mirrored into
 *   config DOKKU_DOCKER_STOP_TIMEOUT (app ENV, or the global ENV for
 *   --global), which is what docker-local passes to `docker stop --time`.
 *   Unsetting removes the mirrored variable only if it still holds the
 *   value ps put there (an operator's own config:set is left alone).
 * Nothing restarts: the values apply on the next deploy/stop.
 */
export async function setCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  if (ctx.contract.setStyle === "core") return setAsCore(ctx, args);
  const global = args.bool("global");
  const request = parseSetPositionals(args.positionals, global);
  const app = global ? undefined : verifyApp(ctx, request.app);
  const key = assertPsProperty(request.key, ctx.contract.setProperties);
  if (global) assertGlobalProperty(key, ctx.contract.globalSetProperties);
  const value = normalizePropertyValue(key, request.value);

  if (value === undefined) log.info2Quiet(`Unsetting ${key}`);
  else log.info2Quiet(`Setting ${key} to ${value}`);

  if (app === undefined) await setGlobal(ctx, key, value);
  else await setForApp(ctx, app, key, value);
}

/** Config variables change as SetMany/UnsetMany change them: `post-config-update` follows a change. */
async function setForApp(ctx: Context, app: string, key: PsProperty, value: string | undefined): Promise<void> {
  switch (key) {
    case "procfile-path":
      setProperty(ctx, app, key, value);
      return;
    case "restart-policy":
      setAppRestartPolicy(ctx, app, value);
      return;
    case "restore":
      ctx.props.delete(app, "restore");
      await ctx.config.changeAppAndNotify(app, RESTORE_VAR, value === undefined ? undefined : value === "true" ? "1" : "0");
      return;
    case "stop-timeout-seconds": {
      const previous = ctx.props.get(app, key);
      if (value === undefined) {
        ctx.props.delete(app, key);
        if (previous !== undefined && ctx.config.appEnv(app).get(STOP_TIMEOUT_VAR) === previous) await ctx.config.changeAppAndNotify(app, STOP_TIMEOUT_VAR, undefined);
      } else {
        ctx.props.set(app, key, value);
        await ctx.config.changeAppAndNotify(app, STOP_TIMEOUT_VAR, value);
      }
      return;
    }
  }
}

async function setGlobal(ctx: Context, key: PsProperty, value: string | undefined): Promise<void> {
  switch (key) {
    case "procfile-path":
      setProperty(ctx, GLOBAL_APP, key, value);
      return;
    case "restart-policy":
      setGlobalRestartPolicy(ctx, listApps(ctx), value);
      return;
    case "restore":
      if (value === undefined) ctx.props.delete(GLOBAL_APP, key);
      else ctx.props.set(GLOBAL_APP, key, value);
      return;
    case "stop-timeout-seconds": {
      const previous = ctx.props.get(GLOBAL_APP, key);
      if (value === undefined) {
        ctx.props.delete(GLOBAL_APP, key);
        if (previous !== undefined && ctx.config.globalEnv().get(STOP_TIMEOUT_VAR) === previous) await ctx.config.changeGlobalAndNotify(STOP_TIMEOUT_VAR, undefined);
      } else {
        ctx.props.set(GLOBAL_APP, key, value);
        await ctx.config.changeGlobalAndNotify(STOP_TIMEOUT_VAR, value);
      }
      return;
    }
  }
}

/** A plain ps property (Dokku's PropertyWrite / PropertyDelete). */
function setProperty(ctx: Context, app: string, key: PsProperty, value: string | undefined): void {
  if (value === undefined) ctx.props.delete(app, key);
  else ctx.props.set(app, key, value);
}

/**
 * `ps:set` as core ps 0.36+ does it (plugins/ps CommandSet and
 * common.CommandPropertySet): the restart policy's value is checked first
 * (before the app), then the app, then the key; a value is one property
 * file (`config/ps/<app|--global>/<key>`, 0600, no final newline), an empty
 * value deletes it. Where core stores nonsense (`stop-timeout-seconds abc`,
 * `skip-deploy yes`, `restore 1`, `on-failure:x`), dokku-ps refuses it (one
 * line, exit 1) before anything is printed or written.
 *
 * The restart policy to 0.38.8 is a `--restart=` deploy option (core's
 * SetDockerOptionForPhases, which takes no empty value and no `--global`);
 * from 0.38.9 a property like the others (contract restartPolicyStore).
 */
async function setAsCore(ctx: Context, args: ParsedArgs): Promise<void> {
  const global = args.bool("global");
  const request = parseSetPositionals(args.positionals, global);
  const { key } = request;
  const policyAsOption = ctx.contract.restartPolicyStore === "docker-options";
  if (key === "restart-policy" && (request.value !== "" || policyAsOption)) assertRestartPolicy(request.value);
  if (key === "restart-policy" && policyAsOption) {
    // Core would write a deploy option for an app named `--global`.
    if (global) throw new DokkuError("Property cannot be specified globally");
    const app = verifyApp(ctx, request.app);
    log.info2Quiet(`Setting ${key} to ${request.value}`);
    setAppRestartPolicy(ctx, app, request.value);
    return;
  }
  const app = global ? GLOBAL_APP : verifyApp(ctx, request.app);
  const property = assertSetKey(key, global, ctx.contract.setProperties, ctx.contract.globalSetProperties);
  const value = normalizePropertyValue(property, request.value);
  if (value === undefined) log.info2Quiet(`Unsetting ${property}`);
  else log.info2Quiet(`Setting ${property} to ${value}`);
  if (property === "restart-policy") {
    if (global) setGlobalRestartPolicy(ctx, [], value);
    else setAppRestartPolicy(ctx, app, value);
    return;
  }
  setProperty(ctx, app, property, value);
}
