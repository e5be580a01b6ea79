import { lstatSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { MAX_FORMATION_FILE_BYTES, sortedEntries } from "../core/formation.ts";
import { envFileValue, expandLikeProcfileUtil, InvalidProcfileLine, isValidProcessType, parseProcfile, procfileCommand } from "../core/procfile.ts";
import { goBool, parseScaleRequest, renderCurrentScale, sourceProcfilePath } from "../core/scale-property.ts";
import { ensureDir, exists, readIfExists, removeIfExists, writeFileAtomic } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { triggerOutput } from "../adapters/plugn.ts";
import { GLOBAL_APP } from "../adapters/properties.ts";
import { verifyApp } from "../services/apps.ts";
import { cloneProperties, setupPsData } from "../services/ps-data.ts";
import type { Context } from "../services/context.ts";
import { clearHotAnswers } from "../services/hot-answers.ts";
import { effectiveRestartPolicy, migrateRestartPolicyOption, writeDockerOptionsPolicy } from "../services/restart-policy.ts";
import { migrateConfigToProperties } from "../services/config-migration.ts";
import {
  PROCFILE_PATH,
  SCALE_OLD,
  applyScale,
  currentFormation,
  currentProcfilePath,
  deployProcfilePath,
  hasProcfile,
  procfileCopyPath,
  setCanScale,
} from "../services/scale-property.ts";
import { scaleSet } from "../commands/scale-property.ts";
import {
  DOKKU_SCALE_MARKER,
  dokkuScaleRules,
  dropAppJsonRequests,
  formationLines,
  keepAppJsonRequest,
  readAppJsonRequest,
  removeDokkuScaleMarker,
  writeDokkuScaleMarker,
} from "../services/image-scale.ts";
import { restoreFlag, setRestoreFlag } from "../services/restore-flag.ts";
import { assertAppNameShape } from "../core/app-name.ts";
import { assertImageTag } from "../core/image-tag.ts";
import { isImageReference } from "../core/image-reference.ts";

/**
 * The triggers of Dokku 0.30+'s ps contract (core ps 0.31.5) that differ
 * from 0.24's: the formation in the ps property list `scale`, the Procfile
 * copied from the pushed source.
 */

/** `post-create <app>`: default restart policy, data dir, `scale` = web=1. */
export function postCreate(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  writeDockerOptionsPolicy(ctx, app as string, effectiveRestartPolicy(ctx, app as string));
  ensureDir(ctx.paths.psDataDir(app as string));
  applyScale(ctx, app as string, [{ processType: "web", quantity: 1 }]);
}

/**
 * `pre-deploy <app> <tag>` (0.30–0.34) / `post-release-builder <type> <app> <image>`
 * (0.35+), `image` set when this is the trigger the contract reads the
 * image's DOKKU_SCALE in: a DOKKU_SCALE in the image becomes the formation
 * (exactly its types, every other Procfile type at 0; `can-scale` false)
 * and the push says so; without one, a formation that came from DOKKU_SCALE
 * hands scaling back (it stays; app-json's requests of this deploy, kept
 * aside, are applied now). Then, as core ps: every Procfile type joins the
 * formation at 0; types gone from the Procfile with count 0 move to
 * `scale.old`.
 */
export async function refreshScale(ctx: Context, app: string | undefined, image?: string): Promise<void> {
  verifyApp(ctx, app);
  const name = app as string;
  const found = image === undefined ? undefined : await (await import("../services/image-formation.ts")).readImageScaleFile(ctx, name, image);
  if (found) {
    const updates = sortedEntries(found.formation).map(([processType, quantity]) => ({ processType, quantity }));
    applyScale(ctx, name, updates, true);
    setCanScale(ctx, name, false);
    writeDokkuScaleMarker(ctx, name, found.text);
    dropAppJsonRequests(ctx, name);
    log.info1(`Scaling ${name} from DOKKU_SCALE in the image: ${formationLines(found.formation).join(" ")}`);
    return;
  }
  if (image !== undefined && dokkuScaleRules(ctx, name)) {
    const request = readAppJsonRequest(ctx, name);
    removeDokkuScaleMarker(ctx, name);
    dropAppJsonRequests(ctx, name);
    setCanScale(ctx, name, request.canScale ?? true);
    if (request.setScale) {
      const { skipDeploy, clearExisting, tuples } = request.setScale;
      await scaleSet(ctx, name, skipDeploy, clearExisting, parseScaleRequest(tuples));
    }
    log.info1(`No DOKKU_SCALE in the image: ${name} can be scaled again`);
  }
  applyScale(ctx, name, []);
}

/**
 * The trigger `trigger` (`pre-deploy` with a tag, `post-release-builder`
 * with an image): the image is read only in the one the contract names.
 */
export async function refreshScaleFrom(ctx: Context, trigger: "pre-deploy" | "post-release-builder", app: string | undefined, tagOrImage: string | undefined): Promise<void> {
  let image: string | undefined;
  if (trigger === ctx.contract.imageScaleTrigger) {
    if (trigger === "pre-deploy") image = `dokku/${app ?? ""}:${tagOrImage ? assertImageTag(tagOrImage) : "latest"}`;
    else if (tagOrImage && isImageReference(tagOrImage)) image = tagOrImage;
  }
  await refreshScale(ctx, app, image);
}

/**
 * `install` on Dokku 0.30+: the property root and the data dirs; on 0.38.9+
 * each app's `--restart=` deploy option becomes its `restart-policy`
 * property (core ps's install), and on 0.36+ the config vars core ps moves
 * into properties are moved (services/config-migration.ts). Unlike core ps
 * it deletes no DOKKU_SCALE and changes no app's formation.
 */
export async function install(ctx: Context): Promise<void> {
  setupPsData(ctx, (app) => {
    if (ctx.contract.migratesRestartPolicyOption) migrateRestartPolicyOption(ctx, app);
  });
  await migrateConfigToProperties(ctx);
}

/**
 * `core-post-extract <app> <source-dir>`: the Procfile named by the
 * procfile-path property (else `Procfile`) copied from the pushed source (or
 * the app's source image) to `data/ps/<app>/Procfile.<DOKKU_PID>`, or the
 * `.missing` marker when there is none; then checked. Earlier deploys'
 * copies are removed first.
 */
export async function corePostExtract(ctx: Context, [app, sourceDir]: string[]): Promise<void> {
  verifyApp(ctx, app);
  const name = app as string;
  const procfilePath = sourceProcfilePath(ctx.props.get(name, PROCFILE_PATH), ctx.props.get(GLOBAL_APP, PROCFILE_PATH));
  const dir = ctx.paths.psDataDir(name);

  // Read and check first: a refused Procfile changes nothing on the host.
  const sourceImage = (await triggerOutput("git-get-property", [name, "source-image"])).stdout.trim();
  let content: string | Buffer | undefined;
  if (sourceImage === "") {
    content = sourceDir ? readSourceFile(sourceDir, procfilePath) : undefined;
  } else {
    const { readImageProcfile } = await import("../services/image-formation.ts");
    content = (await readImageProcfile(ctx, name, sourceImage).catch(() => undefined))?.text;
  }
  if (content !== undefined) {
    try {
      parseProcfile(content.toString("utf8"));
    } catch (error) {
      // procfile-util check's words, as core ps passes them on (0.35 doubles the prefix).
      if (error instanceof InvalidProcfileLine) throw new DokkuError(ctx.contract.badProcfileLine(error.lineNumber));
      throw error;
    }
  }

  ensureDir(dir);
  // dokku-ps 0.24's precomputed answers must not outlive a Procfile change.
  clearHotAnswers(ctx, name);
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith("Procfile.")) removeIfExists(join(dir, entry));
  }
  const forDeploy = deployProcfilePath(ctx, name);
  if (content === undefined) {
    if (sourceImage === "" && sourceDir && procfilePath !== "Procfile") {
      const defaultProcfile = join(sourceDir, "Procfile");
      if (exists(defaultProcfile)) removeIfExists(defaultProcfile);
    }
    writeFileAtomic(`${forDeploy}.missing`, "", 0o644);
    return;
  }
  writeFileAtomic(forDeploy, content, 0o644);
  if (sourceImage === "" && procfilePath !== "Procfile") writeFileAtomic(join(sourceDir as string, "Procfile"), content, 0o644);
}

/**
 * A file of the pushed source: undefined when absent; a link or special file
 * is refused, and so is a path through a linked directory (app authors
 * control the tree: a link must not make ps copy a host file).
 */
function readSourceFile(root: string, relativePath: string): Buffer | undefined {
  const parts = relativePath.split("/");
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      return undefined;
    }
    if (!st.isDirectory()) throw new DokkuError(`${relativePath} must be a regular file in the app's source`);
  }
  const path = join(root, relativePath);
  const shown = relativePath;
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new DokkuError(`${shown} must be a regular file`);
  if (stat.size > MAX_FORMATION_FILE_BYTES) throw new DokkuError(`${shown} is larger than ${MAX_FORMATION_FILE_BYTES} bytes`);
  return readFileSync(path);
}

/**
 * `core-post-deploy <app> …`: the deploy's Procfile copy becomes the app's
 * (or, when the source had none, the old copy goes), `scale.old` is
 * dropped, and the app is one to restore.
 */
export async function corePostDeploy(ctx: Context, [app]: string[]): Promise<void> {
  verifyApp(ctx, app);
  const name = app as string;
  const forDeploy = deployProcfilePath(ctx, name);
  if (exists(forDeploy)) {
    renameSync(forDeploy, procfileCopyPath(ctx, name));
  } else if (exists(`${forDeploy}.missing`)) {
    removeIfExists(`${forDeploy}.missing`);
    removeIfExists(procfileCopyPath(ctx, name));
  }
  ctx.props.delete(name, SCALE_OLD);
  dropAppJsonRequests(ctx, name);
  await setRestoreFlag(ctx, name, true);
}

/** `procfile-exists <app>`: exit 0 when the app has a Procfile. */
export function procfileExists(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  if (!hasProcfile(ctx, app as string)) throw new DokkuError("Procfile does not exist");
}

/** `procfile-get-command <app> <type> [port]`: nothing without a Procfile. */
export function procfileGetCommand(ctx: Context, [app, type, portText]: string[]): void {
  verifyApp(ctx, app);
  // As 0.24's (triggers/deploy.ts): a name another plugin passes is checked before any use.
  if (!isValidProcessType(type ?? "")) throw new DokkuError(`Invalid process type ${JSON.stringify(type ?? "")}`);
  if (!hasProcfile(ctx, app as string)) return;
  const port = /^[0-9]+$/.test(portText ?? "") ? Number(portText) : 5000;
  const text = readIfExists(currentProcfilePath(ctx, app as string));
  if (text === undefined) throw new DokkuError("No procfile found");
  const entries = parseProcfile(text);
  let command: string | undefined;
  const expansion = ctx.contract.procfileExpansion;
  if (expansion === "port") {
    command = procfileCommand(entries, type ?? "", port);
  } else {
    const entry = entries.find((e) => e.processType === type);
    if (entry) {
      // 0.36.10+: the app's config as `config-export <app> false true envfile`
      // hands it to procfile-util (global, then the app's over it).
      const env = expansion === "procfile-util-env" ? new Map([...ctx.config.globalEnv(), ...ctx.config.appEnv(app as string)]) : undefined;
      const lookup = (name: string): string | undefined => {
        const value = env?.get(name);
        return value === undefined ? undefined : envFileValue(value);
      };
      command = expandLikeProcfileUtil(entry.command, entry.processType, port, lookup).trim();
    }
  }
  if (command) log.out(`${command}\n`);
}

/** `ps-can-scale <app> <bool>`: whether ps:scale may change the formation (app-json sets false for a `formation` key). */
export function psCanScale(ctx: Context, [app, value]: string[]): void {
  verifyApp(ctx, app);
  // The image's DOKKU_SCALE rules: kept for when it stops shipping one.
  if (dokkuScaleRules(ctx, app as string)) return keepAppJsonRequest(ctx, app as string, { canScale: goBool(value) });
  setCanScale(ctx, app as string, goBool(value));
}

/** `ps-current-scale <app>`: `type=count` lines sorted by type, no final newline. */
export function psCurrentScale(ctx: Context, [app]: string[]): void {
  verifyApp(ctx, app);
  log.out(renderCurrentScale(currentFormation(ctx, app as string)));
}

/** `ps-set-scale <app> <skip-deploy> <clear-existing> <type>=<count>…` (app-json's formation). */
export async function psSetScale(ctx: Context, [app, skipDeploy, clearExisting, ...tuples]: string[]): Promise<void> {
  const name = verifyApp(ctx, app);
  const updates = parseScaleRequest(tuples);
  if (dokkuScaleRules(ctx, name)) {
    // The image's DOKKU_SCALE rules: kept for when it stops shipping one.
    keepAppJsonRequest(ctx, name, { setScale: { skipDeploy: goBool(skipDeploy), clearExisting: goBool(clearExisting), tuples } });
    return;
  }
  await scaleSet(ctx, name, goBool(skipDeploy), goBool(clearExisting), updates);
}

/**
 * `ps-get-property <app> <property>` (0.36+): a computed ps value and a
 * newline, for the keys the host's ps answers (contract getPropertyKeys:
 * 0.36 stop-timeout-seconds; 0.38 also restore and skip-deploy; 0.38.9
 * also restart-policy); any other key is core's error. The computed value
 * (plugins/ps/report.go): the app's property, else the global one, else the
 * default (skip-deploy's is empty before 0.38.8). The app is not checked
 * (core does not: the scheduler asks per container).
 */
export function psGetProperty(ctx: Context, [app, property]: string[]): void {
  const name = app ?? "";
  const key = property ?? "";
  if (!ctx.contract.getPropertyKeys.includes(key)) throw new DokkuError(ctx.contract.getPropertyError(key));
  // The app's name becomes a property path.
  assertAppNameShape(name);
  const computed = (fallback: string) => () => ctx.props.get(name, key) || ctx.props.get(GLOBAL_APP, key) || fallback;
  const values: Record<string, () => string> = {
    "restart-policy": () => effectiveRestartPolicy(ctx, name),
    restore: () => restoreFlag(ctx, name),
    "skip-deploy": computed(ctx.contract.skipDeployDefault),
    "stop-timeout-seconds": computed("30"),
  };
  log.out(`${(values[key] as () => string)()}\n`);
}

/** `post-app-clone-setup` / `post-app-rename-setup <old> <new>`: properties and the data dir follow. */
export function cloneSetup(ctx: Context, [from, to]: string[], rename: boolean): void {
  if (!cloneProperties(ctx, from, to, rename)) return;
  const source = ctx.paths.psDataDir(from as string);
  if (!exists(source)) return;
  ensureDir(ctx.paths.psDataDir(to as string));
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (!entry.isFile() || !(entry.name.startsWith("Procfile") || entry.name === DOKKU_SCALE_MARKER)) continue;
    writeFileAtomic(join(ctx.paths.psDataDir(to as string), entry.name), readFileSync(join(source, entry.name)), 0o644);
  }
}
