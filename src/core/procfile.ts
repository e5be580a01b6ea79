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
