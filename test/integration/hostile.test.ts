/**
 * Hostile input corpus (issue 6): every case must exit non-zero with a clear
 * one-line message and leave the host's state byte-for-byte unchanged.
 * Cases run through the installed plugin, as Dokku would run it: through
 * `dokku` for commands, and the installed trigger executables for files a
 * push brings in (the same validation pre-deploy applies to the image).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { Host } from "./harness.ts";
import { treeHash } from "./state.ts";
import { tempDir } from "../temp.ts";

let host: Host;
let app: string;
let state: () => string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("hostile");
  // Warm every lazily written value (deployed cache, formation normalisation)
  // so that the cases below start from a settled state.
  await host.dokku("ps:scale", app);
  await host.dokku("ps:scale", "--skip-deploy", app, "web=1");
  state = () => treeHash(host.home, join(host.lib, "config"), join(host.lib, "data"));
});
after(async () => {
  await host?.destroy();
});

interface Case {
  name: string;
  run: () => Promise<{ code: number; stdout: string; stderr: string }>;
  message: RegExp;
  exit?: number;
}

async function expectRefused(c: Case): Promise<void> {
  const before = state();
  const r = await c.run();
  assert.notEqual(r.code, 0, `${c.name}: exit code`);
  if (c.exit !== undefined) assert.equal(r.code, c.exit, `${c.name}: exit ${c.exit}`);
  const lines = r.stderr.trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  assert.match(last, /^ !     \S/, `${c.name}: Dokku-style error line, got ${JSON.stringify(r.stderr)}`);
  assert.match(last, c.message, `${c.name}: message`);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, `${c.name}: no stack trace`);
  assert.equal(state(), before, `${c.name}: state unchanged`);
}

/**
 * A file ps does not read at extract on this Dokku: 0.30+ ignores a
 * DOKKU_SCALE in the source (real-dokku-0.31.5/README.md: silently), and its
 * app.json is app-json's to read (the formation reaches ps through
 * ps-set-scale). Such a file must pass untouched: exit 0, nothing printed,
 * the formation as it was.
 */
async function expectIgnored(c: Case): Promise<void> {
  const formation = () => readFileSync(host.formationFile(app), "utf8");
  const before = formation();
  const r = await c.run();
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, "", ""], `${c.name}: ignored`);
  assert.equal(formation(), before, `${c.name}: formation unchanged`);
}

/** 0.24's words for a bad Procfile line, as this Dokku says them (0.31.5: procfile-util's, core-ps-0.31.5.log). */
function procfileMessage(message: RegExp): RegExp {
  if (host.is024) return message;
  return new RegExp(message.source.replace(/^Invalid Procfile: line (\d+)$/, "invalid line in procfile, line $1"));
}

/**
 * Runs cases a few at a time: each one is a separate process tree. Cases
 * that take the app's deploy lock run one at a time (`workers: 1`), or they
 * would refuse each other with the lock message instead of their own.
 */
async function runAll(cases: Case[], workers = 4, expect: (c: Case) => Promise<void> = expectRefused): Promise<void> {
  const queue = [...cases];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        try {
          await expect(c);
        } catch (error) {
          failures.push(`${c.name}: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    }),
  );
  assert.deepEqual(failures, []);
}

/** Fires an installed trigger executable directly, with a pushed source dir. */
function pushedFiles(files: Record<string, string | { symlink: string } | { dir: true }>): Case["run"] {
  return async () => {
    const dir = tempDir("dokku-ps-hostile-");
    try {
      for (const [name, content] of Object.entries(files)) {
        const path = join(dir, name);
        if (typeof content === "string") writeFileSync(path, content);
        else if ("symlink" in content) symlinkSync(content.symlink, path);
        else mkdirSync(path);
      }
      const trigger = join(host.lib, "plugins", "enabled", "ps", "core-post-extract");
      const r = await execa(trigger, [app, dir, "deadbeef"], { env: host.env(), reject: false, stripFinalNewline: false });
      return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const scaleFileCases: Array<[string, RegExp]> = [
  ["web=-1\n", /count for web must be an integer/],
  ["web=1e9\n", /count for web/],
  ["web=1000000000\n", /count for web/],
  ["web=101\n", /count for web/],
  ["web=1.5\n", /count for web/],
  ["web=0x10\n", /count for web/],
  ["web=+1\n", /count for web/],
  ["web=01\n", /count for web/],
  ["web=\n", /count for web/],
  ["web= \n", /count for web/],
  ["web=1 2\n", /count for web/],
  ["web==1\n", /count for web/],
  ["web=1=2\n", /count for web/],
  ["web=1;rm -rf /\n", /count for web/],
  ["web=$(reboot)\n", /count for web/],
  ["web=`id`\n", /count for web/],
  ["web=1|sh\n", /count for web/],
  ["web=１\n", /count for web/],
  ["web=99999999999999999999\n", /count for web/],
  ["web=NaN\n", /count for web/],
  ["web=Infinity\n", /count for web/],
  ["web=true\n", /count for web/],
  ["../x=1\n", /invalid process type/],
  ["/etc/passwd=1\n", /invalid process type/],
  ["a/b=1\n", /invalid process type/],
  ["..=1\n", /invalid process type/],
  [".=1\n", /invalid process type/],
  ["=1\n", /invalid process type/],
  ["web worker=1\n", /invalid process type/],
  ["web;rm=1\n", /invalid process type/],
  ["$(id)=1\n", /invalid process type/],
  ["`id`=1\n", /invalid process type/],
  ["wéb=1\n", /invalid process type/],
  ["веб=1\n", /invalid process type/],
  ["web\u202e=1\n", /invalid process type/],
  ["web\u0000=1\n", /NUL/],
  ["web=1\u0000\n", /NUL/],
  ["\u0000\n", /NUL/],
  [`${"w".repeat(64)}=1\n`, /invalid process type/],
  ["web.1=1\n", /invalid process type/],
  ["web:1=1\n", /invalid process type/],
  ["web\tx=1\n", /invalid process type/],
  ["web\n", /expected <process-type>=<count>/],
  ["web 1\n", /expected <process-type>=<count>/],
  ["web: 1\n", /expected <process-type>=<count>/],
  ["web=1\nworker\n", /line 2: expected/],
  ["web=1\nweb=2\n", /listed twice/],
  ["web=1\nworker=1\nweb=1\n", /listed twice/],
  ["", /no process types/],
  ["\n\n\n", /no process types/],
  ["# only a comment\n", /no process types/],
  ["web=1\n".repeat(200_000), /larger than 65536 bytes/],
  [`web=1\n${"#".repeat(70_000)}\n`, /larger than 65536 bytes/],
  ["web=1\r\nworker=x\r\n", /count for worker/],
  ["web=1\rworker=2\n", /count for web/],
  ["web=٣\n", /count for web/],
  ["web=1e1\n", /count for web/],
  ["web=-0\n", /count for web/],
  ["web=0.0\n", /count for web/],
];

const procfileCases: Array<[string, RegExp]> = [
  ["web\n", /Invalid Procfile: line 1/],
  [": sleep 1\n", /Invalid Procfile: line 1/],
  ["web:\n", /Invalid Procfile: line 1/],
  ["we b: sleep 1\n", /Invalid Procfile: line 1/],
  ["../x: sleep 1\n", /Invalid Procfile: line 1/],
  ["web.1: sleep 1\n", /Invalid Procfile: line 1/],
  ["wéb: sleep 1\n", /Invalid Procfile: line 1/],
  ["$(id): sleep 1\n", /Invalid Procfile: line 1/],
  ["web: sleep 1\nweb: sleep 2\n", /defined more than once/],
  ["web: sleep 1\nworker sleep 2\n", /line 2/],
  [`${"w".repeat(64)}: sleep 1\n`, /longer than 63/],
  ["web: sleep 1\n".repeat(10_000), /larger than 65536 bytes/],
  ["web: sleep 1\n\u0000\n", /Invalid Procfile: line 2/],
  ["web;rm -rf /: x\n", /Invalid Procfile: line 1/],
  ["web=1\n", /Invalid Procfile: line 1/],
];

const appJsonCases: Array<[string, RegExp]> = [
  ["{", /not valid JSON/],
  ["[]", /not a JSON object/],
  ["null", /not a JSON object/],
  ['"x"', /not a JSON object/],
  ['{"formation": []}', /formation must be an object/],
  ['{"formation": "web=1"}', /formation must be an object/],
  ['{"formation": {"web": {"quantity": -1}}}', /quantity for web/],
  ['{"formation": {"web": {"quantity": "1"}}}', /quantity for web/],
  ['{"formation": {"web": {"quantity": 1.5}}}', /quantity for web/],
  ['{"formation": {"web": {"quantity": 1e9}}}', /quantity for web/],
  ['{"formation": {"web": {"quantity": null}}}', /quantity for web/],
  ['{"formation": {"../x": {"quantity": 1}}}', /invalid process type/],
  ['{"formation": {"web;rm": {"quantity": 1}}}', /invalid process type/],
  ['{"formation": {"": {"quantity": 1}}}', /invalid process type/],
  [`{"formation": {"web": {"quantity": 1}}, "pad": "${"x".repeat(70_000)}"}`, /larger than 65536 bytes/],
];

// 0.24 reads DOKKU_SCALE and app.json at extract and refuses them; 0.31.5 ignores both there (expectIgnored).
describe("hostile files in a push are refused before the build (0.31.5: DOKKU_SCALE and app.json ignored)", () => {
  const readsFormationFiles = () => host.is024;
  test(`DOKKU_SCALE: ${scaleFileCases.length} cases`, async () => {
    const cases = scaleFileCases.map(([text, message], i) => ({ name: `DOKKU_SCALE #${i} ${JSON.stringify(text.slice(0, 30))}`, run: pushedFiles({ DOKKU_SCALE: text }), message }));
    await runAll(cases, 4, readsFormationFiles() ? expectRefused : expectIgnored);
  });
  test(`Procfile: ${procfileCases.length} cases`, async () => {
    await runAll(procfileCases.map(([text, message], i) => ({ name: `Procfile #${i} ${JSON.stringify(text.slice(0, 30))}`, run: pushedFiles({ Procfile: text }), message: procfileMessage(message) })));
  });
  test(`app.json: ${appJsonCases.length} cases`, async () => {
    const cases = appJsonCases.map(([text, message], i) => ({ name: `app.json #${i} ${JSON.stringify(text.slice(0, 30))}`, run: pushedFiles({ "app.json": text }), message }));
    await runAll(cases, 4, readsFormationFiles() ? expectRefused : expectIgnored);
  });
  test("symlinks, directories and devices instead of files", async () => {
    const formationFiles = [
      { name: "DOKKU_SCALE symlink", run: pushedFiles({ DOKKU_SCALE: { symlink: "/etc/passwd" } }), message: /DOKKU_SCALE must be a regular file/ },
      { name: "DOKKU_SCALE dangling symlink", run: pushedFiles({ DOKKU_SCALE: { symlink: "/nonexistent" } }), message: /DOKKU_SCALE must be a regular file/ },
      { name: "app.json symlink", run: pushedFiles({ "app.json": { symlink: "../../etc/passwd" } }), message: /app.json must be a regular file/ },
      { name: "DOKKU_SCALE directory", run: pushedFiles({ DOKKU_SCALE: { dir: true } }), message: /DOKKU_SCALE must be a regular file/ },
      { name: "DOKKU_SCALE device", run: pushedFiles({ DOKKU_SCALE: { symlink: "/dev/zero" } }), message: /DOKKU_SCALE must be a regular file/ },
    ];
    await runAll([
      { name: "Procfile symlink", run: pushedFiles({ Procfile: { symlink: "/etc/hostname" } }), message: /Procfile must be a regular file/ },
      { name: "Procfile directory", run: pushedFiles({ Procfile: { dir: true } }), message: /Procfile must be a regular file/ },
    ]);
    await runAll(formationFiles, 4, readsFormationFiles() ? expectRefused : expectIgnored);
  });
});

const badAppNames = [
  "Demo", "DEMO", "a:b", "-rf", "../etc", "..", ".", "a/b", "/etc", "a b", "a\nb", "a\tb", "$(id)", "`id`", "a;b", "a|b",
  "a&b", "a>b", "é", "a\\b", "a..b", "_a", ".hidden", "a\u0000b", "x".repeat(300), "nope-does-not-exist", "ghost", "a*", "[a]",
];

describe("hostile command-line input is refused without writing", () => {
  test(`app names: ${badAppNames.length * 3} cases`, async () => {
    const cases: Case[] = [];
    for (const name of badAppNames) {
      if (name.includes("\u0000")) continue; // argv cannot carry NUL; covered by the file cases
      const exists = /^[a-z0-9][^/:_A-Z]*$/.test(name) && !/\s|\.\.|\\/.test(name) && name.length <= 200;
      // A name that starts with "-" is read as a flag, as pflag reads it: a usage error.
      const message = name.startsWith("-")
        ? /unknown (shorthand )?flag/
        : exists
          ? /App .* does not exist/
          : /App name must begin with lowercase alphanumeric character|Please specify an app|does not exist/;
      cases.push({ name: `ps:scale ${JSON.stringify(name)}`, run: () => host.dokku("ps:scale", name, "web=1"), message });
      cases.push({ name: `ps:set ${JSON.stringify(name)}`, run: () => host.dokku("ps:set", name, "restart-policy", "no"), message });
      cases.push({ name: `ps:report ${JSON.stringify(name)}`, run: () => host.dokku("ps:report", name), message });
    }
    assert.ok(cases.length >= 80);
    await runAll(cases);
  });

  test("process types and counts given to ps:scale", async () => {
    const tuples: Array<[string, RegExp]> = [
      ["../x=1", /Invalid process type/],
      ["web;rm=1", /Invalid process type/],
      ["$(id)=1", /Invalid process type/],
      ["a b=1", /Invalid process type/],
      ["wéb=1", /Invalid process type/],
      ["=1", /Invalid process type/],
      [`${"w".repeat(64)}=1`, /Invalid process type/],
      ["web.1=1", /Invalid process type/],
      ["web", /Missing count for process type web/],
      ["web=", /Invalid count for process type web/],
      ["web=-1", /Invalid count for process type web/],
      ["web=1e9", /Invalid count for process type web/],
      ["web=101", /Invalid count for process type web/],
      ["web=abc", /Invalid count for process type web/],
      ["web=1.5", /Invalid count for process type web/],
      ["web=0x1", /Invalid count for process type web/],
      ["web= 1", /Invalid count for process type web/],
      ["web=1;reboot", /Invalid count for process type web/],
    ];
    // 0.31.5 reads a count as core ps 0.31.5's parseProcessTuples does
    // (strconv.Atoi of what follows the first `=`, the rest dropped): `+1`
    // and `1=2` are 1 there (src/core/scale-property.ts), refused on 0.24.
    const atoiOnly = ["web=+1", "web=1=2"];
    if (host.is024) tuples.push(...atoiOnly.map((t): [string, RegExp] => [t, /Invalid count for process type web/]));
    await runAll(tuples.map(([t, message]) => ({ name: `ps:scale ${t}`, run: () => host.dokku("ps:scale", app, t), message })), 1);
    if (!host.is024) {
      for (const t of atoiOnly) {
        const r = await host.dokku("ps:scale", "--skip-deploy", app, t);
        assert.equal(r.code, 0, `${t}: ${r.stderr}`);
        assert.equal(readFileSync(host.formationFile(app), "utf8"), "web=1\n", `${t} is web=1`);
      }
    }
    // A bad tuple after a good one: nothing at all is written.
    await runAll([{ name: "ps:scale web=2 worker=x", run: () => host.dokku("ps:scale", app, "web=2", "worker=x"), message: /Invalid count for process type worker/ }], 1);
  });

  test("restart policies, property keys and --parallel values", async () => {
    const policies = ["", "sometimes", "ALWAYS", "no ", " no", "on-failure:", "on-failure:0", "on-failure:-1", "on-failure:x", "on-failure:1.5",
      "on-failure:9999999", "always;reboot", "$(reboot)", "unless-stopped\n", "on-failure:10 --privileged", "--privileged"];
    const cases: Case[] = policies.map((p) => ({
      name: `restart-policy ${JSON.stringify(p)}`,
      run: () => host.dokku("ps:set", app, "restart-policy", p),
      message: p.startsWith("-") ? /unknown flag/ : /Invalid restart-policy specified/,
    }));
    // An empty value clears the policy (Dokku's ps:set semantics), which is not an error: drop it.
    cases.shift();
    for (const key of ["../x", "RESTART-POLICY", "restart_policy", "restart-policy;x", "foo", "deployed", "--global"]) {
      cases.push({ name: `ps:set key ${key}`, run: () => host.dokku("ps:set", app, key, "no"), message: /Invalid property specified|Property cannot|No property/ });
    }
    for (const [value, exit] of [["-2", 1], ["-100", 1], ["abc", 2], ["1.5", 2], ["", 2], ["1e3", 2], ["99999999999999999999x", 2]] as const) {
      cases.push({ name: `--parallel ${value}`, run: () => host.dokku("ps:restart", "--all", "--parallel", value), message: /parallel/, exit });
    }
    await runAll(cases);
  });
});
