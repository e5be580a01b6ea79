import { lstatSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join, sep } from "node:path";
import { Script } from "node:vm";
import { codeCacheFileName, codeCacheKey, codeCacheUsable, type CodeCacheDirFacts } from "../core/code-cache.ts";
import { writeFileAtomic } from "./files.ts";

type LoadExtension = (module: NodeJS.Module, filename: string) => void;
type CompiledWrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/**
 * Makes `require` of the bundles in `distDir` (dist/main.cjs, dist/vendor/*)
 * compile through V8's code cache of this command or trigger (see
 * src/core/code-cache.ts): read from `<plugin>/dist/code-cache/` if there, and
 * written there when this process exits if it was missing or refused (an
 * upgraded Node). Without a usable dir nothing changes: Node loads them as
 * always. Modules are still loaded by Node's loader (require.cache, hooks);
 * only their compilation is ours.
 */
export function useCodeCache(distDir: string, build: string, argv: readonly string[]): void {
  const key = codeCacheKey(argv);
  if (key === undefined) return;
  const dir = join(distDir, "code-cache");
  if (!codeCacheUsable(dirFacts(dir), process.geteuid?.())) return;

  // Node 18 and 20 have no public way to hand V8 a code cache for a required
  // file (module.enableCompileCache is Node 22's), so the `.cjs` loader is
  // wrapped, for our own files only. A Node without it loads them as always.
  const extensions = (Module as unknown as { _extensions?: Record<string, LoadExtension> })._extensions;
  // `.cjs` files have no handler of their own: Node uses the `.js` one.
  const plain = extensions?.[".cjs"] ?? extensions?.[".js"];
  if (extensions === undefined || typeof plain !== "function") return;
  const toWrite: Array<{ script: Script; file: string }> = [];
  extensions[".cjs"] = function compileWithCodeCache(module, filename) {
    if (!filename.startsWith(distDir + sep)) return plain(module, filename);
    const file = join(dir, codeCacheFileName(build, process.version, process.arch, key, basename(filename)));
    const cachedData = readIfThere(file);
    // The wrapper Node puts around a CommonJS module, so the code sees the same five names.
    const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(filename, "utf8")}\n})`;
    const script = new Script(source, { filename, ...(cachedData ? { cachedData } : {}) });
    if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ script, file });
    const wrapper = script.runInThisContext() as CompiledWrapper;
    wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
  };
  // At exit the scripts hold every function this run compiled: that is the cache.
  process.on("exit", () => {
    for (const { script, file } of toWrite) {
      // Whole or absent (concurrent first runs write the same file, and a torn
      // one must never reach V8); a fault (full disk) only means no cache.
      try {
        writeFileAtomic(file, script.createCachedData(), 0o644);
      } catch {
        // next run compiles, and tries again
      }
    }
  });
}

function dirFacts(dir: string): CodeCacheDirFacts | undefined {
  try {
    const st = lstatSync(dir);
    return { isDirectory: st.isDirectory(), isSymbolicLink: st.isSymbolicLink(), uid: st.uid, mode: st.mode };
  } catch {
    return undefined;
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
