/**
 * Which Dokku releases dokku-ps supports, and the check of a host's
 * `$DOKKU_LIB_ROOT/VERSION` against them (issue 15). Pure: the caller reads
 * the file (src/services/dokku-version.ts); install.sh asks through the
 * bundle (`node dist/ps.cjs version-check`), so the list lives only here.
 */

/**
 * THE list: release series (`major.minor`), each meaning every patch release
 * of it (`0.24` = 0.24.0 … 0.24.x). To support more, add series here
 * (e.g. "0.30", …, "0.38"); messages and install.sh follow.
 */
export const SUPPORTED_DOKKU_SERIES: readonly string[] = ["0.24", "0.30", "0.31", "0.32", "0.33", "0.34", "0.35", "0.36", "0.37", "0.38"];

export interface DokkuVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * A VERSION file's text as Dokku writes it (`v0.24.10`, one line; the
 * STABLE_VERSION form `0.24.10` too), or undefined when it is not one.
 */
export function parseDokkuVersion(text: string): DokkuVersion | undefined {
  // No leading zeros, at most four digits a part (`v01.2.3` is no version).
  const m = /^v?(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})(?:[-+][0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function isSupportedDokku(version: DokkuVersion, series: readonly string[] = SUPPORTED_DOKKU_SERIES): boolean {
  return series.includes(`${version.major}.${version.minor}`);
}

/** The supported series for a message: `0.24.x`, `0.24.x and 0.30.x–0.38.x` (runs of minors joined). */
export function supportedRange(series: readonly string[] = SUPPORTED_DOKKU_SERIES): string {
  const sorted = series
    .map((s) => s.split(".").map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const runs: Array<[number, number, number]> = []; // major, first minor, last minor
  for (const [major, minor] of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[0] === major && last[2] + 1 === minor) last[2] = minor;
    else runs.push([major, minor, minor]);
  }
  const parts = runs.map(([major, from, to]) => (from === to ? `${major}.${from}.x` : `${major}.${from}.x–${major}.${to}.x`));
  return parts.length <= 1 ? (parts[0] ?? "none") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * The one line (without Dokku's ` !     `) saying why this host is not
 * supported, or undefined when it is. `text` is the VERSION file's content,
 * undefined when there is none at `file`.
 */
export function dokkuVersionProblem(text: string | undefined, file: string, series: readonly string[] = SUPPORTED_DOKKU_SERIES): string | undefined {
  const supports = `dokku-ps supports Dokku ${supportedRange(series)}`;
  if (text === undefined) return `${supports}; this host has no ${file} (is Dokku installed with DOKKU_LIB_ROOT there?)`;
  const version = parseDokkuVersion(text);
  if (!version) return `${supports}; ${file} does not hold a Dokku version: ${JSON.stringify(text.trim().slice(0, 40))}`;
  if (isSupportedDokku(version, series)) return undefined;
  return `${supports}; this host runs ${version.major}.${version.minor}.${version.patch}`;
}
