import { DokkuError } from "../core/errors.ts";
import { assertImageTag } from "../core/image-tag.ts";
import { isValidProcessType, procfileCommand } from "../core/procfile.ts";
import { isImageReference } from "../core/image-reference.ts";
import { ensureDir, readIfExists, removeIfExists, writeFileAtomic } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { setPermissions } from "../adapters/system-user.ts";
import { verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { procfileCopyPath, readProcfileCopy } from "../services/formation.ts";
import { clearHotAnswers } from "../services/hot-answers.ts";
import {
  NO_PROCFILE_FOUND,
  PROCFILE_FOUND,
  extractProcessFiles,
  imageName,
  readImageProcessFiles,
  readImageProcfile,
  replaceProcfileCopy,
} from "../services/image-formation.ts";

/** `pre-deploy <app> <tag>`: Procfile and formation from the image being deployed. */
export async function preDeploy(ctx: Context, [app, tag]: string[]): Promise<void> {
  verifyApp(ctx, app);
  await extractProcessFiles(ctx, app as string, tag ? assertImageTag(tag) : undefined);
}

/**
 * `procfile-get-command <app> <type> [port]`: the start command for one
 * process type. Called once per container during a deploy, so it reads the
 * Procfile copy and only goes to the image when there is none.
 */
export async function procfileGetCommand(ctx: Context, [app, type, portText]: string[]): Promise<void> {
  verifyApp(ctx, app);
  if (!isValidProcessType(type ?? "")) throw new DokkuError(`Invalid process type ${JSON.stringify(type ?? "")}`);
  const port = /^[0-9]+$/.test(portText ?? "") ? Number(portText) : 5000;
  let entries = readProcfileCopy(ctx, app as string);
  if (entries === undefined) {
    const found = await readImageProcessFiles(ctx, app as string, imageName(app as string, undefined));
    if (found.procfileText === undefined) throw new DokkuError("No procfile found");
    ensureDir(ctx.paths.psDataDir(app as string));
    if (readIfExists(procfileCopyPath(ctx, app as string)) === undefined) {
      writeFileAtomic(procfileCopyPath(ctx, app as string), found.procfileText, 0o644);
    }
    entries = found.procfile ?? [];
  }
  const command = procfileCommand(entries, type ?? "", port);
  if (command) log.out(`${command}\n`);
}

/**
 * `procfile-extract <app> <image>` (core ps 0.24.10; fired by app-json's
 * release-task lookup with the image being deployed, `dokku/<app>:<tag>`):
 * the data dir (0755), the old Procfile copy dropped, then the Procfile of
 * `<image>` — looked for where pre-deploy looks — copied with Dokku's found
 * / not-found line. As in Dokku, an image that does not exist (or a name
 * that is not an image reference) just has no Procfile, and a Procfile that
 * fails the check fails the trigger after the found line. Unlike Dokku, the
 * invalid Procfile is not kept as the copy (every reader of the copy relies
 * on it having passed the check).
 */
export async function procfileExtract(ctx: Context, [app, image]: string[]): Promise<void> {
  verifyApp(ctx, app);
  const dir = ctx.paths.psDataDir(app as string);
  ensureDir(dir, 0o755);
  try {
    setPermissions(dir, 0o755);
  } catch {
    // not ours to change (another user's directory): leave it
  }
  dropProcfileCopy(ctx, app as string);
  const found = isImageReference(image ?? "") ? await readImageProcfile(ctx, app as string, image as string) : undefined;
  if (found === undefined) {
    log.info1Quiet(NO_PROCFILE_FOUND);
    return;
  }
  let entries;
  try {
    entries = found.parse();
  } catch (error) {
    log.info1Quiet(PROCFILE_FOUND);
    throw error;
  }
  replaceProcfileCopy(ctx, app as string, found.text, entries);
}

/** `procfile-remove <app>`: drops the Procfile copy (and what was derived from it). No Docker. */
export function procfileRemove(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  dropProcfileCopy(ctx, app as string);
}

/**
 * No Procfile copy, and no precomputed answers that were derived from one
 * (or from an image without one): the per-container triggers then ask the
 * entry, which reads the app's image again, as Dokku's do.
 */
function dropProcfileCopy(ctx: Context, app: string): void {
  // Answers first: a shim that still sees the copy then finds no answer and asks the entry.
  clearHotAnswers(ctx, app);
  removeIfExists(procfileCopyPath(ctx, app));
}
