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
  return {
    dokkuRoot,
    libRoot,
    appDir: (app) => join(dokkuRoot, app),
    appFile: (app, file) => join(dokkuRoot, app, file),
    psDataDir: (app) => join(libRoot, "data", "ps", app),
    propertyDir: (plugin, app) => join(libRoot, "config", plugin, app),
  };
}

/** Files ps owns or reads in `$DOKKU_ROOT/<app>/`. */
export const SCALE_FILE = "DOKKU_SCALE";
export const EXTRACTED_SCALE_FILE = "DOKKU_SCALE.extracted";
export const DOCKER_OPTIONS_DEPLOY = "DOCKER_OPTIONS_DEPLOY";
export const ENV_FILE = "ENV";
export const DEPLOY_LOCK_FILE = ".deploy.lock";
