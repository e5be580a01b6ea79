import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import {
  MAX_FORMATION_FILE_BYTES,
  applyScaleUpdates,
  generateFormation,
  parseScaleFile,
  serializeFormation,
  type Formation,
} from "../core/formation.ts";
import { parseProcfile, type ProcfileEntry } from "../core/procfile.ts";
import { exists, readIfExists, writeFileAtomic } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { EXTRACTED_SCALE_FILE, SCALE_FILE } from "../adapters/paths.ts";
import type { Context } from "./context.ts";
import { mirrorScaleProperty } from "./image-scale.ts";

/** Path of the Procfile copy extracted from the app's current image. */
export function procfileCopyPath(ctx: Context, app: string): string {
  return join(ctx.paths.psDataDir(app), "Procfile");
}

/** The extracted Procfile's entries, or undefined when the image has none. */
export function readProcfileCopy(ctx: Context, app: string): ProcfileEntry[] | undefined {
  const text = readIfExists(procfileCopyPath(ctx, app));
  if (text === undefined) return undefined;
  return parseProcfile(text);
}

/** True while the deployed image ships its own formation (DOKKU_SCALE or app.json). */
export function imageOwnsFormation(ctx: Context, app: string): boolean {
  return exists(ctx.paths.appFile(app, EXTRACTED_SCALE_FILE));
}

/**
 * Marker next to the Procfile copy, present while the image's formation
 * came from app.json rather than a DOKKU_SCALE file (DOKKU_SCALE.extracted
 * holds the formation either way).
 */
export function appJsonFormationMarkerPath(ctx: Context, app: string): string {
  return join(ctx.paths.psDataDir(app), "formation-from-app.json");
}

/** Which image file owns the formation, if any. */
export function imageFormationSource(ctx: Context, app: string): "DOKKU_SCALE" | "app.json" | undefined {
  if (!imageOwnsFormation(ctx, app)) return undefined;
  return exists(appJsonFormationMarkerPath(ctx, app)) ? "app.json" : "DOKKU_SCALE";
}

/**
 * The app's current formation from DOKKU_SCALE, with Dokku's warnings for
 * bad lines. Undefined when the file does not exist.
 */
export function readFormation(ctx: Context, app: string, warn = true): Formation | undefined {
  const text = readIfExists(ctx.paths.appFile(app, SCALE_FILE));
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text) > MAX_FORMATION_FILE_BYTES * 16) throw new DokkuError(`${SCALE_FILE} for ${app} is too large`);
  const { formation, warnings } = parseScaleFile(text);
  if (warn) for (const w of warnings) log.warn(w);
  return formation;
}

export function writeFormation(ctx: Context, app: string, formation: Formation): void {
  writeFileAtomic(ctx.paths.appFile(app, SCALE_FILE), serializeFormation(formation), 0o600);
  mirrorFormation(ctx, app, formation);
}

/**
 * Dokku 0.24 (the contract's mirrorsScaleProperty): the formation also kept
 * where Dokku 0.30+ keeps it, see mirrorScaleProperty.
 */
export function mirrorFormation(ctx: Context, app: string, formation: Formation): void {
  if (!ctx.contract.mirrorsScaleProperty) return;
  const source = imageFormationSource(ctx, app);
  const imageScaleText = source === "DOKKU_SCALE" ? readIfExists(ctx.paths.appFile(app, EXTRACTED_SCALE_FILE)) : undefined;
  mirrorScaleProperty(ctx, app, formation, imageScaleText, source !== undefined);
}

/**
 * Dokku's updateScalefile: generate the file if missing, apply updates,
 * reconcile with the Procfile; writes only when the result is valid.
 */
export function updateScaleFile(ctx: Context, app: string, updates: Formation = new Map()): Formation {
  const procfile = readProcfileCopy(ctx, app);
  const current = readFormation(ctx, app) ?? generateFormation(procfile);
  const next = applyScaleUpdates(current, updates, procfile?.map((e) => e.processType));
  const before = readIfExists(ctx.paths.appFile(app, SCALE_FILE));
  const text = serializeFormation(next);
  if (before !== text) writeFormation(ctx, app, next);
  return next;
}
