/**
 * ps:inspect on the test host: Dokku's env masking, and no config value
 * (50 random secrets, also placed in a label, the CMD and a DOKKU_* var)
 * anywhere in stdout or stderr. Output is Python's json.dumps layout.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { BASE_IMAGE, Host, dockerfileApp, workTree } from "./harness.ts";
import { pythonJsonDumps } from "../../src/core/inspect-sanitize.ts";

let host: Host;
let app: string;
const secrets: string[] = [];
const pairs: string[] = [];

before(async () => {
  host = await Host.create();
  app = await host.createApp("insp");
  for (let i = 0; i < 50; i++) {
    // Mixed shapes: hex, base64-ish with +/=, one with quotes/backslash, one non-ASCII.
    let value = i % 3 === 0 ? randomBytes(12).toString("base64") : randomBytes(10 + (i % 7)).toString("hex");
    if (i === 7) value = `q'u"o\\te-${randomBytes(4).toString("hex")}`;
    if (i === 8) value = `pässwörd-${randomBytes(4).toString("hex")}`;
    secrets.push(value);
    pairs.push(`SECRET_${i}=${value}`);
  }
  const [cmdSecret, labelSecret, dokkuSecret] = [secrets[0]!, secrets[1]!, secrets[2]!];
  // A DOKKU_* variable is kept by Dokku's rule, but its value is a secret too.
  pairs.push(`DOKKU_SOME_TOKEN=${dokkuSecret}`);
  const set = await host.dokku("config:set", "--no-restart", app, ...pairs);
  assert.equal(set.code, 0, set.stderr);
  const opt = await host.dokku("docker-options:add", app, "deploy", `--label=x=${labelSecret}`);
  assert.equal(opt.code, 0, opt.stderr);
  const dockerfile = `FROM ${BASE_IMAGE}\nENV FROM_IMAGE=plain\nCMD ["sh", "-c", "sleep 86400", "${cmdSecret}"]\n`;
  const push = await host.push(app, await workTree(dockerfileApp({}, dockerfile)));
  assert.equal(push.code, 0, push.stderr);
});
after(async () => {
  await host?.destroy();
});

/** Every form a leaked value could take in JSON text. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [...new Set([secret, json, ascii])];
}

describe("ps:inspect", () => {
  test("the raw engine data does hold the secrets (the test is meaningful)", async () => {
    const ids = (await execa("docker", ["ps", "-q", "--no-trunc", "--filter", `label=com.dokku.app-name=${app}`])).stdout.split("\n");
    const raw = (await execa("docker", ["inspect", ...ids])).stdout;
    for (const s of [secrets[0]!, secrets[1]!, secrets[2]!]) assert.ok(forms(s).some((f) => raw.includes(f)), s);
  });

  test("no secret anywhere in stdout or stderr", async () => {
    const r = await host.dokku("ps:inspect", app);
    assert.equal(r.code, 0, r.stderr);
    for (const s of secrets) {
      for (const f of forms(s)) {
        assert.ok(!r.stdout.includes(f), `secret leaked in stdout: ${f}`);
        assert.ok(!r.stderr.includes(f), `secret leaked in stderr: ${f}`);
      }
    }
  });

  test("masking follows Dokku's rule and reaches labels, Cmd and kept DOKKU_* entries", async () => {
    const r = await host.dokku("ps:inspect", app);
    const data = JSON.parse(r.stdout) as any[];
    assert.equal(data.length, 1);
    const c = data[0];
    const env: string[] = c.Config.Env;
    for (let i = 0; i < 50; i++) assert.ok(env.includes(`SECRET_${i}=XXXXXX`), `SECRET_${i}`);
    assert.ok(env.includes("DOKKU_SOME_TOKEN=XXXXXX"));
    assert.ok(env.includes("FROM_IMAGE=XXXXXX"), "non-kept image env masked by Dokku's rule");
    assert.ok(env.includes("DYNO=web.1"));
    assert.ok(env.some((e) => e.startsWith("PATH=/")), "PATH kept");
    assert.equal(c.Config.Labels.x, "XXXXXX");
    assert.equal(c.Config.Labels["com.dokku.app-name"], app);
    assert.deepEqual(c.Config.Cmd, ["sh", "-c", "sleep 86400", "XXXXXX"]);
    assert.deepEqual(c.Args.slice(-1), ["XXXXXX"]);
    assert.equal(c.State.Running, true);
  });

  test("layout is json.dumps(sort_keys=True, indent=4)", async () => {
    const r = await host.dokku("ps:inspect", app);
    assert.equal(r.stdout, `${pythonJsonDumps(JSON.parse(r.stdout))}\n`);
    assert.match(r.stdout, /^\[\n    \{\n        "AppArmorProfile": /);
    const python = await execa("python3", ["-c", "import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True, indent=4))"], {
      input: r.stdout,
      reject: false,
    });
    // Byte-equal to CPython where it is installed (not required on CI).
    if (python.exitCode === 0) assert.equal(`${python.stdout}\n`, r.stdout);
  });

  test("errors: missing app exits 20; an undeployed app passes docker's error on, non-zero", async () => {
    const missing = await host.dokku("ps:inspect", "nope-app");
    assert.equal(missing.code, 20);
    assert.equal(missing.stderr, " !     App nope-app does not exist\n");
    const idle = await host.createApp("insp-idle");
    const r = await host.dokku("ps:inspect", idle);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /requires at least 1 argument/);
  });
});
