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

/** Dokku's report block: an info2 header then one padded row per field, sorted by flag. */
export function renderReport(app: string, fields: readonly ReportField[], quiet: boolean): string {
  const rows = fields.filter((f) => !f.extra).slice().sort(byFlag);
  const header = quiet ? "" : `=====> ${app} ps information\n`;
  return header + rows.map((f) => `       ${`${labelForFlag(f.flag)}:`.padEnd(31)}${f.value}\n`).join("");
}

/** `--format json`: one line, keys are flag names without `--`, sorted, all strings. */
export function renderReportJson(fields: readonly ReportField[]): string {
  const sorted = fields.slice().sort(byFlag);
  return JSON.stringify(Object.fromEntries(sorted.map((f) => [f.flag.replace(/^--/, ""), f.value])));
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
