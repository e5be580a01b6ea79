import { join } from "node:path";
import { readdirSync } from "node:fs";
import { sortedEntries, type Formation } from "../core/formation.ts";
import { goBool, serializePropertyList } from "../core/scale-property.ts";
import { exists, readIfExists, removeIfExists, writeFileAtomic } from "../adapters/files.ts";
import type { Context } from "./context.ts";
import { CAN_SCALE, SCALE, setCanScale } from "./scale-property.ts";

/**
 * DOKKU_SCALE on Dokku 0.30+ (core ps 0.31.5 ignores it): while the image
 * being deployed ships one, it is the formation (the `scale` property list,
 * `can-scale` false). `data/ps/<app>/DOKKU_SCALE` holds its text for as long
 * as it rules: ps:scale then refuses with 0.24's words, and app-json's
 * ps-can-scale / ps-set-scale of the same deploy are kept aside
 * (`data/ps/<app>/app-json-scale.<DOKKU_PID>`) rather than applied, whatever
 * order the two plugins' triggers run in. A deploy whose image has none
 * hands scaling back and applies what app-json asked in it.
 */
export const DOKKU_SCALE_MARKER = "DOKKU_SCALE";
const REQUEST_PREFIX = "app-json-scale.";

export const dokkuScaleMarkerPath = (ctx: Context, app: string): string => join(ctx.paths.psDataDir(app), DOKKU_SCALE_MARKER);

/** True while the deployed image's DOKKU_SCALE is the app's formation. */
export function dokkuScaleRules(ctx: Context, app: string): boolean {
  return exists(dokkuScaleMarkerPath(ctx, app));
}

/** The refusal of ps:scale while DOKKU_SCALE rules (0.24's exact text). */
export const dokkuScaleRefusal = (app: string): string => `App ${app} contains DOKKU_SCALE file and cannot be manually scaled`;

/** `type=count` lines sorted by type, as the push line and the 0.24 mirror show them. */
export function formationLines(formation: Formation): string[] {
  return sortedEntries(formation).map(([type, count]) => `${type}=${count}`);
}

export function writeDokkuScaleMarker(ctx: Context, app: string, text: string): void {
  if (readIfExists(dokkuScaleMarkerPath(ctx, app)) === text) return;
  writeFileAtomic(dokkuScaleMarkerPath(ctx, app), text, 0o600);
}

export function removeDokkuScaleMarker(ctx: Context, app: string): boolean {
  return removeIfExists(dokkuScaleMarkerPath(ctx, app));
}

/** app-json's requests of one deploy, kept aside while DOKKU_SCALE rules. */
export interface AppJsonRequest {
  canScale?: boolean;
  setScale?: { skipDeploy: boolean; clearExisting: boolean; tuples: string[] };
}

const requestPath = (ctx: Context, app: string): string => join(ctx.paths.psDataDir(app), `${REQUEST_PREFIX}${process.env["DOKKU_PID"] ?? ""}`);

export function readAppJsonRequest(ctx: Context, app: string): AppJsonRequest {
  try {
    const saved = JSON.parse(readIfExists(requestPath(ctx, app)) ?? "{}") as Record<string, unknown>;
    const request: AppJsonRequest = {};
    if (typeof saved["canScale"] === "boolean") request.canScale = saved["canScale"];
    const set = saved["setScale"] as Record<string, unknown> | undefined;
    if (set && Array.isArray(set["tuples"]) && set["tuples"].every((t) => typeof t === "string")) {
      request.setScale = { skipDeploy: set["skipDeploy"] === true, clearExisting: set["clearExisting"] === true, tuples: set["tuples"] as string[] };
    }
    return request;
  } catch {
    return {};
  }
}

export function keepAppJsonRequest(ctx: Context, app: string, change: AppJsonRequest): void {
  writeFileAtomic(requestPath(ctx, app), JSON.stringify({ ...readAppJsonRequest(ctx, app), ...change }), 0o600);
}

/** Every kept request (of this deploy and of any earlier one that failed). */
export function dropAppJsonRequests(ctx: Context, app: string): void {
  let entries: string[];
  try {
    entries = readdirSync(ctx.paths.psDataDir(app));
  } catch {
    return;
  }
  for (const entry of entries) if (entry.startsWith(REQUEST_PREFIX)) removeIfExists(join(ctx.paths.psDataDir(app), entry));
}

/**
 * Dokku 0.24: the formation ps just wrote to DOKKU_SCALE, mirrored in 0.31.5's
 * format (`scale` lines and `can-scale`; false while the image owns the
 * formation), plus the DOKKU_SCALE marker while it came from the image's
 * DOKKU_SCALE. Core ps 0.24 reads none of it; 0.30+ reads it after an
 * in-place upgrade. Written only when it changes.
 */
export function mirrorScaleProperty(ctx: Context, app: string, formation: Formation, imageScaleText: string | undefined, imageOwns: boolean): void {
  const text = serializePropertyList(formationLines(formation));
  if (ctx.props.get(app, SCALE) !== text) ctx.props.set(app, SCALE, text);
  const canScale = ctx.props.get(app, CAN_SCALE);
  if (canScale === undefined || goBool(canScale) !== !imageOwns) setCanScale(ctx, app, !imageOwns);
  if (imageScaleText !== undefined) writeDokkuScaleMarker(ctx, app, imageScaleText);
  else removeDokkuScaleMarker(ctx, app);
}
