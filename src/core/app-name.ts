import { DokkuError } from "./errors.ts";

// Dokku accepts names matching either its current rule or the legacy one
// (which allowed underscores); an app created under the legacy rule must keep working.
const APP_NAME = /^[a-z0-9][^/:_A-Z]*$/;
const LEGACY_APP_NAME = /^[a-z0-9][^/:A-Z]*$/;

/**
 * Validates the shape of an app name (not its existence). Beyond Dokku we also
 * refuse control characters, whitespace and `..`: the name becomes a path
 * component and a docker label value.
 */
export function assertAppNameShape(app: string | undefined): asserts app is string {
  if (app === undefined || app === "") {
    throw new DokkuError("Please specify an app to run the command on");
  }
  const shapeOk = APP_NAME.test(app) || LEGACY_APP_NAME.test(app);
  // eslint-disable-next-line no-control-regex
  const safe = !/[\s\u0000-\u001f\u007f\\]/.test(app) && !app.includes("..") && app.length <= 200;
  if (!shapeOk || !safe) {
    throw new DokkuError(
      "App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores",
    );
  }
}

/** assertAppNameShape as a predicate. */
export function isAppNameShape(app: string): boolean {
  try {
    assertAppNameShape(app);
    return true;
  } catch {
    return false;
  }
}
