/**
 * Issue 6: names other plugins pass to ps triggers (post-delete,
 * post-app-clone-setup / post-app-rename-setup, procfile-get-command,
 * pre-deploy, docker-args-process-deploy…) are validated before any use as a
 * path or an argument. The installed trigger executables are run directly,
 * as plugn runs them; the host's state must be unchanged by every refusal.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host } from "./harness.ts";
import { treeHash } from "./state.ts";

let host: Host;
let app: string;
let state: () => string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("targs");
  // Sentinels a `../` name would reach from $DOKKU_LIB_ROOT/data/ps/<app> or config/ps/<app>.
  for (const dir of [join(host.lib, "data", "victim"), join(host.lib, "config", "victim"), join(host.root, "victim")]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "keep"), "keep");
  }
  await host.dokku("ps:set", app, "restart-policy", "always");
  state = () => treeHash(host.home, join(host.lib, "config"), join(host.lib, "data"), join(host.root, "victim"));
});
after(async () => {
  await host?.destroy();
});

async function fire(trigger: string, args: string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa(join(host.lib, "plugins", "enabled", "ps", trigger), args, {
    env: host.env(),
    input,
    reject: false,
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function refused(trigger: string, args: string[], message: RegExp, input = ""): Promise<void> {
  const before = state();
  const r = await fire(trigger, args, input);
  const what = `${trigger} ${JSON.stringify(args)}`;
  assert.notEqual(r.code, 0, `${what}: exit code`);
  assert.equal(r.stdout, "", `${what}: nothing on stdout`);
  assert.match(r.stderr, /^ !     \S/, `${what}: Dokku-style error`);
  assert.match(r.stderr, message, `${what}: message`);
  assert.equal(state(), before, `${what}: state unchanged`);
}

const BAD_NAMES = ["../victim", "..", "../../victim", "a/../../victim", "/tmp/x", "--global", "-rf", "Victim", "a b", "a\nb", "a:b"];
const NAME = /App name must begin|Please specify an app/;

describe("trigger arguments are validated before use", () => {
  test("post-delete never removes outside the ps data and property dirs", async () => {
    for (const bad of BAD_NAMES) await refused("post-delete", [bad], NAME);
    for (const dir of ["data", "config"]) assert.equal(readFileSync(join(host.lib, dir, "victim", "keep"), "utf8"), "keep");
    // A good name that is already gone is still cleaned up without a word.
    mkdirSync(join(host.lib, "data", "ps", "gone-app"), { recursive: true });
    const ok = await fire("post-delete", ["gone-app"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(existsSync(join(host.lib, "data", "ps", "gone-app")), false);
  });

  test("post-app-clone-setup / post-app-rename-setup refuse bad names on either side, and renaming onto itself", async () => {
    for (const trigger of ["post-app-clone-setup", "post-app-rename-setup"]) {
      for (const bad of BAD_NAMES) {
        await refused(trigger, [app, bad], NAME);
        await refused(trigger, [bad, `${app}-new`], NAME);
      }
      await refused(trigger, [app, app], /onto itself/);
    }
    assert.equal(readFileSync(join(host.lib, "config", "ps", app, "restart-policy"), "utf8"), "always");
    // Good names still clone.
    const ok = await fire("post-app-clone-setup", [app, `${app}-copy`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readFileSync(join(host.lib, "config", "ps", `${app}-copy`, "restart-policy"), "utf8"), "always");
  });

  test("app-taking triggers refuse bad app names", async () => {
    const cases: Array<[string, string[]]> = [
      ["post-create", []],
      ["pre-start", []],
      ["post-stop", []],
      ["core-post-deploy", ["5000", "", "latest"]],
      ["ps-current-scale", []],
      ["docker-args-process-deploy", ["latest", "web", "1"]],
      ["procfile-get-command", ["web", "5000"]],
      ["pre-deploy", ["latest"]],
      ["app-restart", []],
      ["report", []],
      ["procfile-exists", []],
    ];
    // Those this Dokku's ps answers (0.31.5: no pre-start nor docker-args-process-deploy; procfile-exists).
    for (const [trigger, rest] of cases.filter(([t]) => host.contract.triggers.includes(t))) {
      for (const bad of ["../victim", "..", "a/../../victim", "-x"]) await refused(trigger, [bad, ...rest], NAME);
    }
  });

  test("procfile-get-command refuses a bad process type; pre-deploy a bad image tag (0.24: 0.31.5's ignores its tag)", async () => {
    // 0.30+ answers from the Procfile copy core-post-extract keeps (none: nothing
    // to look a type up in, so nothing is asked): give the app one.
    if (!host.is024) host.seedFile(join(host.lib, "data", "ps", app, "Procfile"), "web: sleep 86400\n");
    for (const type of ["../x", "", "web worker", "a/b", "$(id)"]) await refused("procfile-get-command", [app, type, "5000"], /Invalid process type/);
    // 0.24's pre-deploy reads the image by its tag; 0.31.5's never uses the
    // tag (it refreshes the scale from the Procfile copy): nothing to refuse there.
    if (host.is024) {
      for (const tag of ["../x", "x/../../containers/abc", "latest?force=1", "-x", "a b", "t".repeat(129)]) {
        await refused("pre-deploy", [app, tag], /Invalid image tag/);
      }
    }
  });

  test("directories that are not app names are not apps: never passed on as an argument", async () => {
    mkdirSync(join(host.home, "--all"));
    mkdirSync(join(host.home, "Upper"));
    try {
      const report = await host.dokku("ps:report");
      assert.equal(report.code, 0, report.stderr);
      assert.match(report.stdout, new RegExp(`=====> ${app} ps information`));
      assert.doesNotMatch(report.stdout, /--all ps information|Upper/);
      // Passed to a child `ps:stop --all`, `--all` would recurse.
      const stop = await host.dokku("ps:stop", "--all");
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, new RegExp(`Running stop against app ${app}\n`));
      assert.doesNotMatch(stop.stdout + stop.stderr, /app --all|app Upper|=====> (--all|Upper):/);
      assert.match(stop.stdout, /stop --all: 1 succeeded, 0 failed/);
    } finally {
      await execa("rmdir", [join(host.home, "--all"), join(host.home, "Upper")]);
    }
  });
});
