import { join } from "node:path";

/**
 * Where Dokku keeps things (contract §4), from the environment the dokku
 * entry script exports to every plugin executable.
 */
export interface DokkuPaths {
  readonly dokkuRoot: string;
  readonly libRoot: string;
  appDir(app: string): string;
  /** `$DOKKU_ROOT/<app>/<file>` */
  appFile(app: string, file: string): string;
  /** `$DOKKU_LIB_ROOT/data/ps/<app>` (the extracted Procfile lives here). */
  psDataDir(app: string): string;
  /** `$DOKKU_LIB_ROOT/config/<plugin>/<app>` */
  propertyDir(plugin: string, app: string): string;
}

export function pathsFromEnv(env: NodeJS.ProcessEnv = process.env): DokkuPaths {
  const dokkuRoot = env["DOKKU_ROOT"] || "/home/dokku";
  const libRoot = env["DOKKU_LIB_ROOT"] || env["DOKKU_LIB_PATH"] || "/var/lib/dokku";
  // path.join normalises every call (~5 µs, dozens a report row); names
  // that are one plain path segment are joined by concatenation onto the
  // roots normalised once, which is what join returns for them (anything
  // else goes to join itself).
  const base = (root: string, ...fixed: string[]) => {
    const prefix = prefixOf(join(root, ...fixed, "."));
    return (...names: string[]) => (names.every(isPlainSegment) ? `${prefix}${names.join("/")}` : join(root, ...fixed, ...names));
  };
  const home = base(dokkuRoot);
  const config = base(libRoot, "config");
  const psData = base(libRoot, "data", "ps");
  return {
    dokkuRoot,
    libRoot,
    appDir: (app) => home(app),
    appFile: (app, file) => home(app, file),
    psDataDir: (app) => psData(app),
    propertyDir: (plugin, app) => config(plugin, app),
  };
}

/** What a normalised root puts before a joined name (join("/", "a") is "/a", join(".", "a") is "a"). */
function prefixOf(root: string): string {
  if (root === "/") return "/";
  if (root === ".") return "";
  return `${root}/`;
}

/** One path segment that join would leave as it is (no separator, not `.`/`..`, not empty). */
function isPlainSegment(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/");
}

/** Files ps owns or reads in `$DOKKU_ROOT/<app>/`. */
export const SCALE_FILE = "DOKKU_SCALE";
export const EXTRACTED_SCALE_FILE = "DOKKU_SCALE.extracted";
export const DOCKER_OPTIONS_DEPLOY = "DOCKER_OPTIONS_DEPLOY";
export const ENV_FILE = "ENV";
export const DEPLOY_LOCK_FILE = ".deploy.lock";
