// The `dokku` relation of dokku-ps's .deb (scripts/release.mjs), from the
// release series dokku-ps supports (src/core/dokku-version.ts,
// SUPPORTED_DOKKU_SERIES: `0.24` = every 0.24.x). Depends is an AND of ORs,
// so a supported set with gaps is exact: a lower bound, one
// `dokku (<< gap) | dokku (>= next)` per gap, an upper bound.
//   ["0.24", "0.30", …, "0.38"] ->
//   dokku (>= 0.24.0), dokku (<< 0.25.0) | dokku (>= 0.30.0), dokku (<< 0.39.0)

/** Runs of consecutive minors: [major, first minor, last minor]. */
function runs(series) {
  const sorted = series.map((s) => s.split(".").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const [major, minor] of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === major && last[2] + 1 === minor) last[2] = minor;
    else out.push([major, minor, minor]);
  }
  return out;
}

export function dokkuDepends(series) {
  const r = runs(series);
  if (r.length === 0) throw new Error("no supported Dokku series");
  const relations = [`dokku (>= ${r[0][0]}.${r[0][1]}.0)`];
  for (let i = 0; i + 1 < r.length; i++) {
    relations.push(`dokku (<< ${r[i][0]}.${r[i][2] + 1}.0) | dokku (>= ${r[i + 1][0]}.${r[i + 1][1]}.0)`);
  }
  const last = r[r.length - 1];
  relations.push(`dokku (<< ${last[0]}.${last[2] + 1}.0)`);
  return relations.join(", ");
}

/** SUPPORTED_DOKKU_SERIES as written in src/core/dokku-version.ts. */
export function seriesFromSource(text) {
  const m = /SUPPORTED_DOKKU_SERIES[^=]*=\s*\[([^\]]*)\]/.exec(text);
  if (!m) throw new Error("SUPPORTED_DOKKU_SERIES not found in src/core/dokku-version.ts");
  return [...m[1].matchAll(/"(\d+\.\d+)"/g)].map((x) => x[1]);
}
