/**
 * Issue 11, failure 1: no config variable is ever lost. The host's config
 * plugin keeps ENV as Dokku 0.24.10 does (godotenv v1.2.0); every ps step
 * that sets DOKKU_APP_RESTORE (deploy, ps:stop, ps:start, ps:restore,
 * ps:set, the install trigger) must keep every other variable byte for byte,
 * and write what Dokku's config plugin would have written: godotenv Marshal
 * of the whole map. Checked on a file written by `config:set` and on an old
 * `export KEY='value'` file planted as older Dokku left it.
 *
 * On 0.38 the restore flag is the ps property `restore` and the app's ENV
 * is `$DOKKU_LIB_ROOT/config/<app>/ENV`, written by the config plugin as
 * godotenv v1.5.1 writes it (integers unquoted, a final newline):
 * real-dokku-0.38.27/README.md "Where ps keeps things". There no ps step
 * writes ENV at all: every step leaves it byte for byte as it was, and the
 * restore flag (`host.restoreFlag`) is checked where that Dokku keeps it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, callerCwd, commitFiles, dockerfileApp, dokkuUser, workTree } from "./harness.ts";
import { fromByteString, parseEnvFile } from "../../src/core/env-file.ts";

/**
 * What this host's config plugin writes for `env`, written out plainly
 * (independent of src/): godotenv v1.2.0 Marshal to 0.37; on 0.38 godotenv
 * v1.5.1 Write, whose Marshal writes a value strconv.Atoi takes (an int64,
 * optional sign) as the number (`%d`), and which adds a final newline.
 */
function marshal(env: Map<string, string>): string {
  const v15 = host.contract.envFiles === "lib-config";
  const lines = [...env].map(([k, v]) => {
    if (v15 && /^[+-]?[0-9]+$/.test(v)) {
      const n = BigInt(v);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return Buffer.from(`${k}=${n}`);
    }
    for (const c of ["\\", "\n", "\r", '"', "!", "$", "`"]) v = v.split(c).join(c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\" + c);
    return Buffer.from(`${k}="${v}"`);
  });
  return lines.sort(Buffer.compare).map((l) => l.toString()).join("\n") + (v15 ? "\n" : "");
}

/** Values with everything the issue lists (and a `:` and a URL for good measure). */
const SPECIAL: Record<string, string> = {
  FOO: "bar",
  SECRET_KEY: "s3cr3t",
  SPACES: "  two  leading, two trailing  ",
  DOUBLE_QUOTES: 'say "hi" ""',
  SINGLE_QUOTES: "it's 'quoted' ''",
  DOLLAR: "$HOME ${PATH} $(id) $",
  BANG: "wow! !! !$",
  BACKTICKS: "`id` ``",
  BACKSLASHES: "C:\\dir\\n \\\\ \\",
  NEWLINES: "line1\nline2\n\nline4\n",
  CR: "a\r\nb\rc\r",
  EQUALS: "a=b==c=",
  UNICODE: "ünïcödé 日本語 😀 \u2028",
  EMPTY: "",
  URL: "postgres://u:p@h:5432/db?x=1&y=2",
  MIXED: `'"\\$!\`\n\r= é`,
};

/** A few dozen more, random but reproducible. */
function randomVars(seed: number, n: number): Record<string, string> {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pieces = [" ", '"', "'", "$", "!", "`", "\\", "\n", "\r", "=", "é", "😀", "x", "Y", "0", "\\n", "${A}"];
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    let v = "";
    for (let j = Math.floor(rand() * 10); j > 0; j--) v += pieces[Math.floor(rand() * pieces.length)];
    out[`RANDOM_${String(i).padStart(2, "0")}`] = v;
  }
  return out;
}

let host: Host;
let app: string;
let src: string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("cfgenv");
  src = await workTree(dockerfileApp());
});
after(async () => {
  await host?.destroy();
});

const envPath = () => host.envFile(app);

/** Where this Dokku keeps the restore flag: DOKKU_APP_RESTORE in ENV (to 0.37), else the ps property. */
const restoreInEnv = () => host.contract.restoreStore === "config-var";

/**
 * After a step that sets the restore flag to `on`: the flag as this Dokku
 * keeps it (host.restoreFlag), and `expected` with DOKKU_APP_RESTORE where
 * that lives in ENV (on 0.38 ENV has none: `expected` as it was).
 */
function restored(expected: Map<string, string>, on: boolean): Map<string, string> {
  assert.equal(host.restoreFlag(app), on, `restore flag ${on}`);
  return restoreInEnv() ? expected.set("DOKKU_APP_RESTORE", on ? "1" : "0") : expected;
}
const fileText = () => fromByteString(readFileSync(envPath()).toString("latin1"));
const fileVars = () => new Map([...parseEnvFile(readFileSync(envPath()).toString("latin1"))].map(([k, v]) => [fromByteString(k), fromByteString(v)]));

async function ok(step: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<void> {
  const r = await step;
  assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
}

/** After a step: the file says exactly `expected`, written as godotenv Marshal writes it. */
function assertFile(expected: Map<string, string>, what: string): void {
  const vars = fileVars();
  for (const [k, v] of expected) assert.equal(vars.get(k), v, `${what}: ${k}`);
  assert.deepEqual(vars, expected, `${what}: the same variables`);
  assert.equal(fileText(), marshal(expected), `${what}: the file is godotenv Marshal of the variables`);
}

/** `plugin:install` as root (the install trigger), as an operator upgrading runs it. */
async function pluginInstall(): Promise<void> {
  const r = await execa(DOKKU, ["plugin:install"], { env: host.env(), cwd: callerCwd(), reject: false, stdin: "ignore" });
  assert.equal(r.exitCode, 0, `plugin:install: ${r.stdout}${r.stderr}`);
}

async function redeploy(what: string): Promise<void> {
  await commitFiles(src, { touched: what });
  await ok(host.push(app, src), `git push (${what})`);
}

/**
 * What the host's git plugin itself sets on a push (config:set --no-restart),
 * not ps: nothing on 0.24.10; on 0.31.5 GIT_REV and DOKKU_APP_TYPE
 * (host/versions/0.31.5/core-plugins/git/internal-functions, as Dokku 0.31.5's git plugin);
 * on 0.38 GIT_REV only (host/versions/0.38.27/core-plugins/git; the record's container env
 * has no DOKKU_APP_TYPE).
 */
async function pushVars(): Promise<Array<[string, string]>> {
  if (host.is024) return [];
  const rev = (await execa("git", ["rev-parse", "HEAD"], { cwd: src })).stdout.trim();
  return host.is038 ? [["GIT_REV", rev]] : [["DOKKU_APP_TYPE", "dockerfile"], ["GIT_REV", rev]];
}

/**
 * What apps:create itself sets, not ps: nothing on 0.24.10; on 0.31.5 the
 * domains plugin's NO_VHOST=1 without a global vhost
 * (host/versions/0.31.5/core-plugins/domains/post-create, as core-ps-0.31.5.log's ENV).
 */
const createVars = (): Array<[string, string]> => (host.is024 ? [] : [["NO_VHOST", "1"]]);

describe("ENV keeps every variable through every ps step", () => {
  test("issue 11 as seen on Dokku 0.24.10: config:set FOO and SECRET_KEY, deploy, ps:stop: both still set", async () => {
    await ok(host.dokku("config:set", "--no-restart", app, "FOO=bar", "SECRET_KEY=s3cr3t"), "config:set");
    assert.equal(fileText(), marshal(new Map([["FOO", "bar"], ["SECRET_KEY", "s3cr3t"], ...createVars()])), "the host writes godotenv");
    if (host.is024) assert.equal(fileText(), 'FOO="bar"\nSECRET_KEY="s3cr3t"', "as 0.24.10");
    await ok(host.push(app, src), "git push");
    const git = await pushVars();
    assert.equal(fileText(), marshal(restored(new Map([["FOO", "bar"], ["SECRET_KEY", "s3cr3t"], ...createVars(), ...git]), true)));
    if (host.is024) assert.equal(fileText(), 'DOKKU_APP_RESTORE="1"\nFOO="bar"\nSECRET_KEY="s3cr3t"');
    await ok(host.dokku("ps:stop", app), "ps:stop");
    assert.equal(fileText(), marshal(restored(new Map([["FOO", "bar"], ["SECRET_KEY", "s3cr3t"], ...createVars(), ...git]), false)));
    const get = await host.dokku("config:get", app, "FOO");
    assert.deepEqual([get.code, get.stdout], [0, "bar\n"]);
  });

  test("a godotenv file written by config:set: deploy, ps:stop, ps:start, ps:restore, ps:set, install", async () => {
    const vars = { ...SPECIAL, ...randomVars(11, 40) };
    await ok(host.dokku("config:set", "--no-restart", app, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)), "config:set");
    const expected = new Map([...fileVars()]);
    for (const [k, v] of Object.entries(vars)) assert.equal(expected.get(k), v, `config:set stored ${k}`);
    assertFile(expected, "config:set");
    const mode = statSync(envPath()).mode & 0o7777;

    await ok(host.dokku("ps:start", app), "ps:start");
    assertFile(restored(expected, true), "ps:start");
    await redeploy("push 2");
    for (const [k, v] of await pushVars()) expected.set(k, v);
    assertFile(expected, "git push");
    await ok(host.dokku("ps:stop", app), "ps:stop");
    assertFile(restored(expected, false), "ps:stop");
    await ok(host.dokku("ps:restore", app), "ps:restore of a stopped app");
    assertFile(restored(expected, false), "ps:restore (stopped app: nothing to do)");
    await ok(host.dokku("ps:start", app), "ps:start");
    assertFile(restored(expected, true), "ps:start");
    await ok(host.dokku("ps:restore", app), "ps:restore");
    assertFile(restored(expected, true), "ps:restore");
    await ok(host.dokku("ps:set", app, "restart-policy", "unless-stopped"), "ps:set restart-policy");
    assertFile(expected, "ps:set restart-policy");
    await ok(host.dokku("ps:restart", app), "ps:restart");
    assertFile(expected, "ps:restart");
    await pluginInstall();
    assertFile(expected, "plugin:install");
    const st = statSync(envPath());
    assert.equal(st.mode & 0o7777, mode, "mode kept");
    assert.deepEqual([st.uid, st.gid], [dokkuUser().uid, dokkuUser().gid], "owned by dokku");
    // The host's own readers (config:get, config-export) see the same values.
    for (const key of ["DOLLAR", "BACKSLASHES", "UNICODE", "EMPTY"]) {
      const get = await host.dokku("config:get", app, key);
      assert.deepEqual([get.code, get.stdout], [0, `${vars[key]}\n`], `config:get ${key}`);
    }
  });

  test("an old `export KEY='value'` file: read as Dokku reads it, rewritten as Dokku writes it", async () => {
    // What older Dokku wrote: the value as typed between single quotes, no escaping
    // (no newline, no backslash: older Dokku could not store those this way).
    const old: Record<string, string> = {
      OLD_PLAIN: "value",
      OLD_SPACES: " a  b ",
      OLD_DOUBLE: 'say "hi"',
      OLD_SINGLE: "it's",
      OLD_DOLLAR: "$HOME $(id)",
      OLD_BANG: "wow!",
      OLD_TICK: "`id`",
      OLD_EQUALS: "a=b=",
      OLD_UNICODE: "日本語 😀",
      OLD_EMPTY: "",
      DOKKU_APP_RESTORE: "1",
    };
    // On 0.38 ps keeps the restore flag in its property and never writes ENV:
    // the old file stays as it is through every ps step.
    const kept = () => {
      assert.equal(readFileSync(envPath(), "utf8"), text, "ENV untouched");
      assert.equal(statSync(envPath()).ino, before.ino, "ENV not rewritten");
    };
    const text = Object.entries(old).map(([k, v]) => `export ${k}='${v}'\n`).join("");
    host.seedFile(envPath(), Buffer.from(text), 0o600);
    const before = statSync(envPath());
    const expected = new Map(Object.entries(old));
    assert.deepEqual(fileVars(), expected, "read as godotenv reads it");

    await ok(host.dokku("ps:start", app), "ps:start (already running)");
    // A deploy: on 0.31.5 a push would have the git plugin set GIT_REV, so ps:restart there.
    if (host.is024) await redeploy("push old");
    else await ok(host.dokku("ps:restart", app), "ps:restart");
    const same = statSync(envPath());
    assert.equal(same.ino, before.ino, "DOKKU_APP_RESTORE already 1: nothing written");
    assert.equal(readFileSync(envPath(), "utf8"), text);

    await ok(host.dokku("ps:stop", app), "ps:stop");
    if (restoreInEnv()) assertFile(restored(expected, false), "ps:stop rewrote the old file");
    else {
      restored(expected, false);
      kept();
    }
    const st = statSync(envPath());
    assert.equal(st.mode & 0o7777, 0o600, "the old file's mode is kept");
    assert.deepEqual([st.uid, st.gid], [dokkuUser().uid, dokkuUser().gid], "owned by dokku");
    await ok(host.dokku("ps:start", app), "ps:start");
    if (restoreInEnv()) assertFile(restored(expected, true), "ps:start");
    else {
      restored(expected, true);
      kept();
    }
    await pluginInstall();
    // Dokku 0.31.5's domains `install` (trigger-domains-install) sets NO_VHOST=1 on an app
    // without a VHOST file when no global vhost is set, as its post-create does; not ps.
    if (!host.is024) expected.set("NO_VHOST", "1");
    assertFile(expected, "plugin:install");
  });

  test("an old `export` file whose values span lines (older Dokku wrote newlines raw): every variable kept", async () => {
    // godotenv 1.2.0 cannot read this file (Dokku 0.24 would see no variable and its next
    // write would keep only DOKKU_APP_RESTORE); dokku-ps reads it statement by statement.
    const text = "export FIRST='a'\nexport MULTI='line1\nline2\n'\nexport QUOTED='it's \"x\"'\nexport DOKKU_APP_RESTORE='1'\n";
    host.seedFile(envPath(), text, 0o600);
    await ok(host.dokku("ps:stop", app), "ps:stop");
    if (!restoreInEnv()) {
      // 0.38: ps keeps the flag in its property and never reads or writes ENV.
      assert.equal(host.restoreFlag(app), false, "restore property false");
      assert.equal(readFileSync(envPath(), "utf8"), text, "ENV untouched");
      return;
    }
    const expected = new Map([
      ["FIRST", "a"],
      ["MULTI", "line1\nline2\n"],
      ["QUOTED", 'it\'s "x"'],
    ]);
    assertFile(restored(expected, false), "ps:stop rewrote it as godotenv, every value kept");
    await ok(host.dokku("ps:start", app), "ps:start");
    assertFile(restored(expected, true), "ps:start");
  });

  test("a file godotenv cannot read is never replaced (Dokku would keep only DOKKU_APP_RESTORE)", async () => {
    const text = "A=1\nexport MULTI='line1\nline2'\n";
    host.seedFile(envPath(), text, 0o600);
    const r = await host.dokku("ps:stop", app);
    if (!restoreInEnv()) {
      // 0.38: ps never reads or writes ENV; the restore flag is its property.
      assert.equal(r.code, 0, r.stderr);
      assert.equal(host.restoreFlag(app), false, "restore property false");
      assert.equal(readFileSync(envPath(), "utf8"), text, "untouched");
      host.seedFile(envPath(), "A=1\n", 0o600);
      await ok(host.dokku("ps:start", app), "ps:start");
      assert.equal(host.restoreFlag(app), true, "restore property true");
      return;
    }
    assert.notEqual(r.code, 0, "ps:stop reports it");
    assert.match(r.stderr, /Unable to update DOKKU_APP_RESTORE in \S+\/ENV: the file cannot be read as Dokku reads it \(line 3: Can't separate key from value\); left unchanged/);
    assert.equal(readFileSync(envPath(), "utf8"), text, "untouched");
    host.seedFile(envPath(), 'DOKKU_APP_RESTORE="0"', 0o600);
    await ok(host.dokku("ps:start", app), "ps:start");
  });
});
