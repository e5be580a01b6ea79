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
import { join, posix } from "node:path";
import { candidatePaths } from "../core/image-paths.ts";
import { ensureDir, exists, readIfExists, removeIfExists, writeFileAtomic } from "../adapters/files.ts";
import { ImageNotFoundError, inspectImage, withImageFiles, type ImageIdentity } from "../adapters/image-files.ts";
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

/** The raw files of one image, as read (undefined: absent, or not needed). */
interface ImageTexts {
  procfileText: string | undefined;
  scaleText: string | undefined;
  appJsonText: string | undefined;
}

/**
 * Reads Procfile, DOKKU_SCALE and app.json out of the built image and
 * validates them as untrusted input.
 *
 * An image ID is a digest of the image's content, so what was read from one
 * ID holds for as long as the ID exists: the texts of the last image read
 * are kept (data/ps/<app>/image-files.json, written only once they passed
 * validation) and a restart or redeploy of the same image reads nothing
 * from the engine but the ID. They are validated again on every use. On
 * Dokku 0.30+ they are kept only while the image ships a DOKKU_SCALE (see
 * keepsTexts).
 */
export async function readImageProcessFiles(ctx: Context, app: string, image: string): Promise<ImageProcessFiles> {
  const read = await readImageTexts(ctx, app, image);
  const found = validateImageTexts(read.texts);
  read.keep();
  return found;
}

/**
 * The image's Procfile alone (`procfile-extract`): undefined when it has
 * none or the image does not exist; `parse` validates it (and fails as
 * pre-deploy's check does). The other files are not judged here, but the
 * texts are kept as readImageProcessFiles keeps them when they pass, so the
 * `pre-deploy` of the same image that follows reads nothing from the engine
 * but the ID.
 */
export async function readImageProcfile(
  ctx: Context,
  app: string,
  image: string,
): Promise<{ text: string; parse: () => ProcfileEntry[] } | undefined> {
  // A bad Procfile fails in parse below (pre-deploy judges the rest).
  const text = (await readImageTextsOfOne(ctx, app, image))?.procfileText;
  return text === undefined ? undefined : { text, parse: () => parseProcfile(text) };
}

/**
 * The image's DOKKU_SCALE alone (Dokku 0.30+, where ps reads no other file
 * of the image): read where pre-deploy reads it on 0.24 (WORKDIR, `/app`,
 * `/`; a tar stream, the same size limit) and validated as there. Undefined
 * when the image has none or does not exist. The texts are kept, as
 * readImageProcfile keeps them, when all of them pass.
 */
export async function readImageScaleFile(ctx: Context, app: string, image: string): Promise<{ formation: Formation; text: string } | undefined> {
  // Only DOKKU_SCALE is judged here (the Procfile and app.json are the pushed source's on 0.30+).
  const text = (await readImageTextsOfOne(ctx, app, image))?.scaleText;
  return text === undefined ? undefined : { formation: parseImageScaleFile(text), text };
}

/**
 * The texts of an image for a reader that wants one of them
 * (readImageProcfile, readImageScaleFile): undefined when the image does not
 * exist (Dokku copies nothing out of an image that is not there); kept as
 * readImageProcessFiles keeps them when all pass validation, and otherwise
 * returned unjudged, the caller checking the one text it uses.
 */
async function readImageTextsOfOne(ctx: Context, app: string, image: string): Promise<ImageTexts | undefined> {
  let read: Awaited<ReturnType<typeof readImageTexts>>;
  try {
    read = await readImageTexts(ctx, app, image);
  } catch (error) {
    if (error instanceof ImageNotFoundError) return undefined;
    throw error;
  }
  try {
    validateImageTexts(read.texts);
    read.keep();
  } catch {
    // Not this reader's text, or judged by the caller.
  }
  return read.texts;
}

/** The three texts of one image (kept ones when the image ID matches); `keep` records them once they passed validation. */
async function readImageTexts(ctx: Context, app: string, image: string): Promise<{ texts: ImageTexts; keep: () => void }> {
  const identity = await inspectImage(image);
  const kept = readKeptRecord(ctx, app);
  const cached = kept?.image === identity.id ? kept.texts : undefined;
  let perFileReads = kept?.perFileReads ?? false;
  let texts = cached;
  if (!texts) {
    const read = await readImageTextsFromEngine(app, identity, perFileReads);
    texts = read.texts;
    perFileReads ||= read.scanGaveUp;
  }
  if (!keepsTexts(ctx, texts)) removeIfExists(imageTextsPath(ctx, app));
  const keep = (): void => {
    if (cached || !keepsTexts(ctx, texts)) return;
    ensureDir(ctx.paths.psDataDir(app));
    const record = { image: identity.id, ...texts, ...(perFileReads ? { perFileReads } : {}) };
    writeFileAtomic(imageTextsPath(ctx, app), JSON.stringify(record), 0o644);
  };
  return { texts, keep };
}

const imageTextsPath = (ctx: Context, app: string) => join(ctx.paths.psDataDir(app), "image-files.json");

/**
 * Dokku 0.30+ (core ps keeps nothing of the image): the texts are kept only
 * while the image ships a DOKKU_SCALE, so an app without one has nothing in
 * data/ps/<app>/ that core ps would not write there (its image is read again
 * on each deploy, one throw-away container). Dokku 0.24: always.
 */
const keepsTexts = (ctx: Context, texts: ImageTexts): boolean => ctx.contract.formationStore !== "scale-property" || texts.scaleText !== undefined;

interface KeptRecord {
  image: unknown;
  /** The texts, if the record is whole. */
  texts: ImageTexts | undefined;
  /** A directory scan of this app's images gave up once (too much before the files): read file by file. */
  perFileReads: boolean;
}

function readKeptRecord(ctx: Context, app: string): KeptRecord | undefined {
  let saved: unknown;
  try {
    saved = JSON.parse(readIfExists(imageTextsPath(ctx, app)) ?? "null");
  } catch {
    return undefined; // unreadable: read the image again
  }
  if (!saved || typeof saved !== "object") return undefined;
  const record = saved as Record<string, unknown>;
  const text = (key: string): string | undefined | null => {
    const value = record[key];
    return value === undefined ? undefined : typeof value === "string" ? value : null;
  };
  const texts = { procfileText: text("procfileText"), scaleText: text("scaleText"), appJsonText: text("appJsonText") };
  const whole = !Object.values(texts).includes(null);
  return { image: record["image"], texts: whole ? (texts as ImageTexts) : undefined, perFileReads: record["perFileReads"] === true };
}

/** What a directory scan of the image wants: app.json only counts without a DOKKU_SCALE. */
const wantedInImage = (found: ReadonlySet<string>): readonly string[] =>
  found.has("DOKKU_SCALE") ? ["DOKKU_SCALE", "Procfile"] : ["DOKKU_SCALE", "Procfile", "app.json"];

/**
 * The files are looked for in the image's WORKDIR first (then /app, then /,
 * see candidatePaths). Where that is a directory of its own, one archive
 * request for it usually answers everything (one throw-away container, one
 * re-executed engine helper); names it leaves open are read file by file.
 * An app whose scan had to give up (a big `.heroku` before the Procfile)
 * is read file by file from then on: Procfile and DOKKU_SCALE in parallel,
 * through a container each.
 */
async function readImageTextsFromEngine(app: string, identity: ImageIdentity, perFileReads: boolean): Promise<{ texts: ImageTexts; scanGaveUp: boolean }> {
  const paths = (name: string) => candidatePaths(name, identity.workingDir);
  const options = { app, maxBytes: MAX_FORMATION_FILE_BYTES };
  const firstDir = posix.normalize(identity.workingDir || "/");
  if (perFileReads || firstDir === "/") {
    return withImageFiles(identity.id, { ...options, containers: 2 }, async (files) => ({
      texts: await readTexts((name) => files.readFirst(paths(name), name)),
      scanGaveUp: false,
    }));
  }
  return withImageFiles(identity.id, { ...options, containers: 1 }, async (files) => {
    const scan = await files.scanDirectory(firstDir, wantedInImage);
    const texts = await readTexts(async (name) => {
      if (scan.files.has(name)) return scan.files.get(name);
      const inFirstDir = posix.join(firstDir, name);
      return files.readFirst(scan.absent.has(name) ? paths(name).filter((p) => p !== inFirstDir) : paths(name), name);
    });
    return { texts, scanGaveUp: !scan.complete };
  });
}

/**
 * Procfile and DOKKU_SCALE, side by side (with a container each they are
 * read in parallel); app.json only counts without a DOKKU_SCALE, so it is
 * read once that is known.
 */
async function readTexts(read: (name: string) => Promise<string | undefined>): Promise<ImageTexts> {
  const [procfileText, scaleText] = await Promise.all([read("Procfile"), read("DOKKU_SCALE")]);
  const appJsonText = scaleText === undefined ? await read("app.json") : undefined;
  return { procfileText, scaleText, appJsonText };
}

function validateImageTexts({ procfileText, scaleText, appJsonText }: ImageTexts): ImageProcessFiles {
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
  const found = await readImageProcessFiles(ctx, app, imageName(app, tag));

  ensureDir(ctx.paths.psDataDir(app));
  replaceProcfileCopy(ctx, app, found.procfileText, found.procfile);

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

/**
 * Dokku's extractProcfile, once the image's Procfile is known (and valid):
 * the found / not-found line, the Procfile copy, and the precomputed
 * answers derived from it (src/services/hot-answers.ts), which must always
 * describe the copy next to them.
 */
export function replaceProcfileCopy(ctx: Context, app: string, text: string | undefined, procfile: ProcfileEntry[] | undefined): void {
  if (text !== undefined) {
    log.info1Quiet(PROCFILE_FOUND);
    writeFileAtomic(procfileCopyPath(ctx, app), text, 0o644);
  } else {
    log.info1Quiet(NO_PROCFILE_FOUND);
    removeIfExists(procfileCopyPath(ctx, app));
  }
  writeHotAnswers(ctx, app, procfile);
}

/** Dokku's two info lines of extractProcfile. */
export const PROCFILE_FOUND = "App Procfile file found";
export const NO_PROCFILE_FOUND = "No Procfile found in app image";
