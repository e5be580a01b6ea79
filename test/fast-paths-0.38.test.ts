/**
 * The shell fast paths of the triggers Dokku 0.36+'s scheduler asks per
 * container (scripts/fast-paths.sh: ps-get-property on 0.36+,
 * docker-args-process-deploy on 0.38.9+, core-post-deploy's restore
 * property on 0.38+) give what the bundled entry gives, byte for byte: each
 * case runs the installed shim once with a `node` that only reports it was
 * called (so "answered by the shell" is seen, not assumed) and once as the
 * entry itself; wherever the shell answered, stdout, stderr and the exit
 * status must equal the entry's. Ordinary cases must be answered by the
 * shell; unusual ones must reach the entry. Needs the build (dist/).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "./temp.ts";

const TRIGGERS = resolve("triggers");
const ENTRY = resolve("dist/ps.cjs");
const root = tempDir("dokku-ps-fast038-");
const lib = join(root, "lib");
const home = join(root, "home");
const bin = join(root, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "node"), '#!/bin/sh\nprintf "NODE %s" "$*"\n');
chmodSync(join(bin, "node"), 0o755);

interface Run {
  out: string;
  err: string;
  code: number | null;
}

const baseEnv = () => ({ PATH: `${bin}:/usr/bin:/bin`, DOKKU_LIB_ROOT: lib, DOKKU_ROOT: home, DOKKU_PID: "4242" });

function viaShell(trigger: string, args: string[], input: string): Run | undefined {
  const r = spawnSync(join(TRIGGERS, trigger), args, { env: baseEnv(), encoding: "utf8", input });
  if (r.stdout.startsWith("NODE ")) {
    assert.equal(r.stdout, `NODE ${TRIGGERS}/../dist/ps.cjs trigger ${trigger} ${args.join(" ")}`, "the arguments handed over intact");
    assert.equal(r.stderr, "", "nothing printed before the hand-over");
    return undefined;
  }
  return { out: r.stdout, err: r.stderr, code: r.status };
}

function viaEntry(trigger: string, args: string[], input: string): Run {
  const r = spawnSync(process.execPath, [ENTRY, "trigger", trigger, ...args], { env: { ...baseEnv(), PATH: "/usr/bin:/bin" }, encoding: "utf8", input });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

let answeredByShell = 0;
function check(trigger: string, args: string[], expect: "shell" | "node" | "either", what: string, input = ""): void {
  const shell = viaShell(trigger, args, input);
  const entry = viaEntry(trigger, args, input);
  if (expect === "shell") assert.ok(shell, `${what}: answered by the shell (entry says ${JSON.stringify(entry)})`);
  if (expect === "node") assert.equal(shell, undefined, `${what}: handed to the entry (entry says ${JSON.stringify(entry)})`);
  if (shell) {
    answeredByShell++;
    assert.deepEqual(shell, entry, `${what}: the shell's answer is the entry's`);
  }
}

const APP = "fast38";
mkdirSync(join(home, APP), { recursive: true });
const propDir = (app: string) => join(lib, "config", "ps", app);

function setVersion(version: string): void {
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, "VERSION"), `v${version}\n`);
}

/** The app's and the global property `key`: undefined removes it; a Buffer for odd bytes; "<dir>" makes a directory there. */
function setProps(key: string, app: string | Buffer | undefined, global: string | Buffer | undefined): void {
  for (const [owner, value] of [[APP, app], ["--global", global]] as const) {
    const file = join(propDir(owner), key);
    rmSync(file, { recursive: true, force: true });
    if (value === undefined) continue;
    mkdirSync(propDir(owner), { recursive: true });
    if (value === "<dir>") mkdirSync(file);
    else writeFileSync(file, value);
  }
}

const ORDINARY: Array<[string, string | undefined, string | undefined]> = [
  ["neither", undefined, undefined],
  ["app only", "7", undefined],
  ["global only", undefined, "12"],
  ["both", "7", "12"],
  ["empty app file, global", "", "12"],
  ["empty both", "", ""],
  ["app with a final newline", "7\n", "12"],
  ["two lines", "a\nb", undefined],
];
const UNUSUAL: Array<[string, string | Buffer | undefined, string | Buffer | undefined]> = [
  ["CR in the app value", "7\r", undefined],
  ["UTF-8 in the global value", undefined, "é"],
  ["NUL byte", Buffer.from("7\0"), undefined],
  ["app property is a directory", "<dir>", undefined],
  ["global property is a directory (app unset)", undefined, "<dir>"],
];

test("ps-get-property: the shell answers every key of every 0.36+ version as the entry does, from the property files", () => {
  const versions: Array<[string, string[]]> = [
    ["0.36.0", ["stop-timeout-seconds"]],
    ["0.38.0", ["restore", "skip-deploy", "stop-timeout-seconds"]],
    ["0.38.8", ["restore", "skip-deploy", "stop-timeout-seconds"]],
    ["0.38.27", ["restart-policy", "restore", "skip-deploy", "stop-timeout-seconds"]],
  ];
  for (const [version, keys] of versions) {
    setVersion(version);
    for (const key of ["restart-policy", "restore", "skip-deploy", "stop-timeout-seconds", "start-cmd", "nonsense", ""]) {
      if (!keys.includes(key)) {
        // A key this version's ps does not answer: the entry's error.
        check("ps-get-property", [APP, key], "node", `${version} ${JSON.stringify(key)}`);
        continue;
      }
      for (const [what, app, global] of ORDINARY) {
        setProps(key, app, global);
        check("ps-get-property", [APP, key], "shell", `${version} ${key} ${what}`);
      }
      // The unusual files once, on the newest version (the reads are the same code on every version).
      for (const [what, app, global] of version === "0.38.27" ? UNUSUAL : []) {
        setProps(key, app, global);
        // restore has no global value: an odd global file is nobody's business there.
        check("ps-get-property", [APP, key], key === "restore" && app === undefined ? "either" : "node", `${version} ${key} ${what}`);
      }
      setProps(key, undefined, undefined);
    }
  }
  // Before 0.36 ps has no such trigger: a forward executable, nothing from the shell as from the entry; an app name the shell does not take.
  for (const version of ["0.35.20", "0.31.5", "0.24.10"]) {
    setVersion(version);
    check("ps-get-property", [APP, "stop-timeout-seconds"], "shell", version);
    check("ps-get-property", [APP, "restart-policy"], "shell", version);
  }
  setVersion("0.38.27");
  check("ps-get-property", ["Bad_App", "stop-timeout-seconds"], "node", "odd app name");
  check("ps-get-property", ["nosuchapp", "stop-timeout-seconds"], "shell", "an app that does not exist (core does not check)");
});

test("docker-args-process-deploy on 0.38.9+: the chain from stdin and the computed --restart, as the entry gives it", () => {
  const inputs = ["", "--label a=b", "--label a=b\n", "-v /x:/y --env X=1\n\n\n", "\n"];
  for (const version of ["0.38.27"]) {
    setVersion(version);
    for (const [what, app, global] of [
      ["default", undefined, undefined],
      ["app's own", "unless-stopped", "always"],
      ["global", undefined, "always"],
      ["empty app, global", "", "no"],
    ] as const) {
      setProps("restart-policy", app, global);
      for (const input of inputs) check("docker-args-process-deploy", [APP, "abc", "web", "1"], "shell", `${version} ${what} ${JSON.stringify(input)}`, input);
    }
    setProps("restart-policy", "on-failure:5\r", undefined);
    check("docker-args-process-deploy", [APP, "abc", "web", "1"], "node", `${version} CR in the policy`, "--x\n");
    setProps("restart-policy", undefined, undefined);
    check("docker-args-process-deploy", ["nosuchapp", "abc", "web", "1"], "node", `${version} no such app`, "--x\n");
  }
  setVersion("0.38.9");
  setProps("restart-policy", undefined, "always");
  check("docker-args-process-deploy", [APP, "abc", "web", "1"], "shell", "0.38.9", "--x\n");
  setProps("restart-policy", undefined, undefined);
  // Before 0.38.9 the trigger is not ps's: a forward executable, nothing from the shell as from the entry.
  for (const version of ["0.38.8", "0.36.0", "0.35.20", "0.31.5", "0.30.0"]) {
    setVersion(version);
    check("docker-args-process-deploy", [APP, "abc", "web", "1"], "shell", version, "--x\n");
  }
});

/**
 * plugn runs every plugin's executable with the caller's stdin in turn: a
 * forward executable where the Dokku's ps has no such trigger must leave it
 * for the next plugin (the chain's `echo -n "$STDIN$output"`), as if it were
 * not there. The shell and the entry both: output nothing, exit 0, read nothing.
 */
test("forward executables (ps-get-property before 0.36, docker-args-process-deploy before 0.38.9) leave stdin to the next plugin", () => {
  const next = (argv: string[], input: string) =>
    spawnSync("sh", ["-c", '"$@"; printf "[%s] next:" "$?"; cat', "sh", ...argv], { env: baseEnv(), encoding: "utf8", input });
  const cases: Array<[string, string, string[]]> = [
    ["0.38.8", "docker-args-process-deploy", [APP, "dockerfile", "abc", "web", "1"]],
    ["0.35.20", "docker-args-process-deploy", [APP, "dockerfile", "abc", "web", "1"]],
    ["0.31.5", "ps-get-property", [APP, "restart-policy"]],
    ["0.24.10", "ps-get-property", [APP, "stop-timeout-seconds"]],
  ];
  for (const [version, trigger, args] of cases) {
    setVersion(version);
    for (const argv of [[join(TRIGGERS, trigger), ...args], [process.execPath, ENTRY, "trigger", trigger, ...args]]) {
      const r = next(argv, "--label a=b\n");
      assert.deepEqual([r.stdout, r.stderr], ["[0] next:--label a=b\n", ""], `${version} ${argv[0]} ${trigger}`);
    }
  }
});

test("core-post-deploy on 0.38+: done in the shell when the restore property already says true, else the entry writes it", () => {
  setVersion("0.38.27");
  const restore = join(propDir(APP), "restore");
  mkdirSync(join(lib, "data", "ps", APP), { recursive: true });
  writeFileSync(restore, "true");
  check("core-post-deploy", [APP, "5000", "127.0.0.1", "abc"], "shell", "restore true");
  for (const [what, value] of [["false", "false"], ["true with a newline", "true\n"], ["absent", undefined]] as const) {
    rmSync(restore, { force: true });
    if (value !== undefined) writeFileSync(restore, value);
    check("core-post-deploy", [APP, "5000", "127.0.0.1", "abc"], "node", what);
    assert.equal(readFileSync(restore, "utf8"), "true", `${what}: the entry wrote true`);
  }
  // On 0.37 the flag is DOKKU_APP_RESTORE in the app's ENV, as on 0.31.
  setVersion("0.37.10");
  writeFileSync(join(home, APP, "ENV"), 'DOKKU_APP_RESTORE="1"\n');
  check("core-post-deploy", [APP, "5000", "127.0.0.1", "abc"], "shell", "0.37 ENV says 1");
  rmSync(join(home, APP, "ENV"));
});

test("procfile-get-command: procfile-util's expansion as each version has it (0.36.10+: the app's config first); the shell answers only $PORT, and only while no ENV file mentions PORT", () => {
  const procfile = join(lib, "data", "ps", APP, "Procfile");
  mkdirSync(join(lib, "data", "ps", APP), { recursive: true });
  const cmd = (type: string, port = "5001") => viaEntry("procfile-get-command", [APP, type, port], "").out;
  writeFileSync(procfile, "web: run --port $PORT --x=${PORT}\nworker: run $FOO ${PS} $NOPE. $PORTX\nplain: sleep 1\n");
  const envFiles = (version: string): [string, string] =>
    version.startsWith("0.38.") ? [join(lib, "config", APP, "ENV"), join(lib, "config", "--global", "ENV")] : [join(home, APP, "ENV"), join(home, "ENV")];
  for (const version of ["0.31.5", "0.35.20", "0.36.9", "0.36.10", "0.37.10", "0.38.27"]) {
    setVersion(version);
    const [appEnv, globalEnv] = envFiles(version);
    mkdirSync(join(appEnv, ".."), { recursive: true });
    mkdirSync(join(globalEnv, ".."), { recursive: true });
    writeFileSync(appEnv, 'FOO="from app"\n');
    writeFileSync(globalEnv, 'FOO="from global"\nPS="global ps"\n');
    const withEnv = version === "0.36.10" || version === "0.37.10" || version === "0.38.27";
    const every = version !== "0.31.5";
    assert.equal(cmd("web"), "run --port 5001 --x=5001\n", version);
    assert.equal(
      cmd("worker"),
      withEnv ? "run from app global ps .\n" : every ? "run  worker .\n" : "run $FOO ${PS} $NOPE. $PORTX\n",
      version,
    );
    check("procfile-get-command", [APP, "web", "5001"], "shell", `${version} $PORT`);
    check("procfile-get-command", [APP, "plain", "5001"], "shell", `${version} no $`);
    check("procfile-get-command", [APP, "worker", "5001"], every ? "node" : "shell", `${version} other names`);
    if (withEnv) {
      // A PORT in the config wins over the port: the entry answers.
      writeFileSync(appEnv, "PORT=4000\n");
      assert.equal(cmd("web"), "run --port 4000 --x=4000\n", version);
      check("procfile-get-command", [APP, "web", "5001"], "node", `${version} config PORT`);
    }
    rmSync(appEnv);
    rmSync(globalEnv);
  }
  rmSync(procfile);
});

test("the shell answered the ordinary cases (the comparison above is not empty)", () => {
  assert.ok(answeredByShell > 100, String(answeredByShell));
});
