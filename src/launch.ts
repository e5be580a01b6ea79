/**
 * dist/ps.cjs, the entry every subcommand and trigger executable runs
 * (`node dist/ps.cjs <kind> <name> …`): sets up the code cache of this
 * command, then runs the plugin itself, dist/main.cjs (src/entry.ts).
 * Built on its own, small, so it costs nothing to compile.
 */
import { useCodeCache } from "./adapters/code-cache.ts";

/** Hash of dist/main.cjs and dist/vendor/*, put here by scripts/build.mjs. */
declare const DOKKU_PS_BUILD: string;

useCodeCache(__dirname, DOKKU_PS_BUILD, process.argv.slice(2));
require("./main.cjs");
