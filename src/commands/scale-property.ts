import { DokkuError } from "../core/errors.ts";
import { parseScaleRequest, renderScaleJson, renderScaleTableByType, type ScaleEntry } from "../core/scale-property.ts";
import { isQuiet, log } from "../adapters/log.ts";
import { trigger } from "../adapters/plugn.ts";
import { isDeployed, verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { runningImageTag } from "../services/deploy.ts";
import { applyScale, canScale, currentFormation } from "../services/scale-property.ts";
import type { ParsedArgs } from "../cli-args.ts";
import { dokkuScaleRefusal, dokkuScaleRules } from "../services/image-scale.ts";

/**
 * `ps:scale [--skip-deploy] <app> [<type>=<count>…]` on Dokku 0.30+ (core ps
 * 0.31.5): the table of the `scale` property list, or a change of it and a
 * deploy of each type named.
 */
export async function scaleCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const [appArg, ...tuples] = args.positionals;
  const app = verifyApp(ctx, appArg);
  if (tuples.length === 0) {
    const formation = currentFormation(ctx, app);
    if (args.string("format") === "json") {
      log.out(`${renderScaleJson(formation, ctx.contract.scaleJson)}\n`);
      return;
    }
    log.info1Quiet(`Scaling for ${app}`);
    log.out(renderScaleTableByType(formation, isQuiet()));
    return;
  }
  if (dokkuScaleRules(ctx, app)) throw new DokkuError(dokkuScaleRefusal(app));
  if (!canScale(ctx, app)) {
    throw new DokkuError(`App ${app} contains an app.json file with a formations key and cannot be manually scaled`);
  }
  // Checked before the line that echoes them (core ps 0.31.5 prints it first):
  // a refused tuple's value, e.g. a secret typed as a count, is never printed.
  const updates = parseScaleRequest(tuples);
  log.info1(`Scaling ${app} processes: ${tuples.join(" ")}`);
  await scaleSet(ctx, app, args.bool("skip-deploy"), false, updates, ctx.contract.scaleDeploysOnlyChanged);
}

/**
 * Dokku's scaleSet: the formation updated, then (unless skipped or never
 * deployed) one `deploy <app> <tag> <type>` per type named. The running
 * image is looked up first, so an engine fault changes nothing.
 */
export async function scaleSet(
  ctx: Context,
  app: string,
  skipDeploy: boolean,
  clearExisting: boolean,
  updates: readonly ScaleEntry[],
  onlyChanged = false,
): Promise<void> {
  const deploy = !skipDeploy && (await isDeployed(ctx, app));
  const tag = deploy ? await runningImageTag(ctx, app) : undefined;
  // 0.36+'s ps:scale deploys only the types whose count changes (a type not in the formation yet is a change).
  const before = onlyChanged ? new Map(currentFormation(ctx, app).map((e) => [e.processType, e.quantity])) : undefined;
  applyScale(ctx, app, updates, clearExisting);
  if (tag === undefined) return;
  for (const { processType, quantity } of updates) {
    if (before !== undefined && before.get(processType) === quantity) continue;
    await trigger("deploy", [app, tag, processType]);
  }
}
