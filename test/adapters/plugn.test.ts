/**
 * Issue 11, failure 4: plugn's stdin is never a socket. A stand-in `plugn`
 * first on PATH reports what its stdin is (file type, as `stat -L` sees
 * fd 0), and what it read; the adapter's both entry points must hand it
 * /dev/null, or a regular file when there is data for it — also when our own
 * stdin is a socket.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { trigger, triggerOutput } from "../../src/adapters/plugn.ts";
import { tempDir } from "../temp.ts";

let dir: string;
let report: string;
let savedPath: string | undefined;

const FAKE_PLUGN = `#!/usr/bin/env bash
kind="$(stat -L -c %F /dev/stdin)"
# Never blocks on a terminal or an open pipe (what an inherited stdin may be).
data="$(timeout 2 cat 2>/dev/null || true)"
printf '%s|%s|%s\\n' "$kind" "$data" "$*" >>"$PLUGN_STDIN_REPORT"
printf '%s|%s\\n' "$kind" "$data"
`;

before(() => {
  dir = tempDir("ps-plugn-");
  writeFileSync(join(dir, "plugn"), FAKE_PLUGN);
  chmodSync(join(dir, "plugn"), 0o755);
  report = join(dir, "report");
  savedPath = process.env["PATH"];
  process.env["PATH"] = `${dir}:${savedPath ?? ""}`;
  process.env["PLUGN_STDIN_REPORT"] = report;
});
after(() => {
  process.env["PATH"] = savedPath;
  delete process.env["PLUGN_STDIN_REPORT"];
  rmSync(dir, { recursive: true, force: true });
});

const lastReport = () => readFileSync(report, "utf8").trim().split("\n").at(-1);

test("triggerOutput: stdin is /dev/null without data", async () => {
  const out = await triggerOutput("scheduler-app-status", ["docker-local", "app"]);
  assert.equal(out.exitCode, 0);
  assert.equal(out.stdout, "character special file|\n");
});

test("triggerOutput: data reaches the trigger as a regular file, removed afterwards", async () => {
  const before = readdirSync(tmpdir()).filter((n) => n.startsWith("dokku-ps-stdin-")).length;
  const data = "line one\nline 'two' $HOME `x`";
  const out = await triggerOutput("docker-args-deploy", ["app", "latest"], data);
  assert.equal(out.stdout, `regular file|${data}\n`);
  assert.equal(readdirSync(tmpdir()).filter((n) => n.startsWith("dokku-ps-stdin-")).length, before);
});

test("trigger: stdin is /dev/null (our stdout/stderr are inherited), or a regular file with data", async () => {
  await trigger("post-stop", ["app"]);
  assert.equal(lastReport(), "character special file||trigger post-stop app");
  await trigger("post-stop", ["app"], "abc");
  assert.equal(lastReport(), "regular file|abc|trigger post-stop app");
});

test("with our own stdin a socket, plugn still never gets one", () => {
  // This process's stdin is whatever the runner gave; run the adapter in a child whose stdin is a socketpair.
  const script = `import { trigger, triggerOutput } from ${JSON.stringify(join(process.cwd(), "src", "adapters", "plugn.ts"))};
    const o = await triggerOutput("a", []); await trigger("b", []); process.stderr.write(o.stdout);`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    input: "",
    encoding: "utf8",
    env: process.env,
  });
  assert.equal(r.status, 0, r.stderr);
  const check = spawnSync("bash", ["-c", "stat -L -c %F /dev/stdin"], { input: "", encoding: "utf8" });
  assert.equal(check.stdout.trim(), "socket", "the child's own stdin was a socket (the test is meaningful)");
  assert.equal(r.stderr, "character special file|\n");
  assert.equal(lastReport(), "character special file||trigger b");
});
