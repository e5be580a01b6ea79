import { DokkuError } from "./errors.ts";

/**
 * Pure pieces of `ps:report` (contract §6.3). Which flags a host's Dokku
 * has is core/dokku-contract.ts's; on 0.24:
 *
 * Dokku 0.24 rows (default stdout layout, JSON, info flags):
 *   --deployed --processes --ps-can-scale --ps-restart-policy --restore
 *   --running --status-<proc>.<n> (docker-local only)
 *
 * Beyond 0.24 (newer Dokku's properties; info flags and JSON keys only,
 * never default stdout rows, so the 0.24 layout stays byte-identical):
 *   --ps-computed-restart-policy        the policy containers get (= --ps-restart-policy)
 *   --ps-global-restart-policy          `ps:set --global restart-policy` value, "" when unset
 *   --ps-stop-timeout-seconds           the app's own `stop-timeout-seconds`, "" when unset
 *   --ps-global-stop-timeout-seconds    the global value, "" when unset
 *   --ps-computed-stop-timeout-seconds  what `docker stop --time` gets: app, else global,
 *                                       else config DOKKU_DOCKER_STOP_TIMEOUT, else
 *                                       Docker's default 10
 *   --ps-global-restore                 `ps:set --global restore` value, "" when unset
 */

/** Docker's own `docker stop` grace period when nothing is configured. */
export const DOCKER_DEFAULT_STOP_TIMEOUT = "10";

/** Dokku's ParseReportArgs: at most one info flag. */
export function singleInfoFlag(rawFlags: readonly string[]): string | undefined {
  if (rawFlags.length > 1) throw new DokkuError("ps:report command allows only a single flag");
  return rawFlags[0];
}

/** Dokku checks this per app, before printing anything for it. */
export function assertFormatWithFlag(format: string, infoFlag: string | undefined): void {
  if (infoFlag !== undefined && format !== "stdout") {
    throw new DokkuError("--format flag cannot be specified when specifying an info flag");
  }
}

/** Status rows are only computed when they can be shown. */
export function wantsStatusRows(infoFlag: string | undefined): boolean {
  return infoFlag === undefined || infoFlag.startsWith("--status-");
}

/** `scheduler-app-status` output `<N> <state>` → Processes / Running values. */
export function parseAppStatus(stdout: string): { processes: string; running: string } {
  const [count = "", state = ""] = stdout.trim().split(/\s+/);
  const processes = /^-?[0-9]+$/.test(count) ? String(Number(count)) : "-1";
  return { processes, running: state };
}

/** `running (CID: 3f1e2d4c5b6)`; a container the engine does not know is `missing`. */
export function statusValue(state: string | undefined, containerId: string): string {
  return `${state || "missing"} (CID: ${containerId.slice(0, 11)})`;
}

/**
 * The Restore row. 0.24: false iff the app's config DOKKU_APP_RESTORE is
 * exactly "0" (set by ps:stop and `ps:set restore false`, reset to "1" by
 * every deploy). When the app has no DOKKU_APP_RESTORE at all (never
 * deployed or stopped), a newer-Dokku `restore` property of the app, then
 * the `--global` one, decides; the default is true.
 */
export function restoreValue(appConfig: string | undefined, appProperty: string | undefined, globalProperty: string | undefined): string {
  if (appConfig !== undefined && appConfig !== "") return appConfig === "0" ? "false" : "true";
  for (const p of [appProperty, globalProperty]) {
    if (p === "false") return "false";
    if (p === "true") return "true";
  }
  return "true";
}

/** The stop timeout `docker stop --time` receives for an app. */
export function computedStopTimeout(app: string | undefined, global: string | undefined, config: string | undefined): string {
  for (const v of [app, global, config]) if (v !== undefined && /^[0-9]+$/.test(v.trim())) return v.trim();
  return DOCKER_DEFAULT_STOP_TIMEOUT;
}
