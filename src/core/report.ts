import { DokkuError } from "./errors.ts";

/** One report value under its flag name (`--ps-restart-policy`). */
export interface ReportField {
  readonly flag: string;
  readonly value: string;
  /**
   * Fields beyond Dokku 0.24 are queryable by flag and in JSON but are not
   * default stdout rows, so the 0.24 layout stays byte-identical.
   */
  readonly extra?: boolean;
}

/** `--ps-can-scale` → `Ps can scale`; `--status-web.1` → `Status web 1`. */
export function labelForFlag(flag: string): string {
  const words = flag.replace(/^--/, "").replace(/[-.]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function byFlag(a: ReportField, b: ReportField): number {
  return a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0;
}

/**
 * How wide a report's labels are padded: `fixed` (Dokku 0.24: 31) or
 * `longest-flag` (0.30+: the longest flag of the report, `--` included, at
 * least 31; 0.38.7+'s `--ps-computed-stop-timeout-seconds` puts values at
 * column 42).
 */
export type LabelWidth = "fixed" | "longest-flag";

/** Dokku's report block: an info2 header then one padded row per field, sorted by flag. */
export function renderReport(app: string, fields: readonly ReportField[], quiet: boolean, width: LabelWidth = "fixed"): string {
  const rows = fields.filter((f) => !f.extra).slice().sort(byFlag);
  const pad = width === "fixed" ? 31 : Math.max(31, ...rows.map((f) => f.flag.length));
  const header = quiet ? "" : `=====> ${app} ps information\n`;
  return header + rows.map((f) => `       ${`${labelForFlag(f.flag)}:`.padEnd(pad)}${f.value}\n`).join("");
}

/**
 * `--format json`: one line, all values strings, keys sorted. `flag`: the
 * flag without `--`; `trimmed-and-legacy` (Dokku 0.38.8+): a `--ps-…` flag
 * gives two keys, without `--ps-` and without `--` (`can-scale`,
 * `ps-can-scale`), any other flag one (`deployed`).
 */
export function renderReportJson(fields: readonly ReportField[], keys: "flag" | "trimmed-and-legacy" = "flag"): string {
  const data = new Map<string, string>();
  for (const f of fields) {
    const bare = f.flag.replace(/^--/, "");
    if (keys === "trimmed-and-legacy" && f.flag.startsWith("--ps-")) data.set(f.flag.slice("--ps-".length), f.value);
    data.set(bare, f.value);
  }
  const sorted = [...data.keys()].sort();
  return goJson(Object.fromEntries(sorted.map((k) => [k, data.get(k) as string])));
}

/** JSON as Go's json.Marshal writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u00XX`. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The bare value of one info flag, or Dokku's error listing the valid flags. */
export function reportValue(fields: readonly ReportField[], flag: string): string {
  const field = fields.find((f) => f.flag === flag);
  if (!field) {
    const valid = fields.map((f) => f.flag).sort().join(", ");
    throw new DokkuError(`Invalid flag passed, valid flags: ${valid}`);
  }
  return field.value;
}
