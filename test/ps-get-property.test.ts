/**
 * `ps-get-property <app> <property>` on Dokku 0.36+ (0.38.27's
 * plugins/ps/triggers.go TriggerPsGetProperty, report.go): skip-deploy and
 * stop-timeout-seconds are ps properties, the app's value first, then the
 * global one (`config/ps/--global/`), then the default (false, 30). The
 * bundled entry run as the trigger shim runs it, on a host tree of files only
 * (this trigger needs no Docker).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "./temp.ts";

const ENTRY = resolve("dist/ps.cjs");

test("0.38: ps-get-property skip-deploy and stop-timeout-seconds read the app's, then the global ps property, then the default", () => {
  const root = tempDir("dokku-ps-getprop-");
  try {
    const lib = join(root, "lib");
    const home = join(root, "home");
    mkdirSync(join(home, "gp"), { recursive: true });
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, "VERSION"), "v0.38.27\n");
    const get = (property: string) => {
      const r = spawnSync(process.execPath, [ENTRY, "trigger", "ps-get-property", "gp", property], {
        env: { PATH: "/usr/bin:/bin", DOKKU_LIB_ROOT: lib, DOKKU_ROOT: home },
        encoding: "utf8",
        input: "",
      });
      return `${r.stdout}${r.stderr}[${r.status}]`;
    };
    const setProp = (app: string, key: string, value: string) => {
      mkdirSync(join(lib, "config", "ps", app), { recursive: true });
      writeFileSync(join(lib, "config", "ps", app, key), value);
    };
    assert.equal(get("skip-deploy"), "false\n[0]");
    assert.equal(get("stop-timeout-seconds"), "30\n[0]");
    setProp("--global", "skip-deploy", "true");
    setProp("--global", "stop-timeout-seconds", "45");
    assert.equal(get("skip-deploy"), "true\n[0]");
    assert.equal(get("stop-timeout-seconds"), "45\n[0]");
    setProp("gp", "skip-deploy", "false");
    setProp("gp", "stop-timeout-seconds", "5");
    assert.equal(get("skip-deploy"), "false\n[0]");
    assert.equal(get("stop-timeout-seconds"), "5\n[0]");
    assert.equal(get("nonsense"), " !     Invalid ps property specified: nonsense\n[1]");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
