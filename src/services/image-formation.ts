import { DokkuError } from "../core/errors.ts";
import {
  MAX_FORMATION_FILE_BYTES,
  applyScaleUpdates,
  generateFormation,
  parseAppJsonFormation,
  parseImageScaleFile,
  serializeFormation,
  type Formation,
} from "../core/formation.ts";
import { parseProcfile, type ProcfileEntry } from "../core/procfile.ts";
import { ensureDir, exists, removeIfExists, writeFileAtomic } from "../adapters/files.ts";
import { withImageFiles } from "../adapters/image-files.ts";
import { log } from "../adapters/log.ts";
import { EXTRACTED_SCALE_FILE, SCALE_FILE } from "../adapters/paths.ts";
import type { Context } from "./context.ts";
import { writeHotAnswers } from "./hot-answers.ts";
import { appJsonFormationMarkerPath, procfileCopyPath, updateScaleFile, writeFormation } from "./formation.ts";

export const imageName = (app: string, tag: string | undefined): string => `dokku/${app}:${tag || "latest"}`;

/** What a built image says about its processes, validated, before anything is written. */
export interface ImageProcessFiles {
  procfileText: string | undefined;
  procfile: ProcfileEntry[] | undefined;
  /** The image's own formation and where it came from, if it ships one. */
  formation: { formation: Formation; source: "DOKKU_SCALE" | "app.json"; text: string } | undefined;
}

/**
 * Reads Procfile, DOKKU_SCALE and app.json out of the built image (one
 * throw-away container) and validates them as untrusted input.
 */
export async function readImageProcessFiles(app: string, image: string): Promise<ImageProcessFiles> {
  const { procfileText, scaleText, appJsonText } = await withImageFiles(image, { app, maxBytes: MAX_FORMATION_FILE_BYTES, containers: 2 }, async (files) => {
    // Procfile and DOKKU_SCALE are read whenever present; app.json only
    // counts without a DOKKU_SCALE, so it is only located until that is known.
    const [procfileText, scaleText, appJsonPath] = await Promise.all([
      files.readFirst("Procfile", "Procfile"),
      files.readFirst("DOKKU_SCALE", "DOKKU_SCALE"),
      files.locate("app.json"),
    ]);
    const appJsonText = scaleText === undefined && appJsonPath !== undefined ? await files.read(appJsonPath, "app.json") : undefined;
    return { procfileText, scaleText, appJsonText };
  });
  const procfile = procfileText === undefined ? undefined : parseProcfile(procfileText);
  let formation: ImageProcessFiles["formation"];
  if (scaleText !== undefined) {
    formation = { formation: parseImageScaleFile(scaleText), source: "DOKKU_SCALE", text: scaleText };
  } else if (appJsonText !== undefined) {
    const fromJson = parseAppJsonFormation(appJsonText);
    if (fromJson) formation = { formation: fromJson, source: "app.json", text: serializeFormation(fromJson) };
  }
  if (formation && procfile) {
    const types = procfile.map((e) => e.processType);
    for (const [type, count] of formation.formation) {
      if (count > 0 && !types.includes(type)) {
        throw new DokkuError(`${formation.source} scales ${type}, which the Procfile does not define`);
      }
    }
  }
  return { procfileText, procfile, formation };
}

/**
 * The `pre-deploy` work (contract §6.12): refresh the Procfile copy and the
 * formation from the image being deployed. Everything is read and validated
 * first; files are written only once all of it is known to be good.
 */
export async function extractProcessFiles(ctx: Context, app: string, tag: string | undefined): Promise<void> {
  const found = await readImageProcessFiles(app, imageName(app, tag));

  ensureDir(ctx.paths.psDataDir(app));
  if (found.procfileText !== undefined) {
    log.info1Quiet("App Procfile file found");
    writeFileAtomic(procfileCopyPath(ctx, app), found.procfileText, 0o644);
  } else {
    log.info1Quiet("No Procfile found in app image");
    removeIfExists(procfileCopyPath(ctx, app));
  }

  writeHotAnswers(ctx, app, found.procfile);

  const extracted = ctx.paths.appFile(app, EXTRACTED_SCALE_FILE);
  if (found.formation) {
    // The image owns the formation: keep a copy (its presence locks ps:scale).
    if (found.formation.source === "app.json") writeFileAtomic(appJsonFormationMarkerPath(ctx, app), "", 0o644);
    else removeIfExists(appJsonFormationMarkerPath(ctx, app));
    writeFileAtomic(extracted, found.formation.text, 0o600);
    const types = found.procfile?.map((e) => e.processType);
    writeFormation(ctx, app, applyScaleUpdates(found.formation.formation, new Map(), types));
    log.info1Quiet(found.formation.source === "DOKKU_SCALE" ? "DOKKU_SCALE file exists" : "app.json formation found");
    return;
  }
  // The image stopped shipping a formation: hand scaling back to ps:scale,
  // starting again from the Procfile as Dokku does.
  removeIfExists(appJsonFormationMarkerPath(ctx, app));
  if (removeIfExists(extracted)) removeIfExists(ctx.paths.appFile(app, SCALE_FILE));
  if (exists(ctx.paths.appFile(app, SCALE_FILE))) {
    log.info1Quiet("DOKKU_SCALE file exists");
    updateScaleFile(ctx, app);
  } else {
    log.info1Quiet("DOKKU_SCALE file not found in app image. Generating one based on Procfile...");
    writeFormation(ctx, app, generateFormation(found.procfile));
  }
}
