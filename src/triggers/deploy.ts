import { DokkuError } from "../core/errors.ts";
import { assertImageTag } from "../core/image-tag.ts";
import { isValidProcessType, procfileCommand } from "../core/procfile.ts";
import { ensureDir, readIfExists, writeFileAtomic } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { procfileCopyPath, readProcfileCopy } from "../services/formation.ts";
import { extractProcessFiles, imageName, readImageProcessFiles } from "../services/image-formation.ts";

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
