import { join } from "node:path";
import { parseProcfile } from "../core/procfile.ts";
import {
  goBool,
  parsePropertyList,
  parseScaleLines,
  serializePropertyList,
  updateScale,
  type ScaleEntry,
} from "../core/scale-property.ts";
import { exists, readIfExists } from "../adapters/files.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import type { Context } from "./context.ts";

/**
 * The formation as Dokku 0.30+ keeps it (core ps 0.31.5): the ps property
 * lists `scale` / `scale.old` and the property `can-scale`, written as
 * Dokku's common properties write them (dir 0755, file 0600, the Dokku
 * user's). The Procfile is the copy core-post-extract made from the pushed
 * source: `data/ps/<app>/Procfile.<DOKKU_PID>` during a deploy (or
 * `.missing` when the source has none), `Procfile` once it is deployed.
 */
export const SCALE = "scale";
export const SCALE_OLD = "scale.old";
export const CAN_SCALE = "can-scale";
export const PROCFILE_PATH = "procfile-path";

export function readScaleList(ctx: Context, app: string, key: string = SCALE): string[] {
  const text = ctx.props.get(app, key);
  return text === undefined ? [] : parsePropertyList(text);
}

/** Dokku's getFormations: `scale` then `scale.old`. */
export function currentFormation(ctx: Context, app: string): ScaleEntry[] {
  return [...parseScaleLines(readScaleList(ctx, app, SCALE)), ...parseScaleLines(readScaleList(ctx, app, SCALE_OLD))];
}

export function canScale(ctx: Context, app: string): boolean {
  return goBool(ctx.props.get(app, CAN_SCALE) ?? "true");
}

export function setCanScale(ctx: Context, app: string, value: boolean): void {
  ctx.props.set(app, CAN_SCALE, String(value));
}

/** The app's deployed Procfile copy. */
export function procfileCopyPath(ctx: Context, app: string): string {
  return join(ctx.paths.psDataDir(app), "Procfile");
}

/** The copy the deploy in progress made (`Procfile.<DOKKU_PID>`). */
export function deployProcfilePath(ctx: Context, app: string): string {
  return `${procfileCopyPath(ctx, app)}.${process.env["DOKKU_PID"] ?? ""}`;
}

/** Dokku's hasProcfile: the deploy's copy (or its `.missing` marker), else the deployed copy. */
export function hasProcfile(ctx: Context, app: string): boolean {
  const forDeploy = deployProcfilePath(ctx, app);
  if (exists(`${forDeploy}.missing`)) return false;
  if (exists(forDeploy)) return true;
  return exists(procfileCopyPath(ctx, app));
}

/** Dokku's getProcessSpecificProcfilePath: the deploy's copy when there is one. */
export function currentProcfilePath(ctx: Context, app: string): string {
  const forDeploy = deployProcfilePath(ctx, app);
  return exists(forDeploy) ? forDeploy : procfileCopyPath(ctx, app);
}

/** The Procfile's process types, undefined when the app has none. */
export function procfileTypes(ctx: Context, app: string): string[] | undefined {
  if (!hasProcfile(ctx, app)) return undefined;
  const text = readIfExists(currentProcfilePath(ctx, app)) ?? "";
  return parseProcfile(text).map((e) => e.processType);
}

/** Dokku's updateScale: applies `updates` (or starts over with them) and writes `scale` and `scale.old`. */
export function applyScale(ctx: Context, app: string, updates: readonly ScaleEntry[], clearExisting = false): void {
  const current = clearExisting ? [] : parseScaleLines(readScaleList(ctx, app, SCALE));
  const next = updateScale(current, updates, procfileTypes(ctx, app));
  writeScaleList(ctx, app, SCALE_OLD, next.scaleOld);
  writeScaleList(ctx, app, SCALE, next.scale);
}

function writeScaleList(ctx: Context, app: string, key: string, lines: readonly string[]): void {
  const text = serializePropertyList(lines);
  if (ctx.props.get(app, key) === text) return;
  ctx.props.set(app, key, text);
}

/** `ps:report`'s procfile-path rows. */
export function appProcfilePath(ctx: Context, app: string): string {
  return ctx.props.get(app, PROCFILE_PATH) ?? "";
}

export function globalProcfilePath(ctx: Context): string {
  return ctx.props.get(GLOBAL_APP, PROCFILE_PATH) ?? "Procfile";
}

export function computedProcfilePath(ctx: Context, app: string): string {
  return appProcfilePath(ctx, app) || globalProcfilePath(ctx);
}
