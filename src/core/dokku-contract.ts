import { DokkuError } from "./errors.ts";
import { isSupportedDokku, parseDokkuVersion, supportedRange, type DokkuVersion } from "./dokku-version.ts";
import type { ProcfileExpansion } from "./procfile.ts";

export { parseDokkuVersion };
import { COMMAND_ROWS, COMMAND_ROWS_0_31, COMMAND_ROWS_0_38_21, renderHelpIndex, renderPluginHelp } from "./help.ts";

/**
 * The one place that knows how Dokku's ps contract differs between the Dokku
 * versions dokku-ps supports. Pure: a version string in (the content of
 * `$DOKKU_LIB_ROOT/VERSION`, e.g. `v0.31.5`), a description out. Commands,
 * triggers and install.sh ask this module; nothing else compares versions.
 *
 * - 0.24.x: the formation is `$DOKKU_ROOT/<app>/DOKKU_SCALE` (also read out of
 *   the image), the Procfile is extracted from the image (pre-deploy).
 * - 0.30.0–0.38.x: core ps 0.31.5's contract and its growth, each step from
 *   the tag's plugins/ps: the formation is the ps property list
 *   `config/ps/<app>/scale` (+ `can-scale`), the Procfile is copied from the
 *   pushed source (core-post-extract); 0.35 replaces pre-deploy with
 *   post-release-builder; 0.36.0 adds the `stop-timeout-seconds` property
 *   (app, --global) and ps-get-property; 0.38.0 moves the config ENV files
 *   to `$DOKKU_LIB_ROOT/config`, keeps the restore flag as the `restore`
 *   property, adds `skip-deploy` (app, --global), `start-cmd`,
 *   `dockerfile-start-cmd` and `ps:report --global`; 0.38.6 leaves unset
 *   rows empty; 0.38.7 renames the stop timeout flags `--ps-…`; 0.38.8 adds
 *   their report rows and the json keys without the `ps-` prefix; 0.38.9
 *   makes the restart policy a property (app, --global) handed out through
 *   docker-args-process-deploy; 0.38.21 adds `ps:scale --format`.
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
   * The trigger executables install.sh installs: `triggers`, and also the
   * triggers of every newer supported Dokku's ps this one has none of (each a
   * no-op here: not in `triggers`), so that after an in-place Dokku upgrade,
   * which keeps the plugin dir as it is, the new Dokku's ps triggers are
   * answered before install.sh is rerun (forwardTriggers).
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
  /**
   * How ps:set checks and stores what it is given. `dokku-ps` (0.24,
   * 0.30–0.35): every check before anything, the restart policy in
   * DOCKER_OPTIONS_DEPLOY, on 0.24 restore and stop timeout mirrored into
   * config vars; `core` (0.36+): core ps's CommandSet, its order of checks,
   * one property file per key, the restart policy where
   * `restartPolicyStore` says.
   */
  readonly setStyle: "dokku-ps" | "core";
  /** `ps:report --global` flags (0.38.0+), in name order; undefined when the Dokku has no global report. */
  readonly globalReportFlags: readonly string[] | undefined;
  /**
   * `ps:report --format json` keys: `flag`, the flag without `--`
   * (`ps-can-scale`); `trimmed-and-legacy` (0.38.8+), each `--ps-…` flag
   * twice, without `--ps-` and without `--` (`can-scale`, `ps-can-scale`).
   */
  readonly reportJsonKeys: "flag" | "trimmed-and-legacy";
  /**
   * The value ps:report shows for an unset app/global stop timeout and
   * global Procfile path: `default` (0.36.0–0.38.5: `30`, `Procfile`) or
   * `empty` (0.38.6+; the computed rows still show the default).
   */
  readonly unsetReportRows: "default" | "empty";
  /** The keys `ps-get-property <app> <key>` answers (0.36+), and its error for any other. */
  readonly getPropertyKeys: readonly string[];
  getPropertyError(property: string): string;
  /** The computed skip-deploy when neither app nor global sets it: `false` (0.38.8+) or empty (0.38.0–0.38.7). */
  readonly skipDeployDefault: string;
  /**
   * Where the restore flag lives: config var `DOKKU_APP_RESTORE` (`0`/`1`)
   * of the app's ENV (to 0.37), or the ps property `restore` (0.38+).
   */
  readonly restoreStore: "config-var" | "property";
  /**
   * Where the restart policy lives: a `--restart=` line of the app's
   * `DOCKER_OPTIONS_DEPLOY` (to 0.38.8), or the ps property
   * `restart-policy` (app and `--global`, 0.38.9+), which ps hands the
   * scheduler through `docker-args-process-deploy`.
   */
  readonly restartPolicyStore: "docker-options" | "property";
  /**
   * Where the docker-options plugin keeps an app's deploy options (where a
   * `--restart=` line lives to 0.38.8): the file
   * `$DOKKU_ROOT/<app>/DOCKER_OPTIONS_DEPLOY` (to 0.37), or the property
   * list `$DOKKU_LIB_ROOT/config/docker-options/<app>/_default_.deploy`
   * (0.38+, plugins/docker-options propertyKey; its install drains the files).
   */
  readonly dockerOptionsStore: "app-file" | "property-list";
  /**
   * Where the config plugin keeps ENV files: `$DOKKU_ROOT/<app>/ENV` and
   * `$DOKKU_ROOT/ENV` (`dokku-root`, to 0.37), or
   * `$DOKKU_LIB_ROOT/config/<app>/ENV` and `config/--global/ENV`
   * (`lib-config`, 0.38+).
   */
  readonly envFiles: "dokku-root" | "lib-config";
  /**
   * `ps:scale <app> --format json`: `formation-list` (0.38.21+, core's
   * `[{"process_type":"web","quantity":1}]`), or `object` (dokku-ps's own
   * `{"web":1}` on Dokku versions whose ps:scale has no --format).
   */
  readonly scaleJson: "object" | "formation-list";
  /** 0.36+'s ps:scale deploys only the process types whose count it changes (plugins/ps scaleSet deployOnlyChanged). */
  readonly scaleDeploysOnlyChanged: boolean;
  /**
   * ps:retire as core ps 0.36+ runs it: `-----> Retiring old containers and
   * images`, `scheduler-retire <scheduler> <app>` (the app's scheduler when
   * one is named, `""` otherwise); from 0.37 then `-----> Retiring expired
   * run containers` and `scheduler-run-retire`. `plain` (0.24–0.35 as
   * dokku-ps always did it): `scheduler-retire <global scheduler>` only.
   */
  readonly retireSteps: "plain" | "announced" | "announced-with-run-containers";
  /** Config vars the install trigger moves into ps properties (core ps's MigrateConfigToProperties). */
  readonly configMigrations: readonly ConfigMigration[];
  /** 0.38.9+'s install: a `--restart=` deploy option becomes the `restart-policy` property (when not the default) and goes. */
  readonly migratesRestartPolicyOption: boolean;
  /** 0.38.15+'s MigrateConfigToProperties first fires `config-migrate-env` (the config plugin moves old ENV files). */
  readonly firesConfigMigrateEnv: boolean;
  /** The line `ps:stop` prints before stopping. */
  stopLine(app: string): string;
  /**
   * core-post-extract's error for a Procfile line without a colon (0.30+;
   * Dokku adds the ` !     ` prefix): procfile-util's words, which 0.35's
   * procfile-util prints with a coloured prefix of its own.
   */
  badProcfileLine(line: number): string;
  /** What procfile-get-command expands in a command (core/procfile.ts ProcfileExpansion). */
  readonly procfileExpansion: ProcfileExpansion;
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

/** One config var core ps's install turns into a ps property (plugins/ps TriggerInstall). */
export interface ConfigMigration {
  readonly configVar: string;
  /** The global config var migrated to the `--global` property, if any. */
  readonly globalConfigVar?: string;
  readonly property: string;
  /** `DOKKU_APP_RESTORE` `0` is `false`, anything else `true`. */
  readonly transform?: "restore";
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


const FAST_0_24 = ["procfile-get-command", "docker-args-process-deploy", "post-extract", "core-post-extract", "core-post-deploy"] as const;

/**
 * 0.30+'s hooks of a push answered by the shell: the per-container ones from
 * the files the entry reads (the `scale` property lists, the Procfile copy),
 * and core-post-deploy's file steps (the entry sets DOKKU_APP_RESTORE when
 * ENV does not already say 1). On every 0.30-0.38 contract (none of them is
 * one 0.35 drops or 0.38 adds). Also installed fast on 0.24 (one is a
 * forward executable there), where the shell's 0.24 answers apply.
 */
const FAST_0_31 = ["core-post-deploy", "core-post-extract", "procfile-exists", "procfile-get-command", "ps-can-scale", "ps-current-scale"] as const;

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

/** 0.36.0–0.38.6's extra app report flags (stop timeout), before 0.38.7 named them `--ps-…`. */
const REPORT_FLAGS_0_36 = [...REPORT_FLAGS_0_31, "--computed-stop-timeout-seconds", "--global-stop-timeout-seconds", "--stop-timeout-seconds"].sort();

/** 0.38.7's app report flags (stop timeout flags renamed `--ps-…`). */
const REPORT_FLAGS_0_38_7 = [...REPORT_FLAGS_0_31, "--ps-computed-stop-timeout-seconds", "--ps-global-stop-timeout-seconds", "--ps-stop-timeout-seconds"].sort();

/** 0.38.8's 19 app report flags (skip-deploy, start-cmd, dockerfile-start-cmd). */
const REPORT_FLAGS_0_38_8 = [
  ...REPORT_FLAGS_0_38_7,
  "--ps-computed-dockerfile-start-cmd",
  "--ps-computed-skip-deploy",
  "--ps-computed-start-cmd",
  "--ps-dockerfile-start-cmd",
  "--ps-global-skip-deploy",
  "--ps-skip-deploy",
  "--ps-start-cmd",
].sort();

/** 0.38.9+'s 21 app report flags (as recorded on 0.38.27: `ps:report rdweb --nonsense`). */
const REPORT_FLAGS_0_38_9 = [...REPORT_FLAGS_0_38_8, "--ps-computed-restart-policy", "--ps-global-restart-policy"].sort();

/** `ps:report --global` flags by version (plugins/ps/report.go). */
function globalReportFlags(v: DokkuVersion): readonly string[] | undefined {
  if (!atLeast(v, 38)) return undefined;
  if (!atLeast(v, 38, 7)) return ["--global-stop-timeout-seconds", "--ps-global-procfile-path"];
  const flags = ["--ps-computed-procfile-path", "--ps-computed-stop-timeout-seconds", "--ps-global-procfile-path", "--ps-global-stop-timeout-seconds"];
  if (atLeast(v, 38, 8)) flags.push("--ps-computed-skip-deploy", "--ps-global-skip-deploy");
  if (atLeast(v, 38, 9)) flags.push("--ps-computed-restart-policy", "--ps-global-restart-policy");
  return flags.sort();
}

function appReportFlags(v: DokkuVersion): readonly string[] {
  if (atLeast(v, 38, 9)) return REPORT_FLAGS_0_38_9;
  if (atLeast(v, 38, 8)) return REPORT_FLAGS_0_38_8;
  if (atLeast(v, 38, 7)) return REPORT_FLAGS_0_38_7;
  if (atLeast(v, 36)) return REPORT_FLAGS_0_36;
  return REPORT_FLAGS_0_31;
}

/** core ps's DefaultProperties keys (ps:set), then GlobalProperties (ps:set --global). */
function setKeys(v: DokkuVersion): { app: string[]; global: string[] } {
  if (atLeast(v, 38, 9)) {
    return {
      app: ["dockerfile-start-cmd", "procfile-path", "restart-policy", "restore", "skip-deploy", "start-cmd", "stop-timeout-seconds"],
      global: ["procfile-path", "restart-policy", "skip-deploy", "stop-timeout-seconds"],
    };
  }
  if (atLeast(v, 38)) {
    return {
      app: ["dockerfile-start-cmd", "procfile-path", "restart-policy", "restore", "skip-deploy", "start-cmd", "stop-timeout-seconds"],
      global: ["procfile-path", "skip-deploy", "stop-timeout-seconds"],
    };
  }
  if (atLeast(v, 36)) return { app: ["procfile-path", "restart-policy", "stop-timeout-seconds"], global: ["procfile-path", "stop-timeout-seconds"] };
  return { app: ["procfile-path", "restart-policy"], global: ["procfile-path"] };
}

/** 0.36's install moves DOKKU_DOCKER_STOP_TIMEOUT; 0.38's moves five vars (plugins/ps TriggerInstall). */
function configMigrations(v: DokkuVersion): readonly ConfigMigration[] {
  const stopTimeout: ConfigMigration = { configVar: "DOKKU_DOCKER_STOP_TIMEOUT", property: "stop-timeout-seconds" };
  if (!atLeast(v, 36)) return [];
  if (!atLeast(v, 38)) return [stopTimeout];
  return [
    stopTimeout,
    { configVar: "DOKKU_APP_RESTORE", property: "restore", transform: "restore" },
    { configVar: "DOKKU_SKIP_DEPLOY", globalConfigVar: "DOKKU_SKIP_DEPLOY", property: "skip-deploy" },
    { configVar: "DOKKU_START_CMD", property: "start-cmd" },
    { configVar: "DOKKU_DOCKERFILE_START_CMD", property: "dockerfile-start-cmd" },
  ];
}

/** The keys ps-get-property answers (plugins/ps TriggerPsGetProperty). */
function getPropertyKeys(v: DokkuVersion): readonly string[] {
  if (atLeast(v, 38, 9)) return ["restart-policy", "restore", "skip-deploy", "stop-timeout-seconds"];
  if (atLeast(v, 38)) return ["restore", "skip-deploy", "stop-timeout-seconds"];
  if (atLeast(v, 36)) return ["stop-timeout-seconds"];
  return [];
}

/** The triggers core ps answers on 0.30.0–0.38.x (sorted). */
function triggers031(v: DokkuVersion): string[] {
  let triggers: string[] = [...TRIGGERS_0_31];
  // 0.35 moved the formation update from pre-deploy to post-release-builder.
  if (atLeast(v, 35)) triggers = triggers.filter((t) => t !== "pre-deploy").concat("post-release-builder");
  if (atLeast(v, 36)) triggers.push("ps-get-property");
  if (atLeast(v, 38, 9)) triggers.push("docker-args-process-deploy");
  return triggers.sort();
}

/** The first version of each 0.30+ ps trigger set (triggers031's steps). */
const TRIGGER_SET_STARTS: readonly DokkuVersion[] = [
  { major: 0, minor: 30, patch: 0 },
  { major: 0, minor: 35, patch: 0 },
  { major: 0, minor: 36, patch: 0 },
  { major: 0, minor: 38, patch: 9 },
];

/**
 * The triggers a newer supported Dokku's ps answers that this one's has no
 * executable for. install.sh installs them too (forward executables): an
 * in-place Dokku upgrade (the package's `plugin:install --core`) keeps the
 * plugin dir as it is and does not run dokku-ps's install, so without them
 * the new Dokku's scheduler would get no answer (e.g. 0.35 -> 0.38: no
 * `ps-get-property`, no `--restart=` from `docker-args-process-deploy`)
 * until install.sh runs again. Each answers per the VERSION it reads at run
 * time, and where that Dokku's ps has no such trigger it does nothing: no
 * output, exit 0, stdin left unread (src/main.ts dispatch; the shell fast
 * paths the same), as if there were no executable.
 */
function forwardTriggers(v: DokkuVersion, own: readonly string[]): string[] {
  const later = TRIGGER_SET_STARTS.filter((start) => !atLeast(v, start.minor, start.patch));
  const forward = new Set(later.flatMap((start) => triggers031(start)).filter((t) => !own.includes(t)));
  return [...forward].sort();
}

function contract031(text: string, v: DokkuVersion): DokkuContract {
  const triggers = triggers031(v);
  const forward = forwardTriggers(v, triggers);
  const keys = setKeys(v);
  const helpRows = atLeast(v, 38, 21) ? COMMAND_ROWS_0_38_21 : COMMAND_ROWS_0_31;
  return {
    version: text,
    formationStore: "scale-property",
    triggers,
    executables: [...triggers, ...forward].sort(),
    // ps-get-property and docker-args-process-deploy are fast forward
    // executables too: the shell answers them (nothing) where this Dokku's ps has none.
    fastPathTriggers: [...FAST_0_31, "ps-get-property", "docker-args-process-deploy", "post-release-builder"].filter((t) => triggers.includes(t) || forward.includes(t)).sort(),
    reportFlags: appReportFlags(v),
    extraReportFlags: [],
    setProperties: keys.app,
    globalSetProperties: keys.global,
    setStyle: atLeast(v, 36) ? "core" : "dokku-ps",
    globalReportFlags: globalReportFlags(v),
    reportJsonKeys: atLeast(v, 38, 8) ? "trimmed-and-legacy" : "flag",
    unsetReportRows: atLeast(v, 38, 6) ? "empty" : "default",
    getPropertyKeys: getPropertyKeys(v),
    // 0.36–0.37's message says `network` (a slip in core ps, fixed in 0.38.0).
    getPropertyError: atLeast(v, 38) ? (p) => `Invalid ps property specified: ${p}` : (p) => `Invalid network property specified: ${p}`,
    skipDeployDefault: atLeast(v, 38, 8) ? "false" : "",
    restoreStore: atLeast(v, 38) ? "property" : "config-var",
    restartPolicyStore: atLeast(v, 38, 9) ? "property" : "docker-options",
    envFiles: atLeast(v, 38) ? "lib-config" : "dokku-root",
    dockerOptionsStore: atLeast(v, 38) ? "property-list" : "app-file",
    scaleJson: atLeast(v, 38, 21) ? "formation-list" : "object",
    scaleDeploysOnlyChanged: atLeast(v, 36),
    retireSteps: atLeast(v, 37) ? "announced-with-run-containers" : atLeast(v, 36) ? "announced" : "plain",
    configMigrations: configMigrations(v),
    migratesRestartPolicyOption: atLeast(v, 38, 9),
    firesConfigMigrateEnv: atLeast(v, 38, 15),
    restartBy: "deploy-running-image",
    restoreHook: "scheduler-pre-restore",
    restorePrep: "once",
    startWarnsNotRunning: true,
    announcesDeployedCache: false,
    imageScaleTrigger: atLeast(v, 35) ? "post-release-builder" : "pre-deploy",
    mirrorsScaleProperty: false,
    stopLine: atLeast(v, 35) ? (app) => `-----> Stopping ${app}` : (app) => `Stopping ${app}`,
    // procfile-util 0.20 (0.35+) expands the whole command; 0.36.10 gives it the app's config.
    procfileExpansion: atLeast(v, 36, 10) ? "procfile-util-env" : atLeast(v, 35) ? "procfile-util" : "port",
    // 0.37+ (plugins/ps/triggers.go TriggerCorePostExtract) returns procfile-util's
    // exec error itself, whose text keeps the tool's final newline: an empty
    // line follows the error (0.38.27's record); 0.35/0.36 printed it trimmed.
    badProcfileLine: atLeast(v, 37)
      ? (line) => `\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line ${line}\n`
      : atLeast(v, 35)
        ? (line) => `\x1b[1m\x1b[31m !     \x1b[0m\x1b[0minvalid line in procfile, line ${line}`
        : (line) => `invalid line in procfile, line ${line}`,
    pluginHelp: () => renderPluginHelp(helpRows, "    \n"),
    helpIndex: (all) => renderHelpIndex(all, helpRows),
  };
}

function contract024(text: string): DokkuContract {
  return {
    version: text,
    formationStore: "dokku-scale-file",
    triggers: TRIGGERS_0_24,
    executables: [...TRIGGERS_0_24, ...forwardTriggers(parseDokkuVersion(text) as DokkuVersion, TRIGGERS_0_24)],
    // ps-get-property is a forward executable here (fast for when the host is upgraded to 0.36+).
    fastPathTriggers: [...new Set([...FAST_0_24, ...FAST_0_31, "ps-get-property", "post-release-builder"])],
    reportFlags: REPORT_FLAGS_0_24,
    extraReportFlags: EXTRA_REPORT_FLAGS_0_24,
    setProperties: ["restart-policy", "restore", "stop-timeout-seconds"],
    globalSetProperties: ["restart-policy", "restore", "stop-timeout-seconds"],
    setStyle: "dokku-ps",
    globalReportFlags: undefined,
    reportJsonKeys: "flag",
    unsetReportRows: "default",
    getPropertyKeys: [],
    getPropertyError: (p) => `Invalid ps property specified: ${p}`,
    skipDeployDefault: "false",
    restoreStore: "config-var",
    restartPolicyStore: "docker-options",
    envFiles: "dokku-root",
    dockerOptionsStore: "app-file",
    scaleJson: "object",
    scaleDeploysOnlyChanged: false,
    retireSteps: "plain",
    configMigrations: [],
    migratesRestartPolicyOption: false,
    firesConfigMigrateEnv: false,
    restartBy: "release-and-deploy",
    restoreHook: "pre-restore",
    restorePrep: "per-app",
    startWarnsNotRunning: false,
    announcesDeployedCache: true,
    imageScaleTrigger: "pre-deploy",
    mirrorsScaleProperty: true,
    stopLine: (app) => `Stopping ${app}`,
    badProcfileLine: (line) => `invalid line in procfile, line ${line}`,
    procfileExpansion: "port",
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
