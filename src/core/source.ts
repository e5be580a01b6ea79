/**
 * Which branch of an app's bare repository holds what was deployed: the git
 * plugin's `deploy-branch` property when set, then `master` (Dokku's
 * default), then `main` (what most pushes use today). First one that exists wins.
 */
export function deployBranchCandidates(configured: string | undefined): string[] {
  const branches: string[] = [];
  for (const raw of [configured, "master", "main"]) {
    const branch = raw?.trim();
    if (branch && isSafeBranchName(branch) && !branches.includes(branch)) branches.push(branch);
  }
  return branches;
}

/**
 * A branch name we are willing to pass to git: git's own ref rules, minus
 * anything that could be read as an option or a revision expression.
 */
export function isSafeBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 200) return false;
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".lock") || name.endsWith(".")) return false;
  if (name.includes("..") || name.includes("//") || name.includes("@{")) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0020\u007f~^:?*[\\]/.test(name);
}

/** A full object name as `git rev-parse --verify` prints it. */
export function isCommitId(text: string): boolean {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text);
}

/**
 * `scheduler-app-status` answers `<count> <state>`; the state is the second
 * word (`true`, `false`, `mixed`). Anything else (no scheduler answered) is
 * "unknown", which ps:start treats as not running, i.e. it deploys.
 */
export function runningStateFromStatus(output: string): string {
  return output.trim().split(/\s+/)[1] ?? "";
}
