// Bundles the plugin into dist/ so the installed plugin needs no
// node_modules, only Node >= 18:
//   dist/ps.cjs            all of our code (+ minimist) in ONE CommonJS file:
//                          the cheapest thing for Node to load at every trigger
//   dist/vendor/<dep>.mjs  each heavy dependency (dockerode, execa, tar-stream,
//                          simple-git, p-queue) on its own, loaded with import()
//                          only by the code paths that need it
import { build } from "esbuild";
import { rmSync } from "node:fs";

const VENDOR = ["dockerode", "execa", "tar-stream", "simple-git", "p-queue"];
// Whitespace and syntax minified (less for V8 to parse at every trigger); names
// kept so DOKKU_TRACE stack traces stay readable.
const common = { bundle: true, platform: "node", target: "node18", legalComments: "none", logLevel: "warning", minifySyntax: true, minifyWhitespace: true };

rmSync("dist", { recursive: true, force: true });

// Our code: `import("dockerode")` becomes `import("./vendor/dockerode.mjs")`.
const vendorAsExternal = {
  name: "vendor-as-external",
  setup(b) {
    const filter = new RegExp(`^(${VENDOR.join("|")})$`);
    b.onResolve({ filter }, (args) => {
      if (args.kind !== "dynamic-import") return { errors: [{ text: `${args.path} must be imported lazily with import()` }] };
      return { path: `./vendor/${args.path}.mjs`, external: true };
    });
  },
};
await build({ ...common, entryPoints: { ps: "src/entry.ts" }, outdir: "dist", format: "cjs", outExtension: { ".js": ".cjs" }, plugins: [vendorAsExternal] });

// dockerode's optional transports (ssh://, BuildKit gRPC) are replaced by a
// stub that fails loudly if ever used: see scripts/vendor/unsupported.cjs.
const UNUSED = /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/;
const stubUnused = {
  name: "stub-unused",
  setup(b) {
    b.onResolve({ filter: UNUSED }, () => ({ path: new URL("./vendor/unsupported.cjs", import.meta.url).pathname }));
  },
};

// Dependencies: ESM (execa and p-queue are ESM-only). Bundled CommonJS
// dependencies call require() for Node built-ins and use __dirname.
await build({
  ...common,
  entryPoints: Object.fromEntries(VENDOR.map((name) => [name, `scripts/vendor/${name}.mjs`])),
  outdir: "dist/vendor",
  format: "esm",
  splitting: true,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunk-[hash]",
  plugins: [stubUnused],
  external: ["cpu-features", "*.node"],
  banner: {
    js: [
      "import { createRequire as __psCreateRequire } from 'node:module';",
      "import { fileURLToPath as __psFileURLToPath } from 'node:url';",
      "import { dirname as __psDirname } from 'node:path';",
      "const require = __psCreateRequire(import.meta.url);",
      "const __filename = __psFileURLToPath(import.meta.url);",
      "const __dirname = __psDirname(__filename);",
    ].join(" "),
  },
});
