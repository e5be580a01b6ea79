// Bundles the plugin into dist/ so the installed plugin needs no
// node_modules, only Node >= 18:
//   dist/ps.cjs            the entry every executable runs: a few lines that set
//                          up the V8 code cache (src/launch.ts), then load
//   dist/main.cjs          all of our code (+ minimist) in ONE CommonJS file:
//                          the cheapest thing for Node to load at every trigger
//   dist/vendor/<dep>.cjs  each heavy dependency (dockerode, execa, tar-stream,
//                          simple-git, p-queue) on its own, CommonJS too, loaded
//                          only by the code paths that need it
// Everything is CommonJS because the first ES module a process loads costs
// ~15-30 ms of loader start-up (measured: dockerode 52 ms as ESM, 36 ms as CJS).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";

const VENDOR = ["dockerode", "execa", "tar-stream", "simple-git", "p-queue"];
// Whitespace and syntax minified (less for V8 to parse at every trigger); names
// kept so DOKKU_TRACE stack traces stay readable.
const common = { bundle: true, platform: "node", target: "node18", legalComments: "none", logLevel: "warning", minifySyntax: true, minifyWhitespace: true };
// Every bundle is CommonJS, named .cjs (the package is "type": "module").
const cjs = { ...common, format: "cjs", outExtension: { ".js": ".cjs" } };

rmSync("dist", { recursive: true, force: true });

// Our code: `import("dockerode")` becomes `require("./vendor/dockerode.cjs")`,
// still only when reached ("dynamic-import": false lowers import() to require).
const vendorAsExternal = {
  name: "vendor-as-external",
  setup(b) {
    const filter = new RegExp(`^(${VENDOR.join("|")})$`);
    b.onResolve({ filter }, (args) => {
      if (args.kind !== "dynamic-import") return { errors: [{ text: `${args.path} must be imported lazily with import()` }] };
      return { path: `./vendor/${args.path}.cjs`, external: true };
    });
  },
};
await build({
  ...cjs,
  entryPoints: { main: "src/entry.ts" },
  outdir: "dist",
  supported: { "dynamic-import": false },
  plugins: [vendorAsExternal],
});

// dockerode's optional transports (ssh://, BuildKit gRPC) and what only its
// image building uses (build contexts: tar-fs, .dockerignore; BuildKit
// sessions: uuid) are replaced by a stub that fails loudly if ever used (see
// scripts/vendor/unsupported.cjs). dokku-ps never builds: ~8 ms less to load.
const UNUSED = /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader|protobufjs|tar-fs|@balena\/dockerignore|uuid)$/;
const stubUnused = {
  name: "stub-unused",
  setup(b) {
    b.onResolve({ filter: UNUSED }, () => ({ path: new URL("./vendor/unsupported.cjs", import.meta.url).pathname }));
    // docker-modem's https (with tls and crypto): loaded when first used (~5 ms less).
    b.onResolve({ filter: /^https$/ }, (args) =>
      /[\\/]docker-modem[\\/]/.test(args.importer) ? { path: new URL("./vendor/lazy-https.cjs", import.meta.url).pathname } : undefined,
    );
    // docker-modem's util.inspect of each request for a debug log that is off (scripts/vendor/modem-util.cjs).
    b.onResolve({ filter: /^util$/ }, (args) =>
      /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/.test(args.importer) ? { path: new URL("./vendor/modem-util.cjs", import.meta.url).pathname } : undefined,
    );
    // docker-modem's readable-stream and debug: Node's stream, and no logging (~7 ms less).
    b.onResolve({ filter: /^(readable-stream|debug)$/ }, (args) =>
      /[\\/]docker-modem[\\/]/.test(args.importer)
        ? { path: new URL(`./vendor/${args.path === "debug" ? "no-debug" : "node-stream"}.cjs`, import.meta.url).pathname }
        : undefined,
    );
    b.onResolve({ filter: /^\.\/session$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: new URL("./vendor/unsupported.cjs", import.meta.url).pathname } : undefined,
    );
  },
};

// Dependencies, each bundled on its own (execa and p-queue are ESM-only
// packages; esbuild turns them into CommonJS).
await build({
  ...cjs,
  entryPoints: Object.fromEntries(VENDOR.map((name) => [name, `scripts/vendor/${name}.cjs`])),
  outdir: "dist/vendor",
  plugins: [stubUnused],
  external: ["cpu-features", "*.node"],
});

// The entry, last: it carries the bundles' hash, the build id its code cache
// files are named by (src/core/code-cache.ts), so a rebuilt bundle never meets
// an old cache.
const bundles = ["dist/main.cjs", ...readdirSync("dist/vendor").sort().map((f) => `dist/vendor/${f}`)];
const hash = createHash("sha256");
for (const file of bundles) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
await build({
  ...cjs,
  entryPoints: { ps: "src/launch.ts" },
  outdir: "dist",
  external: ["./main.cjs"],
  define: { DOKKU_PS_BUILD: JSON.stringify(hash.digest("hex").slice(0, 16)) },
});

// The shell fast paths the trigger shims source (scripts/shim-fast.sh).
copyFileSync("scripts/fast-paths.sh", "dist/fast-paths.sh");
// The two trigger shims install.sh installs under each trigger's name (a
// release carries dist/, not scripts/).
mkdirSync("dist/shims", { recursive: true });
copyFileSync("scripts/shim-trigger.sh", "dist/shims/trigger");
copyFileSync("scripts/shim-fast.sh", "dist/shims/fast");
