import { DokkuError } from "../core/errors.ts";
import { renderReport, renderReportJson, reportValue, type ReportField } from "../core/report.ts";
import {
  assertFormatWithFlag,
  computedStopTimeout,
  parseAppStatus,
  singleInfoFlag,
  statusValue,
  wantsStatusRows,
} from "../core/ps-report.ts";
import { isQuiet, log } from "../adapters/log.ts";
import { triggerOutput } from "../adapters/plugn.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import { isDeployed, listApps, verifyApp } from "../services/apps.ts";
import { containerSlots, type ContainerSlot } from "../services/containers.ts";
import type { Context } from "../services/context.ts";
import { imageOwnsFormation } from "../services/formation.ts";
import { effectiveRestartPolicy, globalRestartPolicy } from "../services/restart-policy.ts";
import { DEFAULT_RESTART_POLICY } from "../core/restart-policy.ts";
import { restoreFlag } from "../services/restore-flag.ts";
import { appProcfilePath, canScale, computedProcfilePath, globalProcfilePath } from "../services/scale-property.ts";
import type { ParsedArgs } from "../cli-args.ts";

type States = ReadonlyMap<string, string>;

/**
 * A row's value, or how it follows from the container states (processes,
 * running, status rows): the engine's answer is the last thing a report
 * needs, so everything else is read while it comes.
 */
type Row = string | ((states: States) => string);

/** A report row whose value is computed only if it is shown. */
interface LazyField {
  readonly flag: string;
  readonly extra?: boolean;
  readonly value: () => Promise<Row> | Row;
}

const valueOf = (row: Row, states: States): string => (typeof row === "string" ? row : row(states));

const STOP_TIMEOUT = "stop-timeout-seconds";

/**
 * `ps:report [<app>] [--<flag>] [--format stdout|json]` (contract §6.3).
 * With no app every app is reported in name order; container states for
 * all of them come from one engine query.
 */
export async function reportCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  // Dokku 0.38+'s ParseReportArgs takes `--global` anywhere; before, it is one more info flag.
  const hasGlobalReport = ctx.contract.globalReportFlags !== undefined;
  const global = hasGlobalReport && args.rawFlags.includes("--global");
  const infoFlag = singleInfoFlag(hasGlobalReport ? args.rawFlags.filter((f) => f !== "--global") : args.rawFlags);
  const format = args.string("format") ?? "stdout";
  if (global) {
    log.out(renderGlobal(ctx, infoFlag, format));
    return;
  }
  const appArg = args.positionals[0];
  // The engine's answer is asked for first, so it comes while the apps' files are read.
  const states = needsEngine(infoFlag) ? await (await import("../services/container-states.ts")).startContainerStates() : undefined;
  let apps: string[];
  if (appArg === undefined || appArg === "") {
    apps = listApps(ctx);
    if (apps.length === 0) throw new DokkuError("You haven't deployed any applications yet");
  } else {
    apps = [verifyApp(ctx, appArg)];
  }
  // Dokku validates each app, then refuses --format with an info flag.
  verifyApp(ctx, apps[0]);
  assertFormatWithFlag(format, infoFlag);

  // Each app's files are read (and its triggers run) while the engine answers.
  const known = states ? statesFor(ctx, apps, states) : Promise.resolve(new Map<string, string>());
  known.catch(() => undefined); // awaited below
  // Per-app work (a scheduler-app-status trigger for apps on other schedulers) runs a few at a time;
  // output stays in app order and stops at the first failing app.
  const pending = apps.map((app) => () => renderApp(ctx, app, infoFlag, format, known));
  const results = await runLimited(pending, 4);
  // An unreachable engine fails the report (one line, exit 1) before any app's block is printed.
  const containerStates = await known;
  for (const result of results) {
    if (result.ok) log.out(result.value(containerStates));
    else throw result.error;
  }
}

/** `report <app>` trigger (`dokku report`): the stdout block for one app. */
export async function reportTrigger(ctx: Context, [app]: string[]): Promise<void> {
  const name = verifyApp(ctx, app);
  const states = await statesFor(ctx, [name]);
  log.out((await renderApp(ctx, name, undefined, "stdout", Promise.resolve(states)))(states));
}

/**
 * One app's block (or info flag value), finished once the container states
 * are known. `engine` is the engine's answer: what runs a trigger or writes
 * (the deployed cache) waits for it, so an unreachable engine fails the
 * report with nothing run or written, as when it was asked first.
 */
async function renderApp(
  ctx: Context,
  app: string,
  infoFlag: string | undefined,
  format: string,
  engine: Promise<unknown>,
): Promise<(states: States) => string> {
  verifyApp(ctx, app);
  const fields = appFields(ctx, app, infoFlag, engine);
  if (infoFlag !== undefined) {
    const names = fields.map((f) => ({ flag: f.flag, value: "" }));
    reportValue(names, infoFlag); // throws Dokku's "Invalid flag passed" listing every flag
    const field = fields.find((f) => f.flag === infoFlag) as LazyField;
    const row = await field.value();
    return (states) => `${valueOf(row, states)}\n`;
  }
  // The stdout block shows Dokku 0.24's rows only: the extra fields are not even computed.
  const shown = format === "json" ? fields : fields.filter((f) => !f.extra);
  const rows = await Promise.all(shown.map((f) => f.value()));
  return (states) => {
    const resolved: ReportField[] = shown.map((f, i) => ({ flag: f.flag, value: valueOf(rows[i] as Row, states), ...(f.extra ? { extra: true } : {}) }));
    if (format === "json") return `${renderReportJson(resolved, ctx.contract.reportJsonKeys)}\n`;
    return renderReport(app, resolved, isQuiet(), labelWidth(ctx));
  };
}

/** Dokku 0.24 pads labels to 31; 0.30+ to the longest flag. */
const labelWidth = (ctx: Context) => (ctx.contract.formationStore === "dokku-scale-file" ? "fixed" : "longest-flag");

/**
 * `ps:report --global [<flag>] [--format json]` (Dokku 0.38+): the global
 * ps properties and what an app without its own gets (plugins/ps/report.go
 * with the app `--global`).
 */
function renderGlobal(ctx: Context, infoFlag: string | undefined, format: string): string {
  assertFormatWithFlag(format, infoFlag);
  const values = propertyValues(ctx, GLOBAL_APP);
  const fields: ReportField[] = (ctx.contract.globalReportFlags ?? []).map((flag) => ({ flag, value: (values[flag] as () => string)() }));
  if (infoFlag !== undefined) return `${reportValue(fields, infoFlag)}\n`;
  if (format === "json") return `${renderReportJson(fields, ctx.contract.reportJsonKeys)}\n`;
  return renderReport(GLOBAL_APP, fields, isQuiet(), labelWidth(ctx));
}

/**
 * The ps property rows of Dokku 0.36+ for an app (or, for `--global`, as
 * core reports them there: its own value is the global one). The computed
 * value is the app's, else the global one, else the default; 0.36.0–0.38.5
 * show an unset app or global stop timeout as `30` and an unset global
 * Procfile path as `Procfile` (contract unsetReportRows), 0.38.6+ leave
 * them empty. One deliberate difference: before 0.38.6 core's computed stop
 * timeout never reached the global value (the app row's default `30` came
 * first), so `ps:set --global stop-timeout-seconds` did nothing; here the
 * global value counts on every version.
 */
function propertyValues(ctx: Context, app: string): Record<string, () => string> {
  const c = ctx.contract;
  const own = (key: string) => ctx.props.get(app, key);
  const global = (key: string) => ctx.props.get(GLOBAL_APP, key);
  const shownUnset = (value: string | undefined, fallback: string) => value ?? (c.unsetReportRows === "default" ? fallback : "");
  const computed = (key: string, fallback: string) => own(key) || global(key) || fallback;
  const stopTimeout = () => shownUnset(own(STOP_TIMEOUT), "30");
  const globalStopTimeout = () => shownUnset(global(STOP_TIMEOUT), "30");
  const computedStopTimeoutValue = () => computed(STOP_TIMEOUT, "30");
  return {
    "--ps-computed-procfile-path": () => computed("procfile-path", "Procfile"),
    "--ps-global-procfile-path": () => shownUnset(global("procfile-path"), "Procfile"),
    "--ps-procfile-path": () => own("procfile-path") ?? "",
    "--ps-computed-restart-policy": () => computed("restart-policy", DEFAULT_RESTART_POLICY),
    "--ps-global-restart-policy": () => global("restart-policy") ?? "",
    "--computed-stop-timeout-seconds": computedStopTimeoutValue,
    "--global-stop-timeout-seconds": globalStopTimeout,
    "--stop-timeout-seconds": stopTimeout,
    "--ps-computed-stop-timeout-seconds": computedStopTimeoutValue,
    "--ps-global-stop-timeout-seconds": globalStopTimeout,
    "--ps-stop-timeout-seconds": stopTimeout,
    "--ps-computed-skip-deploy": () => computed("skip-deploy", c.skipDeployDefault),
    "--ps-global-skip-deploy": () => global("skip-deploy") ?? "",
    "--ps-skip-deploy": () => own("skip-deploy") ?? "",
    "--ps-computed-start-cmd": () => own("start-cmd") ?? "",
    "--ps-start-cmd": () => own("start-cmd") ?? "",
    "--ps-computed-dockerfile-start-cmd": () => own("dockerfile-start-cmd") ?? "",
    "--ps-dockerfile-start-cmd": () => own("dockerfile-start-cmd") ?? "",
  };
}

function appFields(ctx: Context, app: string, infoFlag: string | undefined, engine: Promise<unknown>): LazyField[] {
  let status: Promise<(states: States) => AppStatus> | undefined;
  const appStatus = () => (status ??= appStatusOf(ctx, app, engine));
  const values: Record<string, () => Promise<Row> | Row> = {
    "--deployed": async () => {
      await engine;
      return String(await isDeployed(ctx, app));
    },
    "--processes": async () => {
      const of = await appStatus();
      return (states) => of(states).processes;
    },
    "--ps-can-scale": () =>
      String(ctx.contract.formationStore === "scale-property" ? canScale(ctx, app) : !imageOwnsFormation(ctx, app)),
    "--ps-restart-policy": () => effectiveRestartPolicy(ctx, app),
    "--restore": () => restoreFlag(ctx, app),
    "--running": async () => {
      const of = await appStatus();
      return (states) => of(states).running;
    },
    "--ps-computed-procfile-path": () => computedProcfilePath(ctx, app),
    "--ps-global-procfile-path": () => globalProcfilePath(ctx),
    "--ps-procfile-path": () => appProcfilePath(ctx, app),
    "--ps-computed-restart-policy": () => effectiveRestartPolicy(ctx, app),
    "--ps-global-restart-policy": () => globalRestartPolicy(ctx) ?? "",
    "--ps-stop-timeout-seconds": () => ctx.props.get(app, STOP_TIMEOUT) ?? "",
    "--ps-global-stop-timeout-seconds": () => ctx.props.get(GLOBAL_APP, STOP_TIMEOUT) ?? "",
    "--ps-computed-stop-timeout-seconds": () =>
      computedStopTimeout(ctx.props.get(app, STOP_TIMEOUT), ctx.props.get(GLOBAL_APP, STOP_TIMEOUT), ctx.config.get(app, "DOKKU_DOCKER_STOP_TIMEOUT")),
    "--ps-global-restore": () => ctx.props.get(GLOBAL_APP, "restore") ?? "",
  };
  if (ctx.contract.setStyle === "core") {
    // Dokku 0.36+: the ps properties as core reports them.
    Object.assign(values, propertyValues(ctx, app));
    values["--ps-restart-policy"] = () =>
      ctx.contract.restartPolicyStore === "property" ? (ctx.props.get(app, "restart-policy") ?? "") : effectiveRestartPolicy(ctx, app);
    values["--ps-computed-restart-policy"] = () => effectiveRestartPolicy(ctx, app);
  }
  // The host's Dokku decides which rows there are (and which are info flags / JSON keys only).
  const { reportFlags, extraReportFlags } = ctx.contract;
  const fields: LazyField[] = [
    ...reportFlags.map((flag) => ({ flag, value: values[flag] as LazyField["value"] })),
    ...extraReportFlags.map((flag) => ({ flag, extra: true, value: values[flag] as LazyField["value"] })),
  ];
  if (wantsStatusRows(infoFlag)) {
    for (const slot of statusSlots(ctx, app)) {
      fields.push({ flag: `--status-${slot.processType}.${slot.index}`, value: () => (states: States) => statusValue(states.get(slot.id), slot.id) });
    }
  }
  return fields;
}

/**
 * One report reads each app's scheduler and CONTAINER files once: the
 * engine query, the processes/running rows and the status rows all ask.
 */
const schedulers = new Map<string, string>();
const slotsByApp = new Map<string, ContainerSlot[]>();
function schedulerOf(ctx: Context, app: string): string {
  let scheduler = schedulers.get(app);
  if (scheduler === undefined) schedulers.set(app, (scheduler = ctx.config.scheduler(app)));
  return scheduler;
}
function slotsOf(ctx: Context, app: string): ContainerSlot[] {
  let slots = slotsByApp.get(app);
  if (slots === undefined) slotsByApp.set(app, (slots = containerSlots(ctx, app)));
  return slots;
}

/** Status rows exist for docker-local apps only (contract §6.3). */
function statusSlots(ctx: Context, app: string): ContainerSlot[] {
  if (schedulerOf(ctx, app) !== "docker-local") return [];
  return slotsOf(ctx, app);
}

/** Rows that need container states: processes, running and the status rows. */
function needsEngine(infoFlag: string | undefined): boolean {
  return infoFlag === undefined || infoFlag === "--processes" || infoFlag === "--running" || wantsStatusRows(infoFlag);
}

interface AppStatus {
  readonly processes: string;
  readonly running: string;
}

/**
 * Processes / Running. For docker-local apps they follow from the CONTAINER
 * files and the states of the one engine query (what docker-local's
 * scheduler-app-status computes, without a docker inspect per app); any
 * other scheduler is asked through its scheduler-app-status trigger.
 */
async function appStatusOf(ctx: Context, app: string, engine: Promise<unknown>): Promise<(states: States) => AppStatus> {
  const scheduler = schedulerOf(ctx, app);
  if (scheduler === "docker-local") {
    const slots = slotsOf(ctx, app);
    return (states) => {
      const running = slots.filter((slot) => states.get(slot.id) === "running").length;
      const state = slots.length === 0 || running === 0 ? "false" : running === slots.length ? "true" : "mixed";
      return { processes: String(slots.length), running: state };
    };
  }
  await engine;
  const out = await triggerOutput("scheduler-app-status", [scheduler, app]);
  const status = out.exitCode !== 0 ? { processes: "-1", running: "" } : parseAppStatus(out.stdout);
  return () => status;
}

/** Container states of every listed app's CONTAINER files, in one engine query. */
async function statesFor(ctx: Context, apps: readonly string[], started?: (ids: readonly string[]) => Promise<Map<string, string>>): Promise<Map<string, string>> {
  const ids = apps.flatMap((app) => statusSlots(ctx, app).map((s) => s.id));
  if (ids.length === 0) return new Map();
  // An unreachable engine fails the report (one line, exit 1): a report of
  // "missing" containers would be wrong, not merely incomplete.
  if (started) return started(ids);
  const { containerStates } = await import("../services/container-states.ts");
  return containerStates(ids);
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function runLimited<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<Array<Outcome<T>>> {
  const results: Array<Outcome<T>> = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await (jobs[i] as () => Promise<T>)() };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
