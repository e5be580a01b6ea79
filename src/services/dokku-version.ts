import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { dokkuVersionProblem } from "../core/dokku-version.ts";
import { readIfExists } from "../adapters/files.ts";
import { pathsFromEnv } from "../adapters/paths.ts";

/**
 * `node dist/ps.cjs version-check [<VERSION text>]` (install.sh runs it before
 * changing anything): exit 0 silently when this host's Dokku is supported,
 * else one line and exit 1. Without an argument it reads
 * `$DOKKU_LIB_ROOT/VERSION`. Cheap: one file read, no Docker, no plugn.
 */
export function versionCheck(args: readonly string[]): void {
  const file = join(pathsFromEnv().libRoot, "VERSION");
  const text = args.length > 0 ? args[0] : readIfExists(file);
  const problem = dokkuVersionProblem(text, file);
  if (problem) throw new DokkuError(problem);
}
