/**
 * V8 code cache of the bundles (rules only; src/adapters/code-cache.ts does
 * the I/O). Every command and trigger is a new Node process that compiles
 * dist/main.cjs (and dockerode for the engine) again: ~10 ms of a ~35 ms
 * ps:report. The bytecode a run compiled is kept per command or trigger, in
 * the installed plugin's `dist/code-cache/` dir, and handed back to V8 next time.
 */

/** What the adapter found at the cache dir (lstat). */
export interface CodeCacheDirFacts {
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
  readonly uid: number;
  readonly mode: number;
}

/**
 * The dir is used only by the user it belongs to (install.sh makes it the
 * Dokku user's, as the rest of the plugin dir), never by root, and only if
 * nobody else may write it: bytecode from it runs unchecked, so a cache
 * anybody else could write would run their code as us.
 */
export function codeCacheUsable(dir: CodeCacheDirFacts | undefined, euid: number | undefined): boolean {
  if (dir === undefined || euid === undefined || euid === 0) return false;
  return dir.isDirectory && !dir.isSymbolicLink && dir.uid === euid && (dir.mode & 0o022) === 0;
}

/**
 * Which cache a process uses: one per command or trigger (`subcommand-report`,
 * `trigger-post-deploy`), since each compiles different functions. Anything
 * else (version-check, a name that is not a plain word) keeps none.
 */
export function codeCacheKey(argv: readonly string[]): string | undefined {
  const [kind, name] = argv;
  if (kind !== "subcommand" && kind !== "trigger" && kind !== "each") return undefined;
  if (name === undefined || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) return undefined;
  return `${kind}-${name}`;
}

/**
 * The file of one module's cache. The build id (a hash of the bundles, made
 * by scripts/build.mjs) is in the name because V8 checks only a source's
 * length, not its text: a rebuilt bundle must never meet an old cache. The
 * Node version and arch are there so that two Node binaries on one host do
 * not overwrite each other's (V8 would refuse the other's anyway).
 */
export function codeCacheFileName(build: string, nodeVersion: string, arch: string, key: string, moduleFile: string): string {
  const module = moduleFile.replace(/\.cjs$/, "");
  return `${build}.${nodeVersion}.${arch}.${key}.${module}.v8`;
}
