import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAppNameShape } from "../core/app-name.ts";
import { DokkuError } from "../core/errors.ts";
import { MAX_FORMATION_FILE_BYTES, parseAppJsonFormation, parseImageScaleFile } from "../core/formation.ts";
import { parseProcfile } from "../core/procfile.ts";
import { ensureDir, exists, writeFileAtomic } from "../adapters/files.ts";
import type { Context } from "../services/context.ts";

const VALIDATORS: ReadonlyArray<[name: string, validate: (text: string) => unknown]> = [
  ["Procfile", parseProcfile],
  ["DOKKU_SCALE", parseImageScaleFile],
  ["app.json", parseAppJsonFormation],
];

/**
 * `post-extract` / `core-post-extract <app> <source-dir> [rev]`: validate
 * the pushed Procfile (and DOKKU_SCALE / app.json formation) before the
 * build, so a bad file fails the push with a clear message and the running
 * release is untouched.
 *
 * Files that pass are kept in data/ps/<app>/validated: the shell fast path
 * (scripts/fast-paths.sh) skips Node when a push brings byte-equal files,
 * which is the second of the two triggers and most pushes. pre-deploy
 * validates what the built image holds in any case.
 */
export function validateSource(ctx: Context, app: string | undefined, sourceDir: string | undefined): void {
  if (!sourceDir) return;
  const passed: Array<[string, Buffer]> = [];
  for (const [name, validate] of VALIDATORS) {
    const bytes = readSourceFile(sourceDir, name);
    if (bytes === undefined) continue;
    validate(bytes.toString("utf8"));
    passed.push([name, bytes]);
  }
  // Only for an app that exists: the name becomes a path.
  if (!app || !isAppNameShape(app) || !exists(ctx.paths.appDir(app))) return;
  const dir = join(ctx.paths.psDataDir(app), "validated");
  ensureDir(dir);
  for (const [name, bytes] of passed) writeFileAtomic(join(dir, name), bytes, 0o644);
}

function readSourceFile(dir: string, name: string): Buffer | undefined {
  const path = join(dir, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new DokkuError(`${name} must be a regular file`);
  if (stat.size > MAX_FORMATION_FILE_BYTES) throw new DokkuError(`${name} is larger than ${MAX_FORMATION_FILE_BYTES} bytes`);
  return readFileSync(path);
}
