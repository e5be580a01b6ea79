/**
 * The shell fast paths (scripts/fast-paths.sh) of the triggers that fire in
 * every push: they answer only from what the entry wrote earlier, and
 * otherwise hand over to Node untouched (stdin included). `node` here is a
 * stand-in that reports it was called, so "answered without Node" is seen,
 * not assumed. Needs the build (dist/fast-paths.sh), as npm test does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "./temp.ts";

const TRIGGERS = resolve("triggers");
const root = tempDir("dokku-ps-fast-");
const lib = join(root, "lib");
const home = join(root, "home");
const bin = join(root, "bin");
mkdirSync(bin);
// Prints what it was asked and what it read, so a hand-over is visible and checkable.
writeFileSync(join(bin, "node"), '#!/bin/sh\nin=$(cat)\nprintf "NODE %s [%s]" "$*" "$in"\n');
chmodSync(join(bin, "node"), 0o755);

function shim(trigger: string, args: string[], input = ""): { out: string; code: number | null; node: boolean; err?: string } {
  const r = spawnSync(join(TRIGGERS, trigger), args, {
    input,
    env: { PATH: `${bin}:/usr/bin:/bin`, DOKKU_LIB_ROOT: lib, DOKKU_ROOT: home },
    encoding: "utf8",
  });
  const result = { out: r.stdout, code: r.status, node: r.stdout.startsWith("NODE ") };
  return r.stderr ? { ...result, err: r.stderr } : result;
}

function write(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

test("procfile-get-command: precomputed answer while the Procfile copy exists, else Node", () => {
  write(join(lib, "data/ps/app1/hot/start-command.web.5000"), "httpd -f -p 5000 'a b' \\x\n");
  assert.ok(shim("procfile-get-command", ["app1", "web", "5000"]).node, "no Procfile copy: Node");
  write(join(lib, "data/ps/app1/Procfile"), "web: x\n");
  const fast = shim("procfile-get-command", ["app1", "web"]);
  assert.deepEqual(fast, { out: "httpd -f -p 5000 'a b' \\x\n", code: 0, node: false });
  for (const args of [["app1", "web", "8080"], ["app1", "worker", "5000"], ["app1", "../hot/x", "5000"], ["app1", "web", "50a0"], ["../app1", "web", "5000"], ["App1", "web", "5000"]]) {
    assert.ok(shim("procfile-get-command", args).node, args.join(" "));
  }
});

test("procfile-get-command: the entry's error when the deployed image had no Procfile", () => {
  write(join(lib, "data/ps/app6/hot/no-procfile"), "");
  assert.deepEqual(shim("procfile-get-command", ["app6", "web", "5000"]), { out: "", code: 1, node: false, err: " !     No procfile found\n" });
  assert.ok(shim("procfile-get-command", ["app6", "web", "x"]).node, "a port the entry must read");
  // A Procfile copy (however it came) wins over the marker: the start command or the entry.
  write(join(lib, "data/ps/app6/Procfile"), "web: a\n");
  assert.ok(shim("procfile-get-command", ["app6", "web", "5000"]).node);
});

test("docker-args-process-deploy: the chain without trailing newlines plus the policy; Node gets stdin intact", () => {
  write(join(lib, "data/ps/app2/hot/docker-args-process-deploy"), " --restart=on-failure:10");
  assert.deepEqual(shim("docker-args-process-deploy", ["app2", "dockerfile", "latest", "web", "1"], "--env=A='x y'\n\n"), {
    out: "--env=A='x y' --restart=on-failure:10",
    code: 0,
    node: false,
  });
  assert.equal(shim("docker-args-process-deploy", ["app2"], "").out, " --restart=on-failure:10");
  assert.equal(shim("docker-args-process-deploy", ["app2"], "a\nb\n").out, "a\nb --restart=on-failure:10");
  const slow = shim("docker-args-process-deploy", ["app3", "dockerfile"], "--env=B=2");
  assert.match(slow.out, /^NODE \S+\/dist\/ps\.cjs trigger docker-args-process-deploy app3 dockerfile \[--env=B=2\]$/);
});

test("post-extract / core-post-extract: Node unless every file present equals a validated copy", () => {
  const src = join(root, "src1");
  write(join(src, "Procfile"), "web: a\n");
  write(join(src, "DOKKU_SCALE"), "web=1\n");
  for (const trigger of ["post-extract", "core-post-extract"]) {
    assert.ok(shim(trigger, ["app4", src, "rev"]).node, "nothing validated yet");
  }
  write(join(lib, "data/ps/app4/validated/Procfile"), "web: a\n");
  assert.ok(shim("post-extract", ["app4", src]).node, "DOKKU_SCALE not validated yet");
  write(join(lib, "data/ps/app4/validated/DOKKU_SCALE"), "web=1\n");
  for (const trigger of ["post-extract", "core-post-extract"]) {
    assert.deepEqual(shim(trigger, ["app4", src, "rev"]), { out: "", code: 0, node: false });
  }
  // A stale copy of a file the push no longer has does not matter.
  write(join(lib, "data/ps/app4/validated/app.json"), "{}");
  assert.equal(shim("post-extract", ["app4", src]).node, false);
  write(join(src, "app.json"), '{"formation":{}}');
  assert.ok(shim("post-extract", ["app4", src]).node, "app.json differs from its copy");
  write(join(src, "app.json"), "{}");
  assert.equal(shim("post-extract", ["app4", src]).node, false);
  write(join(src, "DOKKU_SCALE"), "web=2\n");
  assert.ok(shim("post-extract", ["app4", src]).node, "changed DOKKU_SCALE");
  write(join(src, "DOKKU_SCALE"), "web=1\n");
  // Same bytes behind a symlink or as a directory: the entry decides (it refuses them).
  const linked = join(root, "src2");
  write(join(linked, "DOKKU_SCALE"), "web=1\n");
  symlinkSync(join(src, "Procfile"), join(linked, "Procfile"));
  assert.ok(shim("post-extract", ["app4", linked]).node, "symlinked Procfile");
  const dir = join(root, "src3");
  mkdirSync(join(dir, "Procfile"), { recursive: true });
  assert.ok(shim("post-extract", ["app4", dir]).node, "Procfile directory");
  assert.ok(shim("post-extract", ["app4", ""]).node, "no source dir");
  assert.ok(shim("post-extract", ["../data/ps/app4", src]).node, "odd app name");
});

test("core-post-deploy: nothing to do only when already deployed and the ENV file unambiguously says 1", () => {
  const env = join(home, "app5/ENV");
  const post = () => shim("core-post-deploy", ["app5", "5000", "", "latest"]);
  write(env, 'A="x"\nDOKKU_APP_RESTORE="0"');
  assert.ok(post().node, "not deployed yet");
  write(join(lib, "config/common/app5/deployed"), "true");
  assert.ok(post().node, "restore flag is 0");
  // The three ways a 1 is written: godotenv 1.2.0 (Dokku 0.24.10), godotenv 1.5.1, older Dokku.
  for (const text of [
    'A="x"\nDOKKU_APP_RESTORE="1"\nZ="y"',
    'DOKKU_APP_RESTORE=1\nFOO="bar"\n',
    "export A='x'\nexport DOKKU_APP_RESTORE='1'\n",
    '# a comment\n\n  \t\nA="#"\nDOKKU_APP_RESTORE="1"',
  ]) {
    write(env, text);
    assert.deepEqual(post(), { out: "", code: 0, node: false }, JSON.stringify(text));
  }
  // Anything less than certain goes to Node, which reads the file as godotenv does.
  for (const text of [
    'A="DOKKU_APP_RESTORE=\\"1\\""', // only inside another value
    "export A='export DOKKU_APP_RESTORE='\\''1'\\'''\n",
    'A="x"', // not set at all: Node sets it
    'DOKKU_APP_RESTORE="1"\nDOKKU_APP_RESTORE="0"', // a later line wins
    'DOKKU_APP_RESTORE="1"\nexportDOKKU_APP_RESTORE="0"', // godotenv strips a glued export
    'DOKKU_APP_RESTORE="1"\nDOKKU_APP_RESTORE: 0', // yaml-style line
    'DOKKU_APP_RESTORE="1"\n  DOKKU_APP_RESTORE=0', // padded key
    'DOKKU_APP_RESTORE="1"\nnot a pair', // godotenv fails: Dokku sees nothing
    'DOKKU_APP_RESTORE="1"\nB=' + "x".repeat(65534), // a line too long for godotenv
    'DOKKU_APP_RESTORE="1"\r\n', // not byte for byte one of the three
    "DOKKU_APP_RESTORE='1'",
    'DOKKU_APP_RESTORE="1" ',
  ]) {
    write(env, text);
    assert.ok(post().node, JSON.stringify(text.slice(0, 80)));
  }
  write(env, 'DOKKU_APP_RESTORE="1"');
  assert.equal(post().node, false);
  write(join(lib, "config/common/app5/deployed"), "false");
  assert.ok(shim("core-post-deploy", ["app5"]).node, "deployed=false");
});

test("commands: not ours (exit 10, silent) without Node; help for help, ps and ps:help", () => {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(resolve("commands"), args, { env: { PATH: `${bin}:/usr/bin:/bin`, ...env }, encoding: "utf8", input: "" });
    return { out: r.stdout, err: r.stderr, code: r.status };
  };
  for (const args of [["git-hook", "app"], ["apps:list"], ["ps:scale", "app", "web=1"], ["ps:helpx"], []]) {
    assert.deepEqual(run(args), { out: "", err: "", code: 10 }, args.join(" "));
  }
  assert.equal(run(["git-hook", "app"], { DOKKU_NOT_IMPLEMENTED_EXIT: "12" }).code, 12);
  assert.equal(run(["git-hook", "app"], { DOKKU_NOT_IMPLEMENTED_EXIT: "x" }).code, 10);
  for (const args of [["help"], ["help", "--all"], ["ps"], ["ps:help"]]) {
    assert.match(run(args).out, new RegExp(`^NODE \\S+/dist/ps\\.cjs commands commands ${args.join(" ")} \\[\\]$`), args.join(" "));
  }
});
