import { DokkuError } from "./errors.ts";
import { isSupportedDokku, parseDokkuVersion, supportedRange, type DokkuVersion } from "./dokku-version.ts";

export { parseDokkuVersion };
import { COMMAND_ROWS, COMMAND_ROWS_0_31, renderHelpIndex, renderPluginHelp } from "./help.ts";

/**
 * The one place that knows how Dokku's ps contract differs between the Dokku
 * versions dokku-ps supports. Pure: a version string in (the content of
 * `$DOKKU_LIB_ROOT/VERSION`, e.g. `v0.31.5`), a description out. Commands,
 * triggers and install.sh ask this module; nothing else compares versions.
 *
 * - 0.24.x: the formation is `$DOKKU_ROOT/<app>/DOKKU_SCALE` (also read out of
 *   the image), the Procfile is extracted from the image (pre-deploy).
 * - 0.30.0–0.38.x: core ps 0.31.5's contract: the formation is the ps property
 *   list `config/ps/<app>/scale` (+ `can-scale`), the Procfile is copied from
 *   the pushed source (core-post-extract); 0.35 replaces pre-deploy with
 *   post-release-builder; 0.36 adds ps-get-property; 0.38.9 adds
 *   docker-args-process-deploy.
 */

/** Where an app's formation lives. */
export type FormationStore =
  /** `$DOKKU_ROOT/<app>/DOKKU_SCALE`, sorted `type=count` lines (Dokku 0.24). */
  | "dokku-scale-file"
  /** property list `$DOKKU_LIB_ROOT/config/ps/<app>/scale` plus `can-scale` (Dokku 0.30+). */
  | "scale-property";

export interface DokkuContract {
  /** `0.31.5` */
  readonly version: string;
  readonly formationStore: FormationStore;
  /** Every trigger ps answers on this Dokku (the executables install.sh installs). */
  readonly triggers: readonly string[];
  /**
   * The trigger executables install.sh installs: `triggers`, and on 0.24 also
   * the triggers of 0.30+'s ps that 0.24 never fires (each a no-op there: not
   * in `triggers`), so that after an in-place Dokku upgrade, which keeps the
   * plugin dir as it is, the new Dokku's ps triggers are answered before
   * install.sh is rerun.
   */
  readonly executables: readonly string[];
  /** The triggers whose executable has a shell fast path (scripts/shim-fast.sh). */
  readonly fastPathTriggers: readonly string[];
  /** `ps:report` info flags (the stdout rows, in this order, then the status rows). */
  readonly reportFlags: readonly string[];
  /** `ps:report` flags beyond that Dokku's, shown only as info flags and JSON keys. */
  readonly extraReportFlags: readonly string[];
  /** `ps:set` properties. */
  readonly setProperties: readonly string[];
  /** `ps:set --global` properties. */
  readonly globalSetProperties: readonly string[];
  /** The line `ps:stop` prints before stopping. */
  stopLine(app: string): string;
  /**
   * core-post-extract's error for a Procfile line without a colon (0.30+;
   * Dokku adds the ` !     ` prefix): procfile-util's words, which 0.35's
   * procfile-util prints with a coloured prefix of its own.
   */
  badProcfileLine(line: number): string;
  /**
   * How `ps:restart` redeploys: 0.24 a `release-and-deploy` of the app;
   * 0.30+ a `deploy <app> <running tag> [<process-type>]` (no release).
   */
  readonly restartBy: "release-and-deploy" | "deploy-running-image";
  /**
   * ps:restore's per-app hook: 0.24 `pre-restore <scheduler> <app>` (a
   * failure stops the restore, as does proxy-clear-config's); 0.30+
   * `scheduler-pre-restore <scheduler> <app>`, proxy-clear-config's failure
   * only warned about.
   */
  readonly restoreHook: "pre-restore" | "scheduler-pre-restore";
  /**
   * How ps:restore prepares before its per-app steps. 0.24: nothing once;
   * every app's `proxy-clear-config <app>` before an --all run. 0.30+
   * (plugins/ps/subcommands.go CommandRestore): `pre-restore` with no
   * arguments once per command, whatever it restores (the proxy plugins,
   * e.g. traefik's and caddy's, start their proxy there after a reboot),
   * then for --all one `proxy-clear-config --all`.
   */
  readonly restorePrep: "per-app" | "once";
  /** 0.30+'s ps:start warns `App has been detected as not running, releasing`. */
  readonly startWarnsNotRunning: boolean;
  /**
   * IsDeployed caches the scheduler's answer through CommandPropertySet,
   * which prints `=====> Setting deployed to <bool>` on 0.24; 0.30+ wraps
   * that call in DOKKU_QUIET_OUTPUT=1 (plugins/common/common.go), so no line.
   */
  readonly announcesDeployedCache: boolean;
  /**
   * The trigger in which ps reads the built image's `DOKKU_SCALE` (WORKDIR,
   * then `/app`, then `/`): `pre-deploy <app> <tag>` on 0.24 and 0.30–0.34,
   * `post-release-builder <builder> <app> <image>` on 0.35+ (which has no
   * pre-deploy). On 0.30+ it becomes the `scale` property list with
   * `can-scale` false, and rules over app-json's ps-set-scale / ps-can-scale.
   */
  readonly imageScaleTrigger: "pre-deploy" | "post-release-builder";
  /**
   * 0.24: every DOKKU_SCALE ps writes is mirrored into the property list
   * `config/ps/<app>/scale` (+ `can-scale`) in 0.31.5's format, which core
   * ps 0.24 never reads, so an in-place upgrade to 0.30+ keeps the formation.
   */
  readonly mirrorsScaleProperty: boolean;
  /** `ps:help`. */
  pluginHelp(): string;
  /** `dokku help` (`--all`) lines. */
  helpIndex(all: boolean): string;
}

/** The Dokku whose contract dokku-ps spoke before it read VERSION: a host without a VERSION file. */
export const VERSION_WITHOUT_FILE = "0.24.10";

function atLeast(v: DokkuVersion, minor: number, patch = 0): boolean {
  return v.major > 0 || v.minor > minor || (v.minor === minor && v.patch >= patch);
}

// ---- 0.24.x ----------------------------------------------------------------

const TRIGGERS_0_24 = [
  "post-create",
  "post-delete",
  "install",
  "post-app-clone-setup",
  "post-app-rename-setup",
  "core-post-deploy",
  "post-stop",
  "pre-start",
  "ps-current-scale",
  "docker-args-process-deploy",
  "post-extract",
  "core-post-extract",
  "pre-deploy",
  "procfile-get-command",
  "procfile-extract",
  "procfile-remove",
  "app-restart",
  "post-app-clone",
  "post-app-rename",
  "report",
] as const;

/** 0.30+'s ps triggers 0.24 has no executable for (and never fires). */
const FORWARD_0_24 = ["post-release-builder", "procfile-exists", "ps-can-scale", "ps-get-property", "ps-set-scale"] as const;

const FAST_0_24 = ["procfile-get-command", "docker-args-process-deploy", "post-extract", "core-post-extract", "core-post-deploy"] as const;

/**
 * 0.30+'s hooks of a push answered by the shell: the per-container ones from
 * the files the entry reads (the `scale` property lists, the Procfile copy),
 * and core-post-deploy's file steps (the entry sets DOKKU_APP_RESTORE when
 * ENV does not already say 1). On every 0.30-0.38 contract (none of them is
 * one 0.35 drops or 0.38 adds). Also installed fast on 0.24 (one is a
 * forward executable there), where the shell's 0.24 answers apply.
 */
const FAST_0_31 = ["core-post-deploy", "procfile-exists", "procfile-get-command", "ps-current-scale"] as const;

const REPORT_FLAGS_0_24 = ["--deployed", "--processes", "--ps-can-scale", "--ps-restart-policy", "--restore", "--running"] as const;

/** Newer Dokku's properties, offered on 0.24 as info flags and JSON keys only. */
const EXTRA_REPORT_FLAGS_0_24 = [
  "--ps-computed-restart-policy",
  "--ps-global-restart-policy",
  "--ps-stop-timeout-seconds",
  "--ps-global-stop-timeout-seconds",
  "--ps-computed-stop-timeout-seconds",
  "--ps-global-restore",
] as const;

// ---- 0.30.0–0.38.x (core ps 0.31.5) -----------------------------------------

/** core ps 0.31.5's trigger executables. */
const TRIGGERS_0_31 = [
  "app-restart",
  "core-post-deploy",
  "core-post-extract",
  "install",
  "post-app-clone",
  "post-app-clone-setup",
  "post-app-rename",
  "post-app-rename-setup",
  "post-create",
  "post-delete",
  "post-stop",
  "pre-deploy",
  "procfile-exists",
  "procfile-get-command",
  "ps-can-scale",
  "ps-current-scale",
  "ps-set-scale",
  "report",
] as const;

/** core ps 0.31.5's `ps:report` flags, in its row order. */
const REPORT_FLAGS_0_31 = [
  "--deployed",
  "--processes",
  "--ps-can-scale",
  "--ps-computed-procfile-path",
  "--ps-global-procfile-path",
  "--ps-procfile-path",
  "--ps-restart-policy",
  "--restore",
  "--running",
] as const;

function contract031(text: string, v: DokkuVersion): DokkuContract {
  let triggers: string[] = [...TRIGGERS_0_31];
  // 0.35 moved the formation update from pre-deploy to post-release-builder.
  if (atLeast(v, 35)) triggers = triggers.filter((t) => t !== "pre-deploy").concat("post-release-builder");
  if (atLeast(v, 36)) triggers.push("ps-get-property");
  if (atLeast(v, 38, 9)) triggers.push("docker-args-process-deploy");
  return {
    version: text,
    formationStore: "scale-property",
    triggers: triggers.sort(),
    executables: triggers,
    fastPathTriggers: FAST_0_31.filter((t) => triggers.includes(t)),
    reportFlags: REPORT_FLAGS_0_31,
    extraReportFlags: [],
    setProperties: ["procfile-path", "restart-policy"],
    globalSetProperties: ["procfile-path"],
    restartBy: "deploy-running-image",
    restoreHook: "scheduler-pre-restore",
    restorePrep: "once",
    startWarnsNotRunning: true,
    announcesDeployedCache: false,
    imageScaleTrigger: atLeast(v, 35) ? "post-release-builder" : "pre-deploy",
    mirrorsScaleProperty: false,
    stopLine: atLeast(v, 35) ? (app) => `-----> Stopping ${app}` : (app) => `Stopping ${app}`,
    badProcfileLine: atLeast(v, 35)
      ? (line) => `\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line ${line}`
      : (line) => `invalid line in procfile, line ${line}`,
    pluginHelp: () => renderPluginHelp(COMMAND_ROWS_0_31, "    \n"),
    helpIndex: (all) => renderHelpIndex(all, COMMAND_ROWS_0_31),
  };
}

function contract024(text: string): DokkuContract {
  return {
    version: text,
    formationStore: "dokku-scale-file",
    triggers: TRIGGERS_0_24,
    executables: [...TRIGGERS_0_24, ...FORWARD_0_24],
    fastPathTriggers: [...new Set([...FAST_0_24, ...FAST_0_31])],
    reportFlags: REPORT_FLAGS_0_24,
    extraReportFlags: EXTRA_REPORT_FLAGS_0_24,
    setProperties: ["restart-policy", "restore", "stop-timeout-seconds"],
    globalSetProperties: ["restart-policy", "restore", "stop-timeout-seconds"],
    restartBy: "release-and-deploy",
    restoreHook: "pre-restore",
    restorePrep: "per-app",
    startWarnsNotRunning: false,
    announcesDeployedCache: true,
    imageScaleTrigger: "pre-deploy",
    mirrorsScaleProperty: true,
    stopLine: (app) => `Stopping ${app}`,
    badProcfileLine: (line) => `invalid line in procfile, line ${line}`,
    pluginHelp: () => renderPluginHelp(COMMAND_ROWS),
    helpIndex: (all) => renderHelpIndex(all, COMMAND_ROWS),
  };
}

/**
 * The contract of the Dokku whose VERSION file holds `versionText`;
 * undefined (no VERSION file) is the 0.24.10 dokku-ps always spoke.
 * Throws for a version dokku-ps does not speak.
 */
export function contractFor(versionText: string | undefined): DokkuContract {
  const text = versionText === undefined ? VERSION_WITHOUT_FILE : versionText.trim();
  const v = parseDokkuVersion(text);
  if (v === undefined) throw new DokkuError(`Unable to read the Dokku version (${JSON.stringify(text.slice(0, 40))}): dokku-ps supports Dokku ${supportedRange()}`);
  const plain = `${v.major}.${v.minor}.${v.patch}`;
  if (!isSupportedDokku(v)) throw new DokkuError(`dokku-ps supports Dokku ${supportedRange()}; this host runs ${plain}`);
  return v.minor === 24 ? contract024(plain) : contract031(plain, v);
}

/** True when the trigger is one ps answers on this Dokku. */
export function answersTrigger(contract: DokkuContract, name: string): boolean {
  return contract.triggers.includes(name);
}
