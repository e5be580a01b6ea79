import { DokkuError } from "../core/errors.ts";
import { formationToJson, parseScaleTuples, renderScaleTable } from "../core/formation.ts";
import { exists } from "../adapters/files.ts";
import { isQuiet, log } from "../adapters/log.ts";
import { trigger } from "../adapters/plugn.ts";
import { isDeployed, verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { imageFormationSource, procfileCopyPath, readFormation, updateScaleFile } from "../services/formation.ts";
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

  const owner = imageFormationSource(ctx, app);
  if (owner === "app.json") {
    // Newer Dokku's wording for an app.json formation.
    throw new DokkuError(`App ${app} contains an app.json file with a formations key and cannot be manually scaled`);
  }
  if (owner === "DOKKU_SCALE") {
    throw new DokkuError(`App ${app} contains DOKKU_SCALE file and cannot be manually scaled`);
  }
  const updates = parseScaleTuples(tuples);
  log.info1(`Scaling ${app} processes: ${tuples.join(" ")}`);
  const deployed = await isDeployed(ctx, app);
  const skipDeploy = args.bool("skip-deploy");
  // Asking the engine first means an engine fault fails the command before
  // the formation changes, so the file never disagrees with what runs.
  const tag = deployed && !skipDeploy ? await runningImageTag(ctx, app) : undefined;
  updateScaleFile(ctx, app, updates);
  if (tag === undefined) return;
  await trigger("release-and-deploy", [app, tag]);
}
