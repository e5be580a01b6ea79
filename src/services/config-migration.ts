import type { ConfigMigration } from "../core/dokku-contract.ts";
import { log } from "../adapters/log.ts";
import { triggerOutput } from "../adapters/plugn.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import { listApps } from "./apps.ts";
import type { Context } from "./context.ts";

/**
 * What core ps's install does with config vars its newer self keeps as
 * properties (common.MigrateConfigToProperties, contract configMigrations):
 * for each var, the global value (when the entry names one) and each app's,
 * unless the property is already there (then nothing: the property is the
 * newer word), becomes the property, with the words core prints; then the
 * var goes through the config plugin's own `config-unset` trigger (quiet,
 * no restart), which writes ENV in its own format. 0.38.15+ first fires
 * `config-migrate-env` (the config plugin moves pre-0.38 ENV files to
 * `$DOKKU_LIB_ROOT/config`), as core does. A trigger failure is a warning,
 * never a failed install (core's too).
 */
export async function migrateConfigToProperties(ctx: Context): Promise<void> {
  const migrations = ctx.contract.configMigrations;
  if (migrations.length === 0) return;
  if (ctx.contract.firesConfigMigrateEnv) {
    const result = await triggerOutput("config-migrate-env", []);
    if (result.stderr.trim() !== "") process.stderr.write(result.stderr);
    if (result.exitCode !== 0) log.warn(`Unable to migrate legacy env files: exit status ${result.exitCode}`);
  }
  const apps = listApps(ctx);
  for (const migration of migrations) {
    if (migration.globalConfigVar) await migrateOne(ctx, GLOBAL_APP, migration.globalConfigVar, migration);
    for (const app of apps) await migrateOne(ctx, app, migration.configVar, migration);
  }
}

async function migrateOne(ctx: Context, app: string, configVar: string, migration: ConfigMigration): Promise<void> {
  if (ctx.props.get(app, migration.property) !== undefined) return;
  const env = app === GLOBAL_APP ? ctx.config.globalEnv() : ctx.config.appEnv(app);
  let value = env.get(configVar) ?? "";
  if (value === "") return;
  if (migration.transform === "restore") value = value === "0" ? "false" : "true";
  if (app === GLOBAL_APP) {
    log.info1(`Migrating deprecated global ${configVar} to ps ${migration.property} property. Use 'dokku ps:set --global ${migration.property} <value>' to manage this going forward.`);
  } else {
    log.info1(`Migrating deprecated ${configVar} to ps ${migration.property} property for ${app}. Use 'dokku ps:set ${app} ${migration.property} <value>' to manage this going forward.`);
  }
  ctx.props.set(app, migration.property, value);
  const quiet = process.env["DOKKU_QUIET_OUTPUT"];
  process.env["DOKKU_QUIET_OUTPUT"] = "1";
  try {
    const result = await triggerOutput("config-unset", app === GLOBAL_APP ? ["--global", configVar] : [app, configVar]);
    if (result.exitCode !== 0) log.warn(`Unable to unset ${configVar}${app === GLOBAL_APP ? " (global)" : ` of ${app}`}: ${result.stderr.trim() || `exit status ${result.exitCode}`}`);
  } finally {
    if (quiet === undefined) delete process.env["DOKKU_QUIET_OUTPUT"];
    else process.env["DOKKU_QUIET_OUTPUT"] = quiet;
  }
}
