import { DokkuError } from "./errors.ts";

/** One `type: command` line of a Procfile. */
export interface ProcfileEntry {
  readonly processType: string;
  readonly command: string;
}

/**
 * Process type names as procfile-util (which Dokku uses) accepts them. The
 * same rule guards every process type we accept from DOKKU_SCALE, app.json
 * or the command line, because a type becomes a file name (`CONTAINER.<type>.<n>`),
 * a container name and a label value.
 */
export const PROCESS_TYPE = /^[A-Za-z0-9_-]+$/;
export const MAX_PROCESS_TYPE_LENGTH = 63;

export function isValidProcessType(name: string): boolean {
  return name.length <= MAX_PROCESS_TYPE_LENGTH && PROCESS_TYPE.test(name);
}

/** A Procfile line that is not `type: command` (its 1-based number). */
export class InvalidProcfileLine extends DokkuError {
  readonly lineNumber: number;
  constructor(lineNumber: number) {
    super(`Invalid Procfile: line ${lineNumber} is not of the form 'process-type: command'`);
    this.lineNumber = lineNumber;
  }
}

const LINE = /^([A-Za-z0-9_-]+):\s*(.+)$/;

/**
 * Parses a Procfile strictly, like `procfile-util check`: blank lines and
 * `#` comments are ignored; every other line must be `type: command`; a
 * type may appear once. Errors name the 1-based line.
 */
export function parseProcfile(text: string): ProcfileEntry[] {
  const entries: ProcfileEntry[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = LINE.exec(line);
    const lineNumber = index + 1;
    if (!match) throw new InvalidProcfileLine(lineNumber);
    const processType = match[1] as string;
    const command = (match[2] as string).trim();
    if (processType.length > MAX_PROCESS_TYPE_LENGTH) {
      throw new DokkuError(`Invalid Procfile: process type on line ${lineNumber} is longer than ${MAX_PROCESS_TYPE_LENGTH} characters`);
    }
    if (seen.has(processType)) {
      throw new DokkuError(`Invalid Procfile: process type '${processType}' is defined more than once (line ${lineNumber})`);
    }
    seen.add(processType);
    entries.push({ processType, command });
  });
  return entries;
}

/**
 * The command for one process type, with `$PORT`/`${PORT}` expanded to the
 * port, as procfile-util's `show --default-port` does. Undefined when the
 * type is not in the Procfile.
 */
export function procfileCommand(entries: readonly ProcfileEntry[], processType: string, port: number): string | undefined {
  const entry = entries.find((e) => e.processType === processType);
  if (!entry) return undefined;
  return entry.command.replace(/\$\{PORT\}|\$PORT\b/g, String(port));
}

/**
 * How the host's Dokku turns a Procfile command into the one
 * `procfile-get-command` prints (core/dokku-contract.ts procfileExpansion):
 * - `port`: `$PORT` / `${PORT}` only, everything else as written (dokku-ps
 *   0.24–0.34, procfileCommand);
 * - `procfile-util`: procfile-util 0.20's `show --default-port` (Dokku
 *   0.35.0–0.36.9): the whole command through Go's os.Expand, `PORT` the
 *   port, `PS` the process type, any other name empty;
 * - `procfile-util-env`: 0.36.10+ (plugins/ps getProcfileCommand): the same
 *   with `--env-file` of the app's merged config (`config-export <app>
 *   false true envfile`), whose variables come first (a config PORT wins
 *   over the port).
 */
export type ProcfileExpansion = "port" | "procfile-util" | "procfile-util-env";

/**
 * procfile-util 0.20's expansion (commands/main.go expandEnv): `$(` is first
 * rewritten to `${EXPENV_PARENTHESIS}` (a name no config sets, so it goes,
 * as it does there), then Go's os.Expand with `lookup` (the env file, when
 * Dokku passes one), else PORT → port, PS → type, else "".
 */
export function expandLikeProcfileUtil(command: string, processType: string, port: number, lookup: (name: string) => string | undefined = () => undefined): string {
  const mapping = (name: string): string => {
    const value = lookup(name);
    if (value !== undefined) return value;
    if (name === "PORT") return String(port);
    if (name === "PS") return processType;
    return "";
  };
  return goExpand(command.split("$(").join("${EXPENV_PARENTHESIS}"), mapping);
}

const SHELL_SPECIAL = "*#$@!?-0123456789";
const isAlphaNum = (c: string): boolean => c === "_" || (c >= "0" && c <= "9") || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

/** Go's os.getShellName: the name after a `$` and how many bytes it takes (0 with no name). */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && SHELL_SPECIAL.includes(s[1]!) && s[2] === "}") return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "}") return i === 1 ? ["", 2] : [s.slice(1, i), i + 1];
    }
    return ["", 1];
  }
  if (SHELL_SPECIAL.includes(s[0]!)) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

/** Go's os.Expand: `$name` / `${name}` replaced by mapping(name); bad syntax eaten; a lone `$` kept. */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = "";
  let from = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== "$" || j + 1 >= s.length) continue;
    out += s.slice(from, j);
    const [name, width] = shellName(s.slice(j + 1));
    if (name === "" && width > 0) {
      // invalid syntax: eaten
    } else if (name === "") {
      out += "$";
    } else {
      out += mapping(name);
    }
    j += width;
    from = j + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * A config value as procfile-util reads it back from Dokku's env file:
 * godotenv 1.5's Marshal writes a value Go's Atoi takes as that integer
 * (`007` → `7`, `+5` → `5`), everything else as it is.
 */
export function envFileValue(value: string): string {
  if (!/^[+-]?[0-9]+$/.test(value)) return value;
  const n = BigInt(value.replace(/^\+/, ""));
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n.toString() : value;
}
