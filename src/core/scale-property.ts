import { DokkuError } from "./errors.ts";
import { MAX_PROCESS_COUNT } from "./formation.ts";
import { isValidProcessType } from "./procfile.ts";

/**
 * Dokku 0.30+'s formation (core ps 0.31.5, plugins/ps/functions.go): the ps
 * property list `scale` holds one `type=count` line per process type, in the
 * order ps wrote them; `scale.old` holds the types the last update dropped
 * (not in the Procfile, count 0) until the deploy is done. Pure rules; the
 * files are read and written by services/scale-property.ts.
 */
export interface ScaleEntry {
  readonly processType: string;
  readonly quantity: number;
}

/** Go's strconv.Atoi, as Dokku reads a count: optional sign, decimal digits. */
const ATOI = /^[+-]?[0-9]+$/;

/**
 * Lines as Dokku's parseProcessTuples reads them (stored lines and ps:scale
 * arguments alike): `type=count`, the count after the first `=`.
 */
export function parseScaleLines(lines: readonly string[]): ScaleEntry[] {
  return lines.map((line) => {
    const parts = line.split("=");
    if (parts.length === 1) throw new DokkuError(`Missing count for process type ${line}`);
    const processType = parts[0] as string;
    const count = parts[1] as string;
    if (!ATOI.test(count) || !Number.isSafeInteger(Number(count))) throw new DokkuError(`Invalid count for process type ${processType}`);
    return { processType, quantity: Number(count) };
  });
}

/**
 * `ps:scale` / `ps-set-scale` tuples: Dokku's parsing, and what Dokku lets
 * through but dokku-ps refuses: a negative count (0.31.5 stores `web=-1`
 * and its deploy removes the web container), a count above
 * MAX_PROCESS_COUNT, a type name that cannot be a container name.
 */
export function parseScaleRequest(tuples: readonly string[]): ScaleEntry[] {
  const entries = parseScaleLines(tuples);
  for (const { processType, quantity } of entries) {
    if (!isValidProcessType(processType)) throw new DokkuError(`Invalid process type ${JSON.stringify(processType)}`);
    if (quantity < 0) throw new DokkuError(`Invalid count for process type ${processType}: a count can not be negative`);
    if (quantity > MAX_PROCESS_COUNT) throw new DokkuError(`Invalid count for process type ${processType}: at most ${MAX_PROCESS_COUNT}`);
  }
  // One entry per type, the last one given winning (Dokku would store both lines).
  const byType = new Map<string, number>();
  for (const { processType, quantity } of entries) byType.set(processType, quantity);
  return [...byType].map(([processType, quantity]) => ({ processType, quantity }));
}

export interface ScaleUpdate {
  /** The new `scale` property list. */
  readonly scale: string[];
  /** The new `scale.old` property list. */
  readonly scaleOld: string[];
}

/**
 * Dokku's updateScale: the updates first (in the order given), then the
 * current entries they do not name, then every Procfile type still missing,
 * at 0. With a Procfile, scaling up a type it lacks is refused. A type that
 * is not in the Procfile (every type, without a Procfile) and has count 0
 * moves to `scale.old`.
 */
export function updateScale(
  current: readonly ScaleEntry[],
  updates: readonly ScaleEntry[],
  procfileTypes: readonly string[] | undefined,
): ScaleUpdate {
  const valid = new Set(procfileTypes ?? []);
  const found = new Set<string>();
  const next: ScaleEntry[] = [];
  for (const update of updates) {
    if (procfileTypes !== undefined && !valid.has(update.processType) && update.quantity !== 0) {
      throw new DokkuError(`${update.processType} is not a valid process name to scale up`);
    }
    found.add(update.processType);
    next.push(update);
  }
  for (const entry of current) {
    if (found.has(entry.processType)) continue;
    found.add(entry.processType);
    next.push(entry);
  }
  for (const processType of procfileTypes ?? []) {
    if (found.has(processType)) continue;
    found.add(processType);
    next.push({ processType, quantity: 0 });
  }
  const scale: string[] = [];
  const scaleOld: string[] = [];
  for (const { processType, quantity } of next) {
    (!valid.has(processType) && quantity === 0 ? scaleOld : scale).push(`${processType}=${quantity}`);
  }
  return { scale, scaleOld };
}

/** A property list file's content, as Dokku's PropertyListWrite writes it: each line and a newline. */
export function serializePropertyList(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

/** A property list file's lines, as Dokku's PropertyListGet (bufio.Scanner) reads them. */
export function parsePropertyList(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => line.replace(/\r$/, ""));
}

function byType(a: ScaleEntry, b: ScaleEntry): number {
  return a.processType < b.processType ? -1 : a.processType > b.processType ? 1 : 0;
}

/** `ps-current-scale`'s output: `type=count` sorted by type, joined by newlines, no final newline. */
export function renderCurrentScale(entries: readonly ScaleEntry[]): string {
  return entries.slice().sort(byType).map((e) => `${e.processType}=${e.quantity}`).join("\n");
}

/** The `ps:scale <app>` table of Dokku 0.30+: rows sorted by type. */
export function renderScaleTableByType(entries: readonly ScaleEntry[], quiet: boolean): string {
  const rows: Array<[string, string]> = quiet ? [] : [["proctype", "qty"], ["--------", "---"]];
  for (const e of entries.slice().sort(byType)) rows.push([e.processType, String(e.quantity)]);
  return rows.map(([type, count]) => `${`${type}:`.padEnd(5)} ${count}\n`).join("");
}

/** Go's strconv.ParseBool, as Dokku's common.ToBool reads `can-scale` and trigger arguments (false on error). */
export function goBool(text: string | undefined): boolean {
  return ["1", "t", "T", "TRUE", "true", "True"].includes(text ?? "");
}

/**
 * The `procfile-path` Dokku 0.30+ copies from the pushed source: the app's
 * property, else the global one, else `Procfile`; slashes at either end
 * trimmed. Refused when it would leave the source tree.
 */
export function sourceProcfilePath(appValue: string | undefined, globalValue: string | undefined): string {
  const computed = appValue || globalValue || "Procfile";
  const trimmed = computed.replace(/^\/+|\/+$/g, "");
  const path = trimmed === "" ? "Procfile" : trimmed;
  if (path.split("/").some((part) => part === ".." || part === "." || part === "") || path.includes("\0")) {
    throw new DokkuError(`Invalid procfile-path ${JSON.stringify(computed)}: must be a path inside the app's source`);
  }
  return path;
}

/**
 * `ps:scale <app> --format json`: `formation-list` is core ps 0.38.21+'s
 * (`[{"process_type":"web","quantity":1},…]`, sorted by type, numbers as
 * numbers); `object` is dokku-ps's own on Dokku versions whose ps:scale has
 * no --format (`{"web":1}`).
 */
export function renderScaleJson(formation: readonly ScaleEntry[], style: "object" | "formation-list"): string {
  const sorted = [...formation].sort((a, b) => (a.processType < b.processType ? -1 : a.processType > b.processType ? 1 : 0));
  if (style === "formation-list") return JSON.stringify(sorted.map((e) => ({ process_type: e.processType, quantity: e.quantity })));
  return JSON.stringify(Object.fromEntries(formation.map((e) => [e.processType, e.quantity])));
}
