import { hostContract } from "../adapters/dokku-version.ts";
import { pathsFromEnv } from "../adapters/paths.ts";
import { log } from "../adapters/log.ts";
import { DokkuError } from "../core/errors.ts";
import { execFileSync } from "node:child_process";
import { SPAWN_CWD } from "../adapters/spawn-cwd.ts";

/**
 * The plugin's `commands` file (Dokku's fallback dispatch and help):
 * `help` → index lines, `ps`/`ps:help` → usage, anything else → "not mine".
 */
export async function runCommandsFile(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === "help") {
    log.out(hostContract(pathsFromEnv()).helpIndex(parentWantsAll()));
    return;
  }
  if (command === "ps" || command === "ps:help") {
    log.out(hostContract(pathsFromEnv()).pluginHelp());
    return;
  }
  const notImplemented = Number(process.env["DOKKU_NOT_IMPLEMENTED_EXIT"] ?? "10");
  throw new DokkuError("", Number.isInteger(notImplemented) ? notImplemented : 10);
}

/** Dokku's `help --all` is only visible on the parent's command line. */
function parentWantsAll(): boolean {
  try {
    const line = execFileSync("ps", ["-o", "command=", String(process.ppid)], { cwd: SPAWN_CWD, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return line.includes("--all");
  } catch {
    return false;
  }
}
