import { lstatSync } from "node:fs";
import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { MAX_FORMATION_FILE_BYTES, parseAppJsonFormation, parseImageScaleFile } from "../core/formation.ts";
import { parseProcfile } from "../core/procfile.ts";
import { readIfExists } from "../adapters/files.ts";

/**
 * `post-extract` / `core-post-extract <app> <source-dir> [rev]`: validate
 * the pushed Procfile (and DOKKU_SCALE / app.json formation) before the
 * build, so a bad file fails the push with a clear message and the running
 * release is untouched.
 */
export function validateSource(sourceDir: string | undefined): void {
  if (!sourceDir) return;
  const procfile = readSourceFile(sourceDir, "Procfile");
  if (procfile !== undefined) parseProcfile(procfile);
  const scale = readSourceFile(sourceDir, "DOKKU_SCALE");
  if (scale !== undefined) parseImageScaleFile(scale);
  const appJson = readSourceFile(sourceDir, "app.json");
  if (appJson !== undefined) parseAppJsonFormation(appJson);
}

function readSourceFile(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new DokkuError(`${name} must be a regular file`);
  if (stat.size > MAX_FORMATION_FILE_BYTES) throw new DokkuError(`${name} is larger than ${MAX_FORMATION_FILE_BYTES} bytes`);
  return readIfExists(path);
}
