import minimist from "minimist";
import { DokkuError, USAGE_EXIT } from "./core/errors.ts";

/** What a subcommand gets: positionals and typed flag lookups. */
export interface ParsedArgs {
  readonly positionals: string[];
  /** Every `--flag` in order, for commands (ps:report) that take free-form flags. */
  readonly rawFlags: string[];
  string(name: string): string | undefined;
  bool(name: string): boolean;
}

export interface FlagSpec {
  readonly strings?: readonly string[];
  readonly booleans?: readonly string[];
  /** Accept flags not declared here (collected in rawFlags). */
  readonly freeFlags?: boolean;
}

// The dokku entry script already acted on these; pflag would reject them
// after the command, we let them through.
const GLOBAL_FLAGS = ["quiet", "trace", "rm", "rm-container", "force", "detach"];

/** The one place argv is parsed (minimist), with pflag's errors and exit code. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const strings = [...(spec.strings ?? [])];
  const booleans = [...(spec.booleans ?? []), ...GLOBAL_FLAGS];
  const rawFlags: string[] = [];
  // minimist will not take a value that starts with "-" (`--parallel -1`);
  // pflag does, so join declared string flags with their value first.
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    // ps defines no one-letter flags: pflag refuses any `-x` shorthand.
    if (/^-[^-]/.test(token)) throw new DokkuError(`unknown shorthand flag: '${token.charAt(1)}' in ${token}`, USAGE_EXIT);
    const name = token.startsWith("--") ? token.slice(2) : undefined;
    if (name !== undefined && spec.freeFlags && name !== "" && !strings.includes(name.split("=")[0] as string) && !booleans.includes(name)) {
      // A free flag never takes a value (Dokku's ParseReportArgs): keep it
      // away from minimist, which would swallow the next positional.
      rawFlags.push(token);
    } else if (name !== undefined && strings.includes(name) && i + 1 < argv.length) {
      joined.push(`--${name}=${argv[i + 1]}`);
      i++;
    } else {
      joined.push(token);
    }
  }
  const parsed = minimist(joined, {
    string: strings,
    boolean: booleans,
    "--": false,
    unknown: (token) => {
      if (!token.startsWith("-") || token === "-") return true;
      if (spec.freeFlags) {
        rawFlags.push(token);
        return false;
      }
      const name = token.replace(/^-+/, "").split("=")[0];
      throw new DokkuError(`unknown flag: --${name}`, USAGE_EXIT);
    },
  });
  for (const name of strings) {
    const value = parsed[name];
    if (Array.isArray(value)) parsed[name] = value[value.length - 1];
  }
  return {
    positionals: parsed._.map(String),
    rawFlags,
    string: (name) => {
      const value = parsed[name];
      return typeof value === "string" ? value : undefined;
    },
    bool: (name) => parsed[name] === true,
  };
}
