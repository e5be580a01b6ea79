import { DokkuError } from "../core/errors.ts";
import { formationToJson, parseScaleTuples, renderScaleTable } from "../core/formation.ts";
import { exists } from "../adapters/files.ts";
import { isQuiet, log } from "../adapters/log.ts";
import { trigger } from "../adapters/plugn.ts";
import { isDeployed, verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { imageOwnsFormation, procfileCopyPath, readFormation, updateScaleFile } from "../services/formation.ts";
import { SCALE_FILE } from "../adapters/paths.ts";
import { runningImageTag } from "../services/deploy.ts";
import type { ParsedArgs } from "../cli-args.ts";

/**
 * `ps:scale [--skip-deploy] [--format json] <app> [<type>=<count>…]`:
 * show the formation, or change it and redeploy.
 */
export async function scaleCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const [appArg, ...tuples] = args.positionals;
  const app = verifyApp(ctx, appArg);

  if (!exists(ctx.paths.appFile(app, SCALE_FILE)) || exists(procfileCopyPath(ctx, app))) {
    updateScaleFile(ctx, app);
  }

  if (tuples.length === 0) {
    const formation = readFormation(ctx, app) ?? updateScaleFile(ctx, app);
    if (args.string("format") === "json") {
      log.out(`${formationToJson(formation)}\n`);
      return;
    }
    log.info1Quiet(`Scaling for ${app}`);
    log.out(renderScaleTable(formation, isQuiet()));
    return;
  }

  if (imageOwnsFormation(ctx, app)) {
    throw new DokkuError(`App ${app} contains DOKKU_SCALE file and cannot be manually scaled`);
  }
  const updates = parseScaleTuples(tuples);
  log.info1(`Scaling ${app} processes: ${tuples.join(" ")}`);
  updateScaleFile(ctx, app, updates);

  if (!(await isDeployed(ctx, app))) return;
  const tag = await runningImageTag(ctx, app);
  if (args.bool("skip-deploy")) return;
  await trigger("release-and-deploy", [app, tag]);
}
