import { join } from "node:path";
import { deployBranchCandidates, isCommitId } from "../core/source.ts";
import { DokkuError } from "../core/errors.ts";
import { isDirectory } from "../adapters/files.ts";
import { PropertyStore } from "../adapters/properties.ts";
import type { Context } from "./context.ts";

export interface DeployedRevision {
  branch: string;
  rev: string;
}

/**
 * The commit an app was last pushed at, read from its bare repository
 * (`$DOKKU_ROOT/<app>` is the repo, contract §4.1) with simple-git. Never
 * touches a work tree. Undefined when the app was never pushed (no repo, or
 * none of the deploy branches exists).
 */
export async function deployedRevision(ctx: Context, app: string): Promise<DeployedRevision | undefined> {
  const repo = ctx.paths.appDir(app);
  // Without refs/ this is not a repository yet; git would otherwise search
  // the parent directories and could find an unrelated one.
  if (!isDirectory(join(repo, "refs")) || !isDirectory(join(repo, "objects"))) return undefined;

  const configured = new PropertyStore(ctx.paths, "git").get(app, "deploy-branch");
  const { simpleGit } = await import("simple-git");
  // Only what git needs: a GIT_DIR/GIT_WORK_TREE inherited from a hook (we may
  // run inside one) must not redirect us to another repository.
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  env["GIT_DIR"] = repo;
  env["GIT_CEILING_DIRECTORIES"] = ctx.paths.dokkuRoot;
  const git = simpleGit({ baseDir: repo, trimmed: true }).env(env);

  for (const branch of deployBranchCandidates(configured)) {
    let rev: string;
    try {
      rev = (await git.raw(["rev-parse", "-q", "--verify", `refs/heads/${branch}^{commit}`])).trim();
    } catch (error) {
      // rev-parse -q --verify exits 1 without output for a missing ref.
      const message = (error as Error).message.trim();
      if (message === "") continue;
      throw new DokkuError(`Unable to read the git repository of ${app}: ${message.split("\n")[0]}`);
    }
    if (isCommitId(rev)) return { branch, rev };
  }
  return undefined;
}
