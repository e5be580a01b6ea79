/** Small statistics and reporting helpers for the benchmark. */
export interface Sample {
  min: number;
  median: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

export interface Figure {
  id: string;
  /** The Dokku version of the host the figure was measured on (the line's `[0.31.5]` tag). */
  host?: string;
  what: string;
  value: Sample;
  valueUnit: string;
  baseline?: { what: string; sample: Sample };
  ratio: number;
  target: { op: "<=" | ">=" | "<"; value: number };
}

export const passes = (f: Figure): boolean => (f.target.op === "<=" ? f.ratio <= f.target.value : f.target.op === "<" ? f.ratio < f.target.value : f.ratio >= f.target.value);

/** Seconds with two decimals (P5's budget is 0.5 s), the rest with one. */
const fmt = (s: Sample, unit: string) => {
  const digits = unit === "s" ? 2 : 1;
  return `median ${s.median.toFixed(digits)} ${unit} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)}, n=${s.n})`;
};

export function renderFigure(f: Figure): string {
  const base = f.baseline ? ` | baseline ${f.baseline.what}: ${fmt(f.baseline.sample, f.valueUnit)}` : "";
  const tag = f.host ? `[${f.host}] ` : "";
  return `${tag}${f.id.padEnd(4)} ${f.what}: ${fmt(f.value, f.valueUnit)}${base} | ratio ${f.ratio.toFixed(3)} | target ${f.target.op === "<=" ? "≤" : f.target.op === "<" ? "<" : "≥"} ${f.target.value} | ${passes(f) ? "ok" : "FAIL"}`;
}
