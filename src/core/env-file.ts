/**
 * The config plugin's ENV files ($DOKKU_ROOT/<app>/ENV, $DOKKU_ROOT/ENV), as
 * Dokku 0.24.10's Go config plugin reads and writes them: through godotenv
 * v1.2.0 (the version its go.mod pins).
 *
 * Written (godotenv Marshal): one `KEY="value"` line per variable, the lines
 * sorted bytewise, joined by "\n", no final newline; inside the double
 * quotes `\`, `"`, `!`, `$` and a backtick are backslash-escaped, a newline
 * is `\n`, a carriage return `\r`.
 *
 * Read (godotenv Parse, then Dokku's key check): line by line (Go's
 * bufio.Scanner: lines end at "\n", one trailing "\r" dropped, a line over
 * 64 KiB fails the read); blank and `#` lines skipped; `# comments` cut off
 * (godotenv 1.2.0's quote-counting rule, quirks included); `KEY=value` or
 * `KEY: value`, an `export` prefix dropped; a value in matching quotes (either
 * kind) loses them and its `\n`, `\r` and `\X` (→ X) escapes; a later line
 * wins. Files left by older Dokku (`export KEY='value'`) are read the same
 * way, exactly as 0.24.10 reads them. When godotenv fails (a line with no
 * `=` or `:`, a line too long), Dokku ignores the error and sees no variable
 * at all; keys that are not `[A-Za-z_][A-Za-z0-9_]*` are dropped. One
 * exception: an old `export` file whose values span lines (godotenv fails on
 * it) is read statement by statement (parseMultilineExportFile).
 *
 * All functions work on "byte strings": one character per byte of the file
 * (the adapter decodes files as latin1), so that the 64 KiB limit, the byte
 * order of the sort and any non-UTF-8 byte are exactly Go's.
 */
export type EnvMap = Map<string, string>;

/** godotenv 1.2.0's Parse: the variables up to the first error, and that error. */
export interface GodotenvParse {
  env: EnvMap;
  error?: string;
}

/** bufio.MaxScanTokenSize: a longer line makes the scanner fail. */
const MAX_LINE_BYTES = 64 * 1024 - 1;
const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Go's regexp `\\.`: `.` is any character but a newline. */
const ESCAPE = /\\[^\n]/g;

export function isValidConfigKey(key: string): boolean {
  return VALID_KEY.test(key);
}

/** Go's bufio.ScanLines over the whole text. */
function scanLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

function isIgnoredLine(line: string): boolean {
  const trimmed = line.replace(/^[ \n\t]+|[ \n\t]+$/g, "");
  return trimmed.length === 0 || trimmed.startsWith("#");
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** godotenv 1.2.0's comment removal: segments between `#`s kept by counting quotes. */
function stripComment(line: string): string {
  if (!line.includes("#")) return line;
  let quotesAreOpen = false;
  const keep: string[] = [];
  for (const segment of line.split("#")) {
    if (count(segment, '"') === 1 || count(segment, "'") === 1) {
      if (quotesAreOpen) {
        quotesAreOpen = false;
        keep.push(segment);
      } else {
        quotesAreOpen = true;
      }
    }
    if (keep.length === 0 || quotesAreOpen) keep.push(segment);
  }
  return keep.join("#");
}

function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, "");
}

function parseValue(raw: string): string {
  const value = trimSpaces(raw);
  if (value.length > 1) {
    const first = value[0];
    if (first === value[value.length - 1] && (first === '"' || first === "'")) {
      return value.slice(1, -1).replace(ESCAPE, (match) => {
        const c = match.slice(1);
        return c === "n" ? "\n" : c === "r" ? "\r" : c;
      });
    }
  }
  return value;
}

/** godotenv 1.2.0's parseLine, or undefined when it fails ("Can't separate key from value"). */
function parseLine(fullLine: string): [string, string] | undefined {
  const line = stripComment(fullLine);
  const firstEquals = line.indexOf("=");
  const firstColon = line.indexOf(":");
  const separator = firstColon !== -1 && (firstColon < firstEquals || firstEquals === -1) ? firstColon : firstEquals;
  if (separator === -1) return undefined;
  let key = line.slice(0, separator);
  if (key.startsWith("export")) key = key.slice("export".length);
  return [trimSpaces(key), parseValue(line.slice(separator + 1))];
}

/** godotenv 1.2.0's Parse (what Unmarshal returns): every line read up to the first error. */
export function parseGodotenv(bytes: string): GodotenvParse {
  const env: EnvMap = new Map();
  const lines = scanLines(bytes);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > MAX_LINE_BYTES) return { env, error: `line ${i + 1}: token too long` };
    if (isIgnoredLine(line)) continue;
    const pair = parseLine(line);
    if (!pair) return { env, error: `line ${i + 1}: Can't separate key from value` };
    env.set(pair[0], pair[1]);
  }
  return { env };
}

/**
 * The variables Dokku 0.24.10 sees in a file: godotenv.Read's map (empty
 * when it failed: Dokku drops the error), without invalid keys. `error` says
 * why a non-empty file gave nothing, so that a writer can refuse to replace
 * it (Dokku would overwrite it with only the variables being set).
 */
export function readEnvFile(bytes: string): { env: EnvMap; error?: string } {
  const old = parseMultilineExportFile(bytes);
  if (old) return { env: old };
  const parsed = parseGodotenv(bytes);
  if (parsed.error !== undefined) return { env: new Map(), error: parsed.error };
  for (const key of [...parsed.env.keys()]) if (!isValidConfigKey(key)) parsed.env.delete(key);
  return { env: parsed.env };
}

/** One statement of an old `export` file: the key, and the quoted value (which may span lines). */
const EXPORT_STATEMENT = /^export ([A-Za-z_][A-Za-z0-9_]*)='([\s\S]*)'\n*$/;

/**
 * A file of `export KEY='value'` statements as older Dokku wrote them (the
 * value as typed, newlines included) in which some value spans lines, read
 * as godotenv reads a quoted value but letting it span lines; undefined for
 * any other file. godotenv 1.2.0 reads such a file line by line: it fails
 * (Dokku then sees no variable, and its next write keeps only the one being
 * set) or, worse, takes a value's later lines for variables of their own.
 * This is the one place dokku-ps reads more than Dokku does, so that no
 * variable is lost; a file whose values are all one line is read as godotenv
 * reads it.
 */
export function parseMultilineExportFile(bytes: string): EnvMap | undefined {
  if (!bytes.startsWith("export ")) return undefined;
  const env: EnvMap = new Map();
  let spansLines = false;
  for (const statement of bytes.split(/\n(?=export [A-Za-z_][A-Za-z0-9_]*=')/)) {
    const match = EXPORT_STATEMENT.exec(statement);
    if (!match) return undefined;
    const value = match[2] as string;
    if (value.includes("\n")) spansLines = true;
    env.set(match[1] as string, parseValue(`'${value}'`));
  }
  return spansLines ? env : undefined;
}

/** The variables Dokku 0.24.10 sees (see readEnvFile). */
export function parseEnvFile(bytes: string): EnvMap {
  return readEnvFile(bytes).env;
}

/** godotenv 1.2.0's doubleQuoteEscape. */
export function doubleQuoteEscape(value: string): string {
  return value.replace(/[\\\n\r"!$`]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : `\\${c}`));
}

/** Bytewise order (Go's sort.Strings) for byte strings; code point order otherwise. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** godotenv 1.2.0's Marshal: sorted `KEY="escaped"` lines joined by "\n", no final newline. */
export function serializeEnvFile(env: EnvMap): string {
  const lines: string[] = [];
  for (const [key, value] of env) lines.push(`${key}="${doubleQuoteEscape(value)}"`);
  return lines.sort(compareStrings).join("\n");
}

/** A text as a byte string (UTF-8 bytes, one character each). */
export function toByteString(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** A byte string back to text (UTF-8; invalid bytes become U+FFFD). */
export function fromByteString(bytes: string): string {
  const array = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
  return new TextDecoder().decode(array);
}
