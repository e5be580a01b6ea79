// Bundles the plugin into dist/: one entry (dist/ps.mjs) plus lazily loaded
// chunks, so a trigger loads only the code it runs. Dependencies are bundled
// too: the installed plugin needs no node_modules, only Node >= 18.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { ps: "src/entry.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node18",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  minifySyntax: true,
  legalComments: "none",
  metafile: false,
  logLevel: "warning",
  // ssh2 (a dockerode dependency, used only for ssh:// engines) has optional
  // native add-ons; it falls back to pure JS when they are missing.
  external: ["cpu-features", "*.node"],
  // Bundled CommonJS dependencies call require() for Node built-ins, and
  // some (ssh2, loaded by docker-modem) read __dirname at load time.
  banner: {
    js:
      "import { createRequire as __psCreateRequire } from 'node:module'; const require = __psCreateRequire(import.meta.url);" +
      " import { fileURLToPath as __psFileURLToPath } from 'node:url'; import { dirname as __psDirname } from 'node:path';" +
      " const __filename = __psFileURLToPath(import.meta.url); const __dirname = __psDirname(__filename);",
  },
});
