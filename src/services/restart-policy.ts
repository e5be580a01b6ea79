import {
  DEFAULT_RESTART_POLICY,
  restartPolicyFromDockerOptions,
  withRestartPolicy,
  type RestartPolicy,
} from "../core/restart-policy.ts";
import { join } from "node:path";
import { ensureDir, readIfExists, writeFileAtomic } from "../adapters/files.ts";
import { setPermissions } from "../adapters/system-user.ts";
import { DOCKER_OPTIONS_DEPLOY } from "../adapters/paths.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import type { Context } from "./context.ts";
import { clearHotAnswers } from "./hot-answers.ts";

/**
 * Where the restart policy lives. Dokku 0.24 keeps it as a `--restart=`
 * line in `$DOKKU_ROOT/<app>/DOCKER_OPTIONS_DEPLOY`; we keep that line as
 * what docker sees, so an existing host's data keeps working. Newer Dokku's
 * `--global` value needs to know which apps chose their own policy: the ps
 * property `restart-policy` marks an app's explicit choice.
 */
const KEY = "restart-policy";

/**
 * The app's deploy options (contract dockerOptionsStore): its
 * DOCKER_OPTIONS_DEPLOY file to 0.37, the docker-options property list
 * `config/docker-options/<app>/_default_.deploy` from 0.38.
 */
function dockerOptionsFile(ctx: Context, app: string): string {
  if (ctx.contract.dockerOptionsStore === "property-list") return join(ctx.paths.propertyDir("docker-options", app), DEPLOY_OPTIONS_PROPERTY);
  return ctx.paths.appFile(app, DOCKER_OPTIONS_DEPLOY);
}
const DEPLOY_OPTIONS_PROPERTY = "_default_.deploy";

/** Writes the deploy options: a property list as Dokku 0.38 writes one (dir 0755, file 0600, the Dokku user's). */
function writeDockerOptions(ctx: Context, app: string, text: string): void {
  if (ctx.contract.dockerOptionsStore === "property-list") {
    const dir = ctx.paths.propertyDir("docker-options", app);
    ensureDir(dir);
    setPermissions(dir, 0o755);
  }
  writeFileAtomic(dockerOptionsFile(ctx, app), text, 0o600);
}

export function dockerOptionsPolicy(ctx: Context, app: string): RestartPolicy | undefined {
  return restartPolicyFromDockerOptions(readIfExists(dockerOptionsFile(ctx, app)) ?? "");
}

export function appRestartPolicy(ctx: Context, app: string): RestartPolicy | undefined {
  return ctx.props.get(app, KEY) || undefined;
}

export function globalRestartPolicy(ctx: Context): RestartPolicy | undefined {
  return ctx.props.get(GLOBAL_APP, KEY) || undefined;
}

/**
 * The policy the app's containers must carry. On Dokku 0.38.9+ (the policy
 * is a ps property) core ps's computed value: the app's, else the global
 * one, else the default; a `--restart=` deploy option is nobody's any more.
 */
export function effectiveRestartPolicy(ctx: Context, app: string): RestartPolicy {
  if (ctx.contract.restartPolicyStore === "property") return appRestartPolicy(ctx, app) ?? globalRestartPolicy(ctx) ?? DEFAULT_RESTART_POLICY;
  return appRestartPolicy(ctx, app) ?? globalRestartPolicy(ctx) ?? dockerOptionsPolicy(ctx, app) ?? DEFAULT_RESTART_POLICY;
}

/**
 * Rewrites the app's `--restart=` docker option to `policy` (file kept
 * sorted, as Dokku does). Nothing on Dokku 0.38.9+, which keeps no policy in
 * DOCKER_OPTIONS_DEPLOY (docker-args-process-deploy hands it out).
 */
export function writeDockerOptionsPolicy(ctx: Context, app: string, policy: RestartPolicy): void {
  if (ctx.contract.restartPolicyStore === "property") return;
  // The precomputed docker-args-process-deploy answer may now be stale.
  clearHotAnswers(ctx, app);
  const before = readIfExists(dockerOptionsFile(ctx, app)) ?? "";
  const after = withRestartPolicy(before, policy);
  if (after !== before) writeDockerOptions(ctx, app, after);
}

/** Sets (or, with undefined, clears) the app's own policy and mirrors the result into DOCKER_OPTIONS_DEPLOY. */
export function setAppRestartPolicy(ctx: Context, app: string, policy: RestartPolicy | undefined): void {
  if (policy === undefined) ctx.props.delete(app, KEY);
  else ctx.props.set(app, KEY, policy);
  writeDockerOptionsPolicy(ctx, app, policy ?? globalRestartPolicy(ctx) ?? DEFAULT_RESTART_POLICY);
}

/** Sets (or clears) the global policy and rewrites every app that has none of its own. */
export function setGlobalRestartPolicy(ctx: Context, apps: readonly string[], policy: RestartPolicy | undefined): void {
  if (policy === undefined) ctx.props.delete(GLOBAL_APP, KEY);
  else ctx.props.set(GLOBAL_APP, KEY, policy);
  for (const app of apps) {
    if (appRestartPolicy(ctx, app) === undefined) writeDockerOptionsPolicy(ctx, app, policy ?? DEFAULT_RESTART_POLICY);
  }
}

/**
 * Dokku 0.38.9+'s install (plugins/ps TriggerInstall): a `--restart=` line
 * of the app's DOCKER_OPTIONS_DEPLOY, written by an older ps, becomes the
 * app's `restart-policy` property when it is not the default (an app
 * property already there is kept: it is the newer word), and the line goes,
 * as core ps removes it: the policy now reaches containers through
 * docker-args-process-deploy, and a line left would be a second `--restart`.
 */
export function migrateRestartPolicyOption(ctx: Context, app: string): void {
  const before = readIfExists(dockerOptionsFile(ctx, app));
  if (before === undefined) return;
  const line = restartPolicyFromDockerOptions(before);
  if (line === undefined) return;
  if (line !== "" && line !== DEFAULT_RESTART_POLICY && appRestartPolicy(ctx, app) === undefined) ctx.props.set(app, KEY, line);
  const after = withRestartPolicy(before, undefined);
  if (after !== before) writeDockerOptions(ctx, app, after);
}

/**
 * Takes over an app from Dokku 0.24 (the `install` trigger): a non-default
 * `--restart=` line was an operator's choice, so it becomes the app's own
 * policy; an app without a line gets the inherited one.
 */
export function adoptRestartPolicy(ctx: Context, app: string): void {
  const line = dockerOptionsPolicy(ctx, app);
  const inherited = globalRestartPolicy(ctx) ?? DEFAULT_RESTART_POLICY;
  if (line !== undefined && line !== inherited && appRestartPolicy(ctx, app) === undefined) {
    ctx.props.set(app, KEY, line);
  }
  if (line === undefined) writeDockerOptionsPolicy(ctx, app, effectiveRestartPolicy(ctx, app));
}
