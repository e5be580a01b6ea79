/**
 * Speed guard (issues 3 and 5): a trigger or subcommand that needs no
 * Docker must not load dockerode. Runs the installed executables with a
 * loader hook that records every module they load.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DOKKU, Host, REPO } from "./harness.ts";
import { tempDir } from "../temp.ts";

let host: Host;
let app: string;
let dockerodeChunk: string;

before(async () => {
  host = await Host.create();
  app = await host.createApp("lazy");
  const chunks = join(host.lib, "plugins", "enabled", "ps", "dist", "vendor");
  const found = readdirSync(chunks).filter((f) => readFileSync(join(chunks, f), "utf8").includes("docker-modem"));
  assert.equal(found.length, 1, "exactly one file bundles dockerode");
  assert.deepEqual(readdirSync(chunks).filter((f) => !f.endsWith(".cjs")), [], "every bundle is CommonJS (the recorder sees require())");
  dockerodeChunk = found[0] as string;
});
after(async () => {
  await host?.destroy();
});

async function modulesLoadedBy(cmd: string, args: string[], mustSucceed = true): Promise<string[]> {
  const recordDir = tempDir("dokku-ps-mods-");
  chmodSync(recordDir, 0o777); // subcommands run as the dokku user and write the record there
  const record = join(recordDir, "modules.txt");
  const hook = join(REPO, "test", "fixtures", "record-modules.cjs");
  const r = await execa(cmd, args, {
    env: host.env({ NODE_OPTIONS: `--require=${hook}`, DOKKU_PS_RECORD_MODULES: record }),
    reject: false,
    stdin: "ignore", // plugn, which ps may fire, cannot run with a socket as stdin
  });
  if (mustSucceed) assert.equal(r.exitCode, 0, `${args.join(" ")}: ${r.stderr}`);
  return existsSync(record) ? readFileSync(record, "utf8").split("\n").filter(Boolean) : [];
}

/** A pushed tree the fast path has not seen: the entry validates it. */
function sourceWithProcfile(): string {
  const dir = tempDir("src-");
  writeFileSync(join(dir, "Procfile"), "web: sleep 1\n");
  return dir;
}

const trigger = (name: string) => join(host.lib, "plugins", "enabled", "ps", name);

test("no-Docker triggers and subcommands never load the dockerode chunk", async () => {
  const cases: Array<[string, string[]]> = [
    [trigger("ps-current-scale"), [app]],
    [trigger("post-create"), [app]],
    [trigger("docker-args-process-deploy"), [app, "dockerfile", "latest", "web", "1"]],
    [trigger("core-post-deploy"), [app, "5000", "", "latest"]],
    [trigger("post-stop"), [app]],
    [trigger("pre-start"), [app]],
    [trigger("install"), []],
    [trigger("core-post-extract"), [app, sourceWithProcfile(), "abc"]],
    // 0.36+: the scheduler's per-container ask (stop timeout, 0.38 restart policy).
    [trigger("ps-get-property"), [app, "stop-timeout-seconds"]],
    [DOKKU, ["ps:set", app, "restart-policy", "always"]],
    [DOKKU, ["ps:scale", app]],
    [DOKKU, ["ps:report", app, "--ps-restart-policy"]],
  ];
  // The triggers this Dokku's ps answers (0.31.5: no docker-args-process-deploy nor pre-start; ps-get-property 0.36+).
  const answered = cases.filter(([cmd]) => cmd === DOKKU || host.contract.triggers.includes(cmd.split("/").at(-1) as string));
  assert.ok(answered.length >= 8);
  for (const [cmd, args] of answered) {
    // A trigger the shell answers on this Dokku (0.31.5: ps-current-scale, core-post-deploy):
    // its entry, run as the shim hands over to it.
    const name = cmd.split("/").at(-1) as string;
    const entry = join(host.lib, "plugins", "enabled", "ps", "dist", "ps.cjs");
    const loaded =
      cmd !== DOKKU && host.contract.fastPathTriggers.includes(name)
        ? await modulesLoadedBy(process.execPath, [entry, "trigger", name, ...args])
        : await modulesLoadedBy(cmd, args);
    assert.ok(loaded.some((u) => u.endsWith("/dist/ps.cjs")), `${args[0]}: the hook saw the entry`);
    assert.ok(!loaded.some((u) => u.includes(dockerodeChunk)), `${cmd} ${args.join(" ")} loaded dockerode`);
  }
});

/**
 * Something that needs the engine: 0.24's procfile-get-command without a
 * Procfile copy looks into the (missing) image; 0.30+'s reads only the copy
 * core-post-extract made, so there ps:start (Dokku's Start asks the engine
 * for the running image tag first, deployed or not).
 */
const needsDocker = (): [string, string[]] => (host.is024 ? [trigger("procfile-get-command"), [app, "web", "5000"]] : [DOKKU, ["ps:start", app]]);

test("a trigger that needs Docker does load it (the guard can fail)", async () => {
  const loaded = await modulesLoadedBy(...needsDocker(), false);
  assert.ok(loaded.some((u) => u.includes(dockerodeChunk)));
});

test("https (tls, crypto) is loaded only for an engine reached over TLS", async () => {
  // The local socket: dockerode, but not https.
  const local = await modulesLoadedBy(...needsDocker(), false);
  assert.ok(local.some((u) => u.includes(dockerodeChunk)));
  assert.ok(!local.some((u) => u === "https" || u === "node:https"), "https loaded for the local socket");
  // Over TLS the stand-in hands over to the real module: the request is made (and refused).
  const bundle = join(host.lib, "plugins", "enabled", "ps", "dist", "vendor", dockerodeChunk);
  const script = `const D = require(${JSON.stringify(bundle)}); const Docker = D.default ?? D;
    const https = () => process.moduleLoadList.includes("NativeModule https");
    const before = https();
    new Docker({ protocol: "https", host: "127.0.0.1", port: 1 }).ping().then(() => console.log("answered"), (e) => console.log(before, e.code, https()));`;
  const r = await execa(process.execPath, ["-e", script]);
  assert.equal(String(r.stdout).trim(), "false ECONNREFUSED true");
});
