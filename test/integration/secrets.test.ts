/**
 * Issue 6: nothing ps prints (inspect, report, scale, set, errors, and the
 * DOKKU_TRACE debug output) contains a config value of the app. One pushed
 * app with 1000 random secrets (6–40 characters: quotes, spaces, shell
 * metacharacters, non-ASCII), redeployed so every container carries them;
 * then every command's stdout and stderr is searched for every secret, raw
 * and in its JSON-escaped forms.
 *
 * Each command runs twice: through `dokku` (what an operator sees), and with
 * DOKKU_TRACE=1. Under DOKKU_TRACE the host's own bash (bin/dokku, plugn,
 * the config plugin) runs with `set -x` and prints its command lines and
 * variables itself, which is not ps's output; so the traced runs invoke the
 * plugin's subcommand executable directly
 * (`$DOKKU_LIB_ROOT/plugins/enabled/ps/subcommands/<name> ps:<name> …`, as
 * plugn would), where every byte of stderr is written by ps — its debug
 * lines, its error lines, and the stderr of triggers it captures
 * (scheduler-inspect's, which ps masks). Triggers ps runs with inherited
 * stdio are not fired by these commands.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host, PROCFILE_WEB_WORKER, REPO, dockerfileApp, workTree, type RunResult } from "./harness.ts";
import { parseEnvFile, serializeEnvFile, toByteString } from "../../src/core/env-file.ts";

const COUNT = 1000;
const BATCH = 100;
// Quotes, spaces, shell metacharacters, backslash, non-ASCII (2-, 3- and 4-byte UTF-8).
const ALPHABET = [
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  ..." '\"`$\\!#%&()*+,-./:;<>?@[]^_{|}~",
  ..."éüßñøçλΩж日本語中文한",
  "🙂",
  "🔑",
];

/** A random value of 6–40 characters that cannot occur in ps's output by chance. */
function secret(): string {
  const length = randomInt(6, 41);
  let value = "";
  while ([...value].length < length) value += ALPHABET[randomInt(ALPHABET.length)];
  // Two capitals (outside [0-9a-f]) at the end keep it from matching a container id or digest.
  // Cut by code points: a UTF-16 cut can split an emoji into a lone surrogate, which no
  // process argument can carry (it arrives as U+FFFD and the value is not found).
  const result = `${[...value].slice(0, Math.max(length, 8) - 2).join("")}${ALPHABET[randomInt(26)]}${ALPHABET[randomInt(26)]}`;
  // About 1 value in 400 (some with several `#`) is not read back unchanged by godotenv 1.2.0,
  // so Dokku 0.24.10 itself would give the container another value: draw again.
  return readsBack(result) ? result : secret();
}

function readsBack(value: string): boolean {
  const bytes = toByteString(value);
  return parseEnvFile(serializeEnvFile(new Map([["S", bytes]]))).get("S") === bytes;
}

let host: Host;
let app: string;
const secrets: string[] = [];

before(async () => {
  host = await Host.create();
  app = await host.createApp("secrets");
  const seen = new Set<string>();
  while (secrets.length < COUNT) {
    const value = secret();
    // Unique, not a substring of another, not ps's mask, and with a couple of fixed shapes mixed in.
    // Not starting with "-": typed as an argument, that is a flag by the CLI's grammar (and
    // Dokku's "unknown shorthand flag" error names it), not a mistyped value.
    if (seen.has(value) || value.includes("XXXXXX") || value.startsWith("-")) continue;
    seen.add(value);
    secrets.push(value);
  }
  secrets[0] = `it's a "quoted" value ${randomBytes(4).toString("hex")}`;
  secrets[1] = ` leading and trailing spaces ${randomBytes(3).toString("hex")} `;
  secrets[2] = `pässwörd-日本-🙂-${randomBytes(3).toString("hex")}`;
  secrets[3] = `$(reboot)\`id\`;${randomBytes(3).toString("hex")}`;
  for (let i = 0; i < COUNT; i += BATCH) {
    const pairs = secrets.slice(i, i + BATCH).map((value, j) => `SECRET_${String(i + j).padStart(4, "0")}=${value}`);
    const set = await host.dokku("config:set", "--no-restart", app, ...pairs);
    assert.equal(set.code, 0, set.stderr);
  }
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
  assert.equal(push.code, 0, push.stderr);
  const scale = await host.dokku("ps:scale", "--skip-deploy", app, "worker=1");
  assert.equal(scale.code, 0, scale.stderr);
  // Redeploy: the running containers now carry every secret in their env.
  const restart = await host.dokku("ps:restart", app);
  assert.equal(restart.code, 0, restart.stderr);
  // Variables ps itself reads for ps:report, holding secrets too (set after the deploy: the host's
  // scheduler would pass the stop timeout to docker). The report shows only what it derives from them.
  const own = [`stop-timeout ${randomBytes(4).toString("hex")}`, `restore ${randomBytes(4).toString("hex")}`];
  const setOwn = await host.dokku("config:set", "--no-restart", app, `DOKKU_DOCKER_STOP_TIMEOUT=${own[0]}`, `DOKKU_APP_RESTORE=${own[1]}`);
  assert.equal(setOwn.code, 0, setOwn.stderr);
  secrets.push(...own);
});
after(async () => {
  await host?.destroy();
});

/** Every form a leaked value could take: raw, JSON-escaped, JSON with \u escapes. */
function forms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const ascii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [...new Set([value, json, ascii])];
}

function assertNoSecret(what: string, r: RunResult): void {
  const leaks: string[] = [];
  for (const value of secrets) {
    for (const form of forms(value)) {
      if (r.stdout.includes(form)) leaks.push(`stdout: ${JSON.stringify(form)}`);
      if (r.stderr.includes(form)) leaks.push(`stderr: ${JSON.stringify(form)}`);
    }
  }
  assert.deepEqual(leaks, [], `${what} leaked config values`);
}

let exported: Record<string, string> | undefined;

/** The environment bin/dokku exports to plugin executables (host/lib/dokku-env.bash), captured once. */
async function pluginEnv(): Promise<Record<string, string>> {
  if (exported) return exported;
  // A fixed script; the file is passed as a positional argument.
  const r = await execa("bash", ["-c", 'source "$1" && env -0', "_", join(REPO, "host", "lib", "dokku-env.bash")], { env: host.env() });
  exported = {};
  for (const entry of r.stdout.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) exported[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return exported;
}

/** `ps:<name> args…` through the plugin's subcommand executable, as plugn runs it, with DOKKU_TRACE=1. */
async function tracedSubcommand(name: string, ...args: string[]): Promise<RunResult> {
  const file = join(host.lib, "plugins", "enabled", "ps", "subcommands", name);
  const r = await execa(file, [`ps:${name}`, ...args], {
    env: { ...(await pluginEnv()), DOKKU_TRACE: "1" },
    reject: false,
    stdin: "ignore",
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

interface Check {
  name: string;
  args: string[];
  ok: boolean;
  /** Something the run must show, so a silent failure cannot pass. */
  expect: RegExp;
}

const checks = (): Check[] => [
  { name: "inspect", args: [app], ok: true, expect: /"SECRET_0000=XXXXXX"/ },
  // 0.38.9+: `Ps restart policy` is the app's own (none), the effective one computed (real-dokku-0.38.27/README.md).
  { name: "report", args: [app], ok: true, expect: host.contract.restartPolicyStore === "property" ? /Ps computed restart policy:\s+on-failure:10/ : /Ps restart policy:\s+on-failure:10/ },
  { name: "report", args: [app, "--format", "json"], ok: true, expect: /"processes":"2"|"processes": "2"/ },
  { name: "report", args: [], ok: true, expect: new RegExp(`${app} ps information`) },
  { name: "scale", args: [app], ok: true, expect: /web:\s+1/ },
  { name: "scale", args: [app, "--format", "json"], ok: true, expect: /web/ },
  // Invalid values, one of them a secret typed by mistake: refused without echoing it.
  { name: "set", args: [app, "restart-policy", "sometimes"], ok: false, expect: /Invalid restart-policy specified/ },
  { name: "set", args: [app, "restart-policy", secrets[5] as string], ok: false, expect: /Invalid restart-policy specified/ },
  // 0.31.5's ps:set has no stop-timeout-seconds: refused as an unknown property, value not echoed either.
  { name: "set", args: [app, "stop-timeout-seconds", secrets[6] as string], ok: false, expect: host.contract.setProperties.includes("stop-timeout-seconds") ? /Invalid stop-timeout-seconds/ : /Invalid property specified/ },
  { name: "set", args: [app, secrets[7] as string, "x"], ok: false, expect: /Invalid property specified/ },
  // Error paths.
  // A secret typed as a count: refused before anything echoes the tuples, on every version (core ps
  // 0.31.5 prints `-----> Scaling <app> processes: <tuples>` first; dokku-ps checks them first).
  { name: "scale", args: [app, `web=${secrets[8]}`], ok: false, expect: /Invalid count for process type web/ },
  { name: "scale", args: [app, "web=1", "worker"], ok: false, expect: /Missing count/ },
  // 0.31.5's ps:restart <app> <type> deploys that type, known or not (core ps 0.31.5's Restart): no error there.
  host.contract.restartBy === "release-and-deploy"
    ? { name: "restart", args: [app, "nosuchtype"], ok: false, expect: /not part of the formation/ }
    : { name: "restart", args: ["--all", app, "nosuchtype"], ok: false, expect: /Unable to restart all apps when specifying a process name/ },
  { name: "inspect", args: ["no-such-app"], ok: false, expect: /App no-such-app does not exist/ },
  { name: "report", args: [app, "--no-such-flag"], ok: false, expect: /Invalid flag passed/ },
];

describe(`${COUNT} secrets: no config value in anything ps prints`, () => {
  test("the secrets are really in the app's containers (the test is meaningful)", async () => {
    const ids = (await execa("docker", ["ps", "-q", "--no-trunc", "--filter", `label=com.dokku.app-name=${app}`])).stdout.split("\n");
    assert.equal(ids.length, 2);
    const raw = (await execa("docker", ["inspect", ...ids])).stdout;
    const env = (JSON.parse(raw) as Array<{ Config: { Env: string[] } }>)[0]!.Config.Env;
    for (let i = 0; i < COUNT; i += 97) assert.ok(env.includes(`SECRET_${String(i).padStart(4, "0")}=${secrets[i]}`), `secret ${i}`);
  });

  test("the leak check finds a leaked value in any of its forms", async () => {
    const value = secrets[2] as string;
    assert.throws(() => assertNoSecret("raw", { code: 0, stdout: `x${value}x`, stderr: "" }));
    assert.throws(() => assertNoSecret("json", { code: 0, stdout: JSON.stringify({ v: value }), stderr: "" }));
    assert.throws(() => assertNoSecret("ascii json", { code: 0, stdout: "", stderr: forms(value).at(-1) as string }));
    assert.throws(() => assertNoSecret("quoted", { code: 0, stdout: "", stderr: JSON.stringify(secrets[0]) }));
    const env = await host.dokku("config:export", app);
    assert.throws(() => assertNoSecret("config:export", env));
  });

  test("through dokku", async () => {
    for (const c of checks()) {
      const r = await host.dokku(`ps:${c.name}`, ...c.args);
      const what = `dokku ps:${c.name} ${c.args.join(" ")}`;
      if (c.ok) assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      else assert.notEqual(r.code, 0, `${what}: exit code`);
      assert.match(c.ok ? r.stdout : r.stderr, c.expect, what);
      assertNoSecret(what, r);
    }
  });

  test("with DOKKU_TRACE=1 (the plugin's own executables: the host's set -x output is not ps's)", async () => {
    for (const c of checks()) {
      const r = await tracedSubcommand(c.name, ...c.args);
      const what = `DOKKU_TRACE=1 ps:${c.name} ${c.args.join(" ")}`;
      if (c.ok) assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      else assert.notEqual(r.code, 0, `${what}: exit code`);
      assert.match(c.ok ? r.stdout : r.stderr, c.expect, what);
      assertNoSecret(what, r);
    }
  });

  test("ps:inspect through dokku with DOKKU_TRACE=1: scheduler-inspect's traced stderr is masked too", async () => {
    const r = await host.dokkuWith({ DOKKU_TRACE: "1" }, "ps:inspect", app);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"SECRET_0000=XXXXXX"/);
    assertNoSecret("dokku --trace ps:inspect", r);
  });

  test("ps:inspect masks a scheduler-inspect stderr that prints every config value", async () => {
    // A third-party plugin whose scheduler-inspect hook dumps the app's env on stderr.
    const plugin = join(host.lib, "plugins", "available", "zz-leaky");
    mkdirSync(plugin, { recursive: true });
    writeFileSync(join(plugin, "plugin.toml"), '[plugin]\ndescription = "test"\nversion = "0.0.1"\n[plugin.config]\n');
    const hook = join(plugin, "scheduler-inspect");
    // Through the config plugin's export (`export KEY='value'` lines): ENV itself is godotenv, not shell.
    writeFileSync(hook, '#!/usr/bin/env bash\n( eval "$("$PLUGIN_CORE_AVAILABLE_PATH/config/config-export" "$2")"; env ) >&2\n');
    chmodSync(hook, 0o755);
    const enabled = join(host.lib, "plugins", "enabled", "zz-leaky");
    symlinkSync(plugin, enabled);
    try {
      for (const r of [await host.dokku("ps:inspect", app), await tracedSubcommand("inspect", app)]) {
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /SECRET_0000=XXXXXX/, "the hook did print the env (masked)");
        assertNoSecret("ps:inspect with a leaky scheduler-inspect hook", r);
      }
    } finally {
      rmSync(enabled, { force: true });
      rmSync(plugin, { recursive: true, force: true });
    }
  });
});
