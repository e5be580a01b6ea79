import { DokkuError } from "./errors.ts";
import { assertRestartPolicy } from "./restart-policy.ts";

/**
 * `ps:set` keys and their values (contract §6.10, plus newer Dokku's
 * `restore` and `stop-timeout-seconds`). All of them may be set `--global`.
 */
export const PS_PROPERTIES = ["restart-policy", "restore", "stop-timeout-seconds"] as const;
/** Every key some Dokku version's ps:set takes (which ones a host takes: core/dokku-contract.ts). */
export type PsProperty = (typeof PS_PROPERTIES)[number] | "procfile-path" | "skip-deploy" | "start-cmd" | "dockerfile-start-cmd";

/** Largest accepted stop timeout (a day); Docker takes an int32 of seconds. */
export const MAX_STOP_TIMEOUT_SECONDS = 86_400;

export interface SetRequest {
  /** undefined with --global. */
  readonly app: string | undefined;
  readonly key: string;
  readonly value: string;
}

/** `ps:set [--global|<app>] <key> [<value>]` positionals, as pflag sees them. */
export function parseSetPositionals(positionals: readonly string[], global: boolean): SetRequest {
  if (global) return { app: undefined, key: positionals[0] ?? "", value: positionals[1] ?? "" };
  return { app: positionals[0] ?? "", key: positionals[1] ?? "", value: positionals[2] ?? "" };
}

export function assertPsProperty(key: string, valid: readonly string[] = PS_PROPERTIES): PsProperty {
  if (key === "") throw new DokkuError("No property specified");
  if (!valid.includes(key)) {
    throw new DokkuError(`Invalid property specified, valid properties include: ${[...valid].sort().join(", ")}`);
  }
  return key as PsProperty;
}

/**
 * core ps 0.36+'s ps:set checks, in core's order (plugins/ps CommandSet, then
 * common.CommandPropertySet), after the restart policy's own check and the
 * app's: a key without a global value, no key, a key this Dokku has not.
 */
export function assertSetKey(key: string, global: boolean, valid: readonly string[], globalKeys: readonly string[]): PsProperty {
  if (global && !globalKeys.includes(key)) throw new DokkuError("Property cannot be specified globally");
  if (key === "") throw new DokkuError("No property specified");
  return assertPsProperty(key, valid);
}

/** Dokku's CommandPropertySet: a key that has no global value. */
export function assertGlobalProperty(key: PsProperty, globalKeys: readonly string[]): void {
  if (!globalKeys.includes(key)) throw new DokkuError("Property cannot be specified globally");
}

/**
 * The value to store, or undefined to unset (empty value). Throws on a
 * value the property cannot take.
 */
export function normalizePropertyValue(key: PsProperty, value: string): string | undefined {
  if (value === "") return undefined;
  switch (key) {
    case "restart-policy":
      return assertRestartPolicy(value);
    case "procfile-path":
      // Dokku 0.30+: stored as given; core-post-extract refuses one outside the source.
      return value;
    case "restore":
      if (value === "true" || value === "false") return value;
      throw new DokkuError("Invalid restore specified, valid values: true, false");
    case "skip-deploy":
      // Core ps 0.38 stores anything; its scheduler skips only on `true`.
      if (value === "true" || value === "false") return value;
      throw new DokkuError("Invalid skip-deploy specified, valid values: true, false");
    case "start-cmd":
    case "dockerfile-start-cmd":
      // A command line, as core stores it (the scheduler splits it as a shell would).
      return value;
    case "stop-timeout-seconds": {
      if (!/^[0-9]+$/.test(value) || Number(value) > MAX_STOP_TIMEOUT_SECONDS) {
        throw new DokkuError(`Invalid stop-timeout-seconds specified, must be an integer from 0 to ${MAX_STOP_TIMEOUT_SECONDS}`);
      }
      return String(Number(value));
    }
  }
}
