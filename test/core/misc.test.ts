import { test } from "node:test";
import assert from "node:assert/strict";
import { assertAppNameShape } from "../../src/core/app-name.ts";
import { candidatePaths } from "../../src/core/image-paths.ts";
import { parseEnvFile, serializeEnvFile } from "../../src/core/env-file.ts";
import { parseParallel } from "../../src/core/parallel.ts";
import { renderPluginHelp } from "../../src/core/help.ts";

test("app names: Dokku's rule plus path safety", () => {
  assertAppNameShape("demo");
  assertAppNameShape("my-app.2");
  assertAppNameShape("legacy_app");
  for (const bad of ["", "Demo", "a:b", "-x", "a/b", "..", "a..b", "a b", "a\nb"]) {
    assert.throws(() => assertAppNameShape(bad));
  }
  assert.throws(() => assertAppNameShape(undefined), /Please specify an app to run the command on/);
});

test("image paths: WORKDIR, then /app, then /", () => {
  assert.deepEqual(candidatePaths("DOKKU_SCALE", "/srv/app"), ["/srv/app/DOKKU_SCALE", "/app/DOKKU_SCALE", "/DOKKU_SCALE"]);
  assert.deepEqual(candidatePaths("DOKKU_SCALE", ""), ["/DOKKU_SCALE", "/app/DOKKU_SCALE"]);
  assert.deepEqual(candidatePaths("DOKKU_SCALE", "/app"), ["/app/DOKKU_SCALE", "/DOKKU_SCALE"]);
});

test("ENV file round-trips quotes and newlines", () => {
  const env = new Map([["A", "it's"], ["B", "line1\nline2"], ["C", ""]]);
  const text = serializeEnvFile(env);
  assert.equal(text, 'A="it\'s"\nB="line1\\nline2"\nC=""');
  assert.deepEqual(parseEnvFile(text), env);
});

test("--parallel as Dokku reads it", () => {
  assert.deepEqual(parseParallel(undefined, 2), { mode: "serial" });
  assert.deepEqual(parseParallel("1", 2), { mode: "serial" });
  assert.deepEqual(parseParallel("-1", 4), { mode: "parallel", workers: 4, fromCpuCount: true });
  assert.deepEqual(parseParallel("3", 4), { mode: "parallel", workers: 3, fromCpuCount: false });
  assert.throws(() => parseParallel("-2", 4), /Invalid value -2 for --parallel flag/);
  assert.throws(() => parseParallel("x", 4), (e: any) => e.exitCode === 2);
});

test("ps:help lists every command", () => {
  const help = renderPluginHelp();
  for (const c of ["inspect", "rebuild", "report", "restart", "restore", "scale", "set", "start", "stop"]) {
    assert.match(help, new RegExp(`^    ps:${c} `, "m"));
  }
});
