import { writeFileSync } from "node:fs";
import { DokkuError, isDokkuError } from "./core/errors.ts";
import { REASON_FILE_ENV } from "./core/all-apps.ts";
import { answersTrigger } from "./core/dokku-contract.ts";
import { log, isTrace } from "./adapters/log.ts";
import { parseArgs, type FlagSpec, type ParsedArgs } from "./cli-args.ts";
import type { Context } from "./services/context.ts";
import { createContext } from "./services/context.ts";
import { readFileSync } from "node:fs";
import { settleCleanUps } from "./adapters/cleanup.ts";

/**
 * The one bundled entry behind every `subcommands/<name>`, trigger and the
 * `commands` file. Each handler is imported on demand, so a trigger loads
 * only its own code (and never dockerode unless it talks to Docker).
 */
type Subcommand = (ctx: Context, args: ParsedArgs) => Promise<void> | void;
type Trigger = (ctx: Context, args: string[], stdin: () => string) => Promise<void> | void;

const PARALLEL: FlagSpec = { strings: ["parallel"], booleans: ["all"] };

const lifecycleCommands = () => import("./commands/lifecycle.ts");

/**
 * Which app a command must hold the deploy lock for, if any: every change
 * of formation and every deploy/restart/stop. `--all` runs lock per app in
 * their own processes.
 */
type LockTarget = (args: ParsedArgs) => string | undefined;
const appUnlessAll: LockTarget = (args) => (args.bool("all") ? undefined : args.positionals[0]);
const appWhenScaling: LockTarget = (args) => (args.positionals.length > 1 ? args.positionals[0] : undefined);

/**
 * `each`: one app's step of an --all run (services/all-apps.ts runs it in a
 * process of its own), for a command whose once-per-command steps (ps:restore's
 * `pre-restore` on 0.30+) the --all process has run already; without it, the
 * child runs the command for that one app.
 */
type EachStep = (ctx: Context, app: string) => Promise<void>;
const SUBCOMMANDS: Record<string, { spec: FlagSpec; load: (ctx: Context) => Promise<Subcommand>; lock?: LockTarget; each?: () => Promise<EachStep> }> = {
  inspect: { spec: {}, load: async () => (await import("./commands/inspect.ts")).inspectCommand },
  rebuild: { spec: PARALLEL, load: async () => (await lifecycleCommands()).rebuildCommand },
  report: { spec: { strings: ["format"], freeFlags: true }, load: async () => (await import("./commands/report.ts")).reportCommand },
  restart: { spec: PARALLEL, load: async () => (await lifecycleCommands()).restartCommand, lock: appUnlessAll },
  restore: {
    spec: PARALLEL,
    load: async () => (await lifecycleCommands()).restoreCommand,
    lock: appUnlessAll,
    each: async () => (await lifecycleCommands()).restore,
  },
  retire: { spec: {}, load: async () => (await lifecycleCommands()).retireCommand },
  scale: {
    spec: { booleans: ["skip-deploy"], strings: ["format"] },
    load: async (ctx) =>
      ctx.contract.formationStore === "scale-property"
        ? (await import("./commands/scale-property.ts")).scaleCommand
        : (await import("./commands/scale.ts")).scaleCommand,
    lock: appWhenScaling,
  },
  set: { spec: { booleans: ["global"] }, load: async () => (await import("./commands/set.ts")).setCommand },
  start: { spec: PARALLEL, load: async () => (await lifecycleCommands()).startCommand, lock: appUnlessAll },
  stop: { spec: PARALLEL, load: async () => (await lifecycleCommands()).stopCommand, lock: appUnlessAll },
};

const lifecycle = () => import("./triggers/lifecycle.ts");
const deploy = () => import("./triggers/deploy.ts");
const validateSource: Trigger = async (ctx, [app, dir]) => (await import("./triggers/extract.ts")).validateSource(ctx, app, dir);

const TRIGGERS: Record<string, Trigger> = {
  "post-create": async (ctx, args) => (await lifecycle()).postCreate(ctx, args),
  "post-delete": async (ctx, args) => (await lifecycle()).postDelete(ctx, args),
  install: async (ctx) => (await lifecycle()).install(ctx),
  "post-app-clone-setup": async (ctx, args) => (await lifecycle()).cloneSetup(ctx, args, false),
  "post-app-rename-setup": async (ctx, args) => (await lifecycle()).cloneSetup(ctx, args, true),
  "core-post-deploy": async (ctx, args) => (await lifecycle()).corePostDeploy(ctx, args),
  "post-stop": async (ctx, args) => (await lifecycle()).postStop(ctx, args),
  "pre-start": async (ctx, args) => (await lifecycle()).preStart(ctx, args),
  "ps-current-scale": async (ctx, args) => (await lifecycle()).psCurrentScale(ctx, args),
  "docker-args-process-deploy": async (ctx, args, stdin) => (await lifecycle()).dockerArgsProcessDeploy(ctx, args, stdin()),
  "post-extract": validateSource,
  "core-post-extract": validateSource,
  "pre-deploy": async (ctx, args) => (await deploy()).preDeploy(ctx, args),
  "procfile-get-command": async (ctx, args) => (await deploy()).procfileGetCommand(ctx, args),
  "procfile-extract": async (ctx, args) => (await deploy()).procfileExtract(ctx, args),
  "procfile-remove": async (ctx, args) => (await deploy()).procfileRemove(ctx, args),
  "app-restart": async (ctx, args) => underDeployLock(ctx, args[0], async () => (await lifecycleCommands()).appRestartTrigger(ctx, args)),
  "post-app-clone": async (ctx, args) => (await lifecycleCommands()).postAppCloneOrRenameTrigger(ctx, args),
  "post-app-rename": async (ctx, args) => (await lifecycleCommands()).postAppCloneOrRenameTrigger(ctx, args),
  report: async (ctx, args) => (await import("./commands/report.ts")).reportTrigger(ctx, args),
};

/**
 * Dokku 0.30+'s ps (formation in the `scale` property list): the triggers
 * that differ from 0.24's or are new. The contract says which triggers the
 * host's Dokku has; these handlers (then TRIGGERS) answer them.
 */
const scaleProperty = () => import("./triggers/scale-property.ts");
const SCALE_PROPERTY_TRIGGERS: Record<string, Trigger> = {
  "post-create": async (ctx, args) => (await scaleProperty()).postCreate(ctx, args),
  install: async (ctx) => (await scaleProperty()).install(ctx),
  "post-app-clone-setup": async (ctx, args) => (await scaleProperty()).cloneSetup(ctx, args, false),
  "post-app-rename-setup": async (ctx, args) => (await scaleProperty()).cloneSetup(ctx, args, true),
  "core-post-extract": async (ctx, args) => (await scaleProperty()).corePostExtract(ctx, args),
  "core-post-deploy": async (ctx, args) => (await scaleProperty()).corePostDeploy(ctx, args),
  "pre-deploy": async (ctx, [app, tag]) => (await scaleProperty()).refreshScaleFrom(ctx, "pre-deploy", app, tag),
  "post-release-builder": async (ctx, [, app, image]) => (await scaleProperty()).refreshScaleFrom(ctx, "post-release-builder", app, image),
  "procfile-exists": async (ctx, args) => (await scaleProperty()).procfileExists(ctx, args),
  "procfile-get-command": async (ctx, args) => (await scaleProperty()).procfileGetCommand(ctx, args),
  "ps-can-scale": async (ctx, args) => (await scaleProperty()).psCanScale(ctx, args),
  "ps-current-scale": async (ctx, args) => (await scaleProperty()).psCurrentScale(ctx, args),
  // No deploy lock: app-json fires it inside a deploy, which holds the app's lock.
  "ps-set-scale": async (ctx, args) => (await scaleProperty()).psSetScale(ctx, args),
  "ps-get-property": async (ctx, args) => (await scaleProperty()).psGetProperty(ctx, args),
};

export const subcommandNames = (): string[] => Object.keys(SUBCOMMANDS);
/** Every trigger name the entry has a handler for, on some Dokku version. */
export const triggerNames = (): string[] => [...new Set([...Object.keys(TRIGGERS), ...Object.keys(SCALE_PROPERTY_TRIGGERS)])];

function triggerHandler(ctx: Context, name: string): Trigger | undefined {
  const own = ctx.contract.formationStore === "scale-property" ? SCALE_PROPERTY_TRIGGERS[name] : undefined;
  return own ?? TRIGGERS[name];
}

/** Dokku's trigger convention: hooks that extend an argument chain read it from stdin. */
function readStdin(): string {
  if (process.stdin.isTTY) return "";
  try {
    return readFileSync(0, "utf8").replace(/\n+$/, "");
  } catch {
    return "";
  }
}

async function dispatch(kind: string, name: string, argv: string[]): Promise<void> {
  if (kind === "trigger") {
    const ctx = createContext();
    if (!triggerNames().includes(name)) throw new DokkuError(`Invalid plugin trigger call: ${name}`);
    // A trigger of another Dokku version (an executable left from before a
    // Dokku upgrade): this Dokku's ps has no such trigger, so it does nothing.
    if (!answersTrigger(ctx.contract, name)) return;
    const handler = triggerHandler(ctx, name) as Trigger;
    await handler(ctx, argv, readStdin);
    return;
  }
  if (kind === "contract") {
    // install.sh: the trigger executables of the host's Dokku, `<name> <fast|plain>` per line.
    const { contract } = createContext();
    if (name !== "triggers") throw new DokkuError(`Invalid contract query: ${name}`);
    for (const trigger of contract.executables) log.out(`${trigger} ${contract.fastPathTriggers.includes(trigger) ? "fast" : "plain"}\n`);
    return;
  }
  if (kind === "commands") {
    const { runCommandsFile } = await import("./commands/help.ts");
    await runCommandsFile(argv);
    return;
  }
  const command = SUBCOMMANDS[name];
  if (!command) throw new DokkuError(`Invalid plugin subcommand call: ${name}`);
  if (kind === "each" && command.each) {
    const ctx = createContext();
    const step = await command.each();
    // argv: the command word, then the app.
    await underDeployLock(ctx, argv[1], () => step(ctx, argv[1] as string));
    return;
  }
  // Dokku passes the command word (`ps:scale`) as the first argument.
  const args = parseArgs(argv.slice(1), command.spec);
  const ctx = createContext();
  const lockApp = command.lock?.(args);
  const run = async () => (await command.load(ctx))(ctx, args);
  if (lockApp === undefined) {
    await run();
    return;
  }
  await underDeployLock(ctx, lockApp, run);
}

/** Runs `fn` holding the app's deploy lock (the app is validated first). */
async function underDeployLock(ctx: Context, app: string | undefined, fn: () => Promise<void>): Promise<void> {
  const { verifyApp } = await import("./services/apps.ts");
  const { withDeployLock } = await import("./adapters/deploy-lock.ts");
  await withDeployLock(ctx.paths, verifyApp(ctx, app), fn);
}

/**
 * Prints a user error line as Dokku does; a per-app run of an `--all`
 * command also leaves it where its parent reads the failure reason.
 */
function printError(line: string): void {
  log.err(line);
  const reasonFile = process.env[REASON_FILE_ENV];
  if (reasonFile) {
    try {
      writeFileSync(reasonFile, line, { mode: 0o600 });
    } catch {
      // The reason is then `exit status N`; the error itself is printed.
    }
  }
}

/** Prints a user error as Dokku does and returns the exit code. */
function report(error: unknown): number {
  if (isDokkuError(error)) {
    if (error.message) printError(` !     ${error.message}\n`);
    if (isTrace() && error.stack) log.err(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(` !     ${message.split("\n")[0]}\n`);
  if (isTrace() && error instanceof Error && error.stack) log.err(`${error.stack}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<never> {
  const [kind = "", name = "", ...rest] = argv;
  let code = 0;
  try {
    if (kind === "version-check") await (await import("./services/dokku-version.ts")).versionCheck(argv.slice(1));
    else await dispatch(kind, name, rest);
  } catch (error) {
    code = report(error);
  }
  await settleCleanUps();
  // Exit explicitly: idle keep-alive sockets (dockerode) must not hold the process.
  process.exit(code);
}

