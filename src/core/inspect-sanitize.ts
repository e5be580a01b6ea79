/**
 * `ps:inspect`: sanitizing the scheduler's `docker container inspect` JSON
 * before it is printed.
 *
 * Two layers:
 * 1. Dokku's own rule (docker-local `scheduler-inspect`): in each
 *    container's `Config.Env`, entries starting with one of
 *    KEPT_ENV_PREFIXES are kept, every other `KEY=value` becomes
 *    `KEY=XXXXXX`.
 * 2. Beyond Dokku: no value of the app's config (app ENV + global ENV) may
 *    appear anywhere in the output — env entries kept by rule 1, labels,
 *    Cmd/Args/Entrypoint/Path, object keys, any string at any depth.
 *    Every config value is treated as a secret, including Dokku's own
 *    DOKKU_* values: an operator may keep credentials under any name, and
 *    a kept entry is only shown verbatim when its value is not a config value.
 *
 * Matching (the trade-off for tiny values):
 * - values of at least MIN_SUBSTRING_SECRET (4) characters are masked
 *   wherever they occur inside any string (longest first, so a secret that
 *   contains another is masked whole);
 * - shorter values ("1", "0", "on", "yes") would otherwise mask random
 *   fragments of ids, paths and timestamps, so they are masked only where a
 *   whole string equals them, or where everything after some `=` of a
 *   string equals them (env entries `KEY=1`, args like `--label=k=1`).
 * Empty values are not secrets.
 */
export const MASK = "XXXXXX";
export const MIN_SUBSTRING_SECRET = 4;
export const KEPT_ENV_PREFIXES = ["CACHE_PATH=", "DOCKER_", "DOKKU_", "DYNO=", "PATH=", "PORT=", "USER="] as const;

export interface Secrets {
  /** Masked wherever they occur, longest first. */
  readonly long: readonly string[];
  /** Masked only on whole-string (or whole-value) equality. */
  readonly short: ReadonlySet<string>;
}

/** The secret set from config values (any iterable of values, duplicates allowed). */
export function secretsFrom(values: Iterable<string>): Secrets {
  const long = new Set<string>();
  const short = new Set<string>();
  for (const value of values) {
    if (value === "") continue;
    // Lengths in code points, so a 2-emoji value is "short" as a human reads it.
    if ([...value].length >= MIN_SUBSTRING_SECRET) long.add(value);
    else short.add(value);
  }
  return { long: [...long].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)), short };
}

/** Masks every secret in one string. */
export function maskString(text: string, secrets: Secrets): string {
  if (secrets.short.has(text)) return MASK;
  let out = text;
  for (const secret of secrets.long) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  if (secrets.short.size === 0) return out;
  for (let eq = out.indexOf("="); eq !== -1; eq = out.indexOf("=", eq + 1)) {
    if (secrets.short.has(out.slice(eq + 1))) return `${out.slice(0, eq + 1)}${MASK}`;
  }
  return out;
}

/** Masks free text (a trigger's stderr): only the substring rule applies. */
export function maskText(text: string, secrets: Secrets): string {
  let out = text;
  for (const secret of secrets.long) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Dokku's Config.Env rule. */
export function dokkuEnvEntry(entry: string): string {
  if (KEPT_ENV_PREFIXES.some((prefix) => entry.startsWith(prefix))) return entry;
  const eq = entry.indexOf("=");
  // Python's `k, v = e.split('=', 1)` crashes on an entry without "="; we mask it whole.
  return eq === -1 ? MASK : `${entry.slice(0, eq)}=${MASK}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function maskDeep(value: Json, secrets: Secrets): Json {
  if (typeof value === "string") return maskString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets));
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) {
      let name = maskString(key, secrets);
      // Two keys masked to the same text must both stay visible.
      for (let n = 2; Object.prototype.hasOwnProperty.call(out, name); n++) name = `${maskString(key, secrets)}#${n}`;
      out[name] = maskDeep(v, secrets);
    }
    return out;
  }
  return value;
}

/**
 * The sanitized inspect document: Dokku's env rule on every container's
 * Config.Env, then secret masking over every string and key. Input is not
 * modified.
 */
export function sanitizeInspect(data: unknown, secrets: Secrets): unknown {
  const containers = Array.isArray(data) ? data : [data];
  const ruled = containers.map((container) => {
    const c = container as { Config?: { Env?: unknown } } | null;
    if (c === null || typeof c !== "object" || c.Config === null || typeof c.Config !== "object" || !Array.isArray(c.Config.Env)) {
      return container;
    }
    const env = c.Config.Env.map((e) => (typeof e === "string" ? dokkuEnvEntry(e) : e));
    return { ...c, Config: { ...c.Config, Env: env } };
  });
  const masked = maskDeep(ruled as Json, secrets);
  return Array.isArray(data) ? masked : (masked as Json[])[0];
}

/** Python's json string escaping with ensure_ascii (its default). */
function pyString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return String(n);
}

/** Python sorts keys by code point; JS `<` compares UTF-16 units (differs only above U+FFFF). */
function byCodePoint(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = (ca[i] as string).codePointAt(0) as number;
    const y = (cb[i] as string).codePointAt(0) as number;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/**
 * `json.dumps(value, sort_keys=True, indent=4)` byte for byte (Python 3:
 * item separator "," + newline, key separator ": ", `[]`/`{}` when empty,
 * non-ASCII as \uXXXX). Integers beyond 2^53 lose precision on parse;
 * docker inspect has none.
 */
export function pythonJsonDumps(value: unknown, indent = 4): string {
  const walk = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "number") return pyNumber(v);
    if (typeof v === "string") return pyString(v);
    const inner = " ".repeat(indent * (depth + 1));
    const outer = " ".repeat(indent * depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[\n${v.map((item) => inner + walk(item, depth + 1)).join(",\n")}\n${outer}]`;
    }
    const keys = Object.keys(v as object).sort(byCodePoint);
    if (keys.length === 0) return "{}";
    const body = keys.map((k) => `${inner}${pyString(k)}: ${walk((v as Record<string, unknown>)[k], depth + 1)}`);
    return `{\n${body.join(",\n")}\n${outer}}`;
  };
  return walk(value, 0);
}
