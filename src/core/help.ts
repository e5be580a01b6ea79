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

/** core ps 0.31.5's `ps:help` rows (the same in 0.35.20). */
export const COMMAND_ROWS_0_31: ReadonlyArray<readonly [string, string]> = [
  ["ps:inspect <app>", "Displays a sanitized version of docker inspect for an app"],
  ["ps:rebuild [--parallel count] [--all|<app>]", "Rebuilds an app from source"],
  ["ps:report [<app>] [<flag>]", "Displays a process report for one or more apps"],
  ["ps:restart [--parallel count] [--all|<app>] [<process-name>]", "Restart an app"],
  ["ps:restore [<app>]", "Start previously running apps e.g. after reboot"],
  ["ps:scale [--skip-deploy] <app> <proc>=<count> [<proc>=<count>...]", "Get/Set how many instances of a given process to run"],
  ["ps:set <app> <key> <value>", "Set or clear a ps property for an app"],
  ["ps:start [--parallel count] [--all|<app>]", "Start an app"],
  ["ps:stop [--parallel count] [--all|<app>]", "Stop an app"],
];

/** core ps 0.38.21+'s `ps:help` rows: ps:scale takes `--format` (recorded on 0.38.27, descriptions at column 80). */
export const COMMAND_ROWS_0_38_21: ReadonlyArray<readonly [string, string]> = COMMAND_ROWS_0_31.map(([usage, description]) =>
  usage.startsWith("ps:scale ") ? (["ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]", description] as const) : ([usage, description] as const),
);

/** `trailer`: what follows the rows (core ps 0.31.5 ends its block with a line of four spaces). */
export function renderPluginHelp(rowsToShow: ReadonlyArray<readonly [string, string]> = COMMAND_ROWS, trailer = ""): string {
  const width = Math.max(...rowsToShow.map(([usage]) => usage.length)) + 2;
  const rows = rowsToShow.map(([usage, description]) => `    ${usage.padEnd(width)}${description}\n`).join("");
  return `Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n${rows}${trailer}`;
}

/** `commands help` lines for `dokku help` (`--all` lists every command). */
export function renderHelpIndex(all: boolean, rows: ReadonlyArray<readonly [string, string]> = COMMAND_ROWS): string {
  if (!all) return "\n    ps, Manage app processes\n";
  return rows.map(([usage, description]) => `    ${usage}, ${description}\n`).join("");
}
