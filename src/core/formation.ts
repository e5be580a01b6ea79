import { DokkuError } from "./errors.ts";
import { isValidProcessType, type ProcfileEntry } from "./procfile.ts";

/**
 * A formation: how many containers of each process type run. Kept as a Map
 * so insertion order is irrelevant and lookups are cheap; serialised sorted.
 */
export type Formation = ReadonlyMap<string, number>;

/**
 * Upper bound on containers per process type. Dokku has none, but a count
 * comes from files app authors control (DOKKU_SCALE, app.json) and a single
 * host cannot run more than this many containers of one type in practice.
 */
export const MAX_PROCESS_COUNT = 100;

/** Untrusted formation files larger than this are refused, not parsed. */
export const MAX_FORMATION_FILE_BYTES = 64 * 1024;

export const DEFAULT_FORMATION: Formation = new Map([["web", 1]]);

const COUNT = /^(0|[1-9][0-9]{0,8})$/;

function parseCount(text: string): number | undefined {
  return COUNT.test(text) ? Number(text) : undefined;
}

function stripComment(line: string): string {
  const hash = line.indexOf("#");
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

export interface LenientParse {
  formation: Formation;
  warnings: string[];
}

/**
 * Reads the app's own DOKKU_SCALE file the forgiving way Dokku does: bad
 * lines are skipped with a warning (0-based index among non-blank lines, as
 * Dokku numbers them) and an empty result falls back to `web=1`.
 * Comments are skipped like Dokku's scheduler does.
 */
export function parseScaleFile(text: string): LenientParse {
  const warnings: string[] = [];
  const formation = new Map<string, number>();
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  lines.forEach((raw, index) => {
    const line = stripComment(raw);
    if (line === "") return;
    const parts = line.split("=");
    if (parts.length !== 2 || !isValidProcessType((parts[0] as string).trim())) {
      warnings.push(`Invalid scale entry on line ${index}, skipping`);
      return;
    }
    const count = parseCount((parts[1] as string).trim());
    if (count === undefined || count > MAX_PROCESS_COUNT) {
      warnings.push(`Invalid count on line ${index}, skipping`);
      return;
    }
    formation.set((parts[0] as string).trim(), count);
  });
  if (formation.size === 0) {
    warnings.push("No valid entries found in scale file, defaulting to web=1");
    return { formation: new Map(DEFAULT_FORMATION), warnings };
  }
  return { formation, warnings };
}

/**
 * Parses a DOKKU_SCALE file that came out of an image. App authors control
 * it, so nothing is skipped silently: any bad line refuses the whole file
 * with a message naming the 1-based line.
 */
export function parseImageScaleFile(text: string, source = "DOKKU_SCALE"): Formation {
  if (Buffer.byteLength(text, "utf8") > MAX_FORMATION_FILE_BYTES) {
    throw new DokkuError(`${source} is larger than ${MAX_FORMATION_FILE_BYTES} bytes`);
  }
  if (text.includes("\0")) throw new DokkuError(`${source} contains a NUL byte`);
  const formation = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = stripComment(raw);
    if (line === "") return;
    const where = `${source} line ${index + 1}`;
    const eq = line.indexOf("=");
    if (eq === -1) throw new DokkuError(`Invalid ${where}: expected <process-type>=<count>`);
    const type = line.slice(0, eq).trim();
    const countText = line.slice(eq + 1).trim();
    if (!isValidProcessType(type)) throw new DokkuError(`Invalid ${where}: invalid process type name`);
    const count = parseCount(countText);
    if (count === undefined || count > MAX_PROCESS_COUNT) {
      throw new DokkuError(`Invalid ${where}: count for ${type} must be an integer from 0 to ${MAX_PROCESS_COUNT}`);
    }
    if (formation.has(type)) throw new DokkuError(`Invalid ${where}: process type ${type} is listed twice`);
    formation.set(type, count);
  });
  if (formation.size === 0) throw new DokkuError(`${source} has no process types`);
  return formation;
}

/**
 * Parses an app.json `formation` key (newer Dokku's image-supplied scale):
 * `{"formation": {"web": {"quantity": 2}}}`. Returns undefined when the file
 * has no formation key; refuses anything malformed.
 */
export function parseAppJsonFormation(text: string): Formation | undefined {
  if (Buffer.byteLength(text, "utf8") > MAX_FORMATION_FILE_BYTES) {
    throw new DokkuError(`app.json is larger than ${MAX_FORMATION_FILE_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new DokkuError("Invalid app.json: not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new DokkuError("Invalid app.json: not a JSON object");
  const formationValue = (doc as Record<string, unknown>)["formation"];
  if (formationValue === undefined) return undefined;
  if (typeof formationValue !== "object" || formationValue === null || Array.isArray(formationValue)) {
    throw new DokkuError("Invalid app.json: formation must be an object");
  }
  const formation = new Map<string, number>();
  for (const [type, spec] of Object.entries(formationValue)) {
    if (!isValidProcessType(type)) throw new DokkuError("Invalid app.json: formation has an invalid process type name");
    const quantity = typeof spec === "object" && spec !== null ? (spec as Record<string, unknown>)["quantity"] : undefined;
    // Heroku's app.json default quantity is 1 when a type is listed without one.
    const count = quantity === undefined ? 1 : quantity;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_PROCESS_COUNT) {
      throw new DokkuError(`Invalid app.json: formation quantity for ${type} must be an integer from 0 to ${MAX_PROCESS_COUNT}`);
    }
    formation.set(type, count);
  }
  if (formation.size === 0) return undefined;
  return formation;
}

/** `proc=count` lines, sorted by type, newline-terminated. */
export function serializeFormation(formation: Formation): string {
  return sortedEntries(formation).map(([type, count]) => `${type}=${count}\n`).join("");
}

export function sortedEntries(formation: Formation): Array<[string, number]> {
  return [...formation.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function formationsEqual(a: Formation, b: Formation): boolean {
  if (a.size !== b.size) return false;
  for (const [type, count] of a) if (b.get(type) !== count) return false;
  return true;
}

/**
 * Dokku's generated formation: `web=1` without a Procfile, otherwise every
 * Procfile type at 0 except `web` at 1.
 */
export function generateFormation(procfile: readonly ProcfileEntry[] | undefined): Formation {
  if (!procfile || procfile.length === 0) return new Map(DEFAULT_FORMATION);
  return new Map(procfile.map((e) => [e.processType, e.processType === "web" ? 1 : 0]));
}

/** Parses `ps:scale` tuples (`web=2 worker=1`), stopping at the first bad one. */
export function parseScaleTuples(tuples: readonly string[]): Formation {
  const updates = new Map<string, number>();
  for (const tuple of tuples) {
    const parts = tuple.split("=");
    if (parts.length < 2) throw new DokkuError(`Missing count for process type ${tuple}`);
    const type = parts[0] as string;
    if (!isValidProcessType(type)) throw new DokkuError(`Invalid process type ${JSON.stringify(type)}`);
    const count = parseCount(parts[1] as string);
    if (count === undefined || count > MAX_PROCESS_COUNT || parts.length > 2) {
      throw new DokkuError(`Invalid count for process type ${type}`);
    }
    updates.set(type, count);
  }
  return updates;
}

/**
 * Dokku's updateScalefile rules: apply updates; with a Procfile, refuse to
 * scale up a type it lacks, and add each Procfile type missing from the
 * formation at 0. Types absent from the Procfile are kept.
 */
export function applyScaleUpdates(
  current: Formation,
  updates: Formation,
  procfileTypes: readonly string[] | undefined,
): Formation {
  const next = new Map(current);
  for (const [type, count] of updates) {
    if (procfileTypes && count !== 0 && !procfileTypes.includes(type)) {
      throw new DokkuError(`${type} is not a valid process name to scale up`);
    }
    next.set(type, count);
  }
  for (const type of procfileTypes ?? []) if (!next.has(type)) next.set(type, 0);
  return next;
}

/** The `ps:scale <app>` table, exactly as Dokku prints it. */
export function renderScaleTable(formation: Formation, quiet: boolean): string {
  const lines: string[] = [];
  if (!quiet) lines.push("proctype: qty", "--------: ---");
  // Dokku sorts the file's `type=count` lines as strings, not the types.
  const rows = [...formation.entries()].map(([type, count]) => ({ key: `${type}=${count}`, type, count }));
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { type, count } of rows) lines.push(`${`${type}:`.padEnd(5)} ${count}`);
  return lines.map((l) => `${l}\n`).join("");
}

/** `{"web": 1, "worker": 2}` for `ps:scale --format json`. */
export function formationToJson(formation: Formation): string {
  return JSON.stringify(Object.fromEntries(sortedEntries(formation)));
}
