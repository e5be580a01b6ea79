/**
 * The working directory of every process ps starts (plugn, flock, ps, the
 * per-app children of `--all`): `/`, never the caller's.
 *
 * An operator types `dokku …` as root in `/root` (mode 0700); the entry
 * script re-runs itself as the dokku user (Dokku: sudo, which keeps the
 * directory), so ps runs in a directory it cannot enter. A child that merely
 * inherits it starts fine, but execa passes `cwd: process.cwd()` and libuv
 * chdirs into it first, so the spawn fails with EACCES (`spawn plugn
 * EACCES`). Nothing ps starts depends on the caller's directory; git is run
 * in the app's repository (simple-git's baseDir), where its semantics need.
 */
export const SPAWN_CWD = "/";
