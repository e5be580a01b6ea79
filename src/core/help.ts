/** `dokku ps:help`: Dokku's usage block, rows padded like its columnize output. */
export const COMMAND_ROWS: ReadonlyArray<readonly [string, string]> = [
  ["ps:inspect <app>", "Displays a sanitized version of docker inspect for an app"],
  ["ps:rebuild [--parallel count] [--all|<app>]", "Rebuilds an app from source"],
  ["ps:report [<app>] [<flag>] [--format json]", "Displays a process report for one or more apps"],
  ["ps:restart [--parallel count] [--all|<app>] [<process-type>]", "Restart an app"],
  ["ps:restore [--parallel count] [--all|<app>]", "Start previously running apps e.g. after reboot"],
  ["ps:scale [--skip-deploy] [--format json] <app> <proc>=<count> [<proc>=<count>...]", "Get/Set how many instances of a given process to run"],
  ["ps:set [--global|<app>] <key> <value>", "Set or clear a ps property for an app"],
  ["ps:start [--parallel count] [--all|<app>]", "Start an app"],
  ["ps:stop [--parallel count] [--all|<app>]", "Stop an app"],
];

export function renderPluginHelp(): string {
  const width = Math.max(...COMMAND_ROWS.map(([usage]) => usage.length)) + 2;
  const rows = COMMAND_ROWS.map(([usage, description]) => `    ${usage.padEnd(width)}${description}\n`).join("");
  return `Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n${rows}`;
}

/** `commands help` lines for `dokku help` (`--all` lists every command). */
export function renderHelpIndex(all: boolean): string {
  if (!all) return "\n    ps, Manage app processes\n";
  return COMMAND_ROWS.map(([usage, description]) => `    ${usage}, ${description}\n`).join("");
}
