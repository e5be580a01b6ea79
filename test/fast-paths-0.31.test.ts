/**
 * The shell fast paths of Dokku 0.30+'s per-container push hooks
 * (scripts/fast-paths.sh: procfile-exists, procfile-get-command,
 * ps-current-scale; contract.fastPathTriggers) give what the bundled entry
 * gives, byte for byte: for every case below the installed shim is run
 * twice, once with a `node` that only reports it was called (so "answered
 * by the shell" is seen, not assumed) and once as the entry itself
 * (`node dist/ps.cjs trigger …`); wherever the shell answered, stdout,
 * stderr and the exit status must equal the entry's. The ordinary cases
 * must be answered by the shell (or the test proves nothing); the unusual
 * ones must reach the entry. Needs the build (dist/), as npm test does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { tempDir } from "./temp.ts";

const TRIGGERS = resolve("triggers");
const ENTRY = resolve("dist/ps.cjs");
const root = tempDir("dokku-ps-fast031-");
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

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

function setVersion(text: string | undefined): void {
  rmSync(join(lib, "VERSION"), { force: true });
  if (text !== undefined) write(join(lib, "VERSION"), text);
}

const baseEnv = (extra: Record<string, string>) => ({ PATH: `${bin}:/usr/bin:/bin`, DOKKU_LIB_ROOT: lib, DOKKU_ROOT: home, ...extra });

/** The shim with the reporting `node`: undefined when it handed over to Node. */
function viaShell(trigger: string, args: string[], extra: Record<string, string>): Run | undefined {
  const r = spawnSync(join(TRIGGERS, trigger), args, { env: baseEnv(extra), encoding: "utf8", input: "" });
  if (r.stdout.startsWith("NODE ")) {
    assert.equal(r.stdout, `NODE ${TRIGGERS}/../dist/ps.cjs trigger ${trigger} ${args.join(" ")}`, "the arguments handed over intact");
    assert.equal(r.stderr, "", "nothing printed before the hand-over");
    return undefined;
  }
  return { out: r.stdout, err: r.stderr, code: r.status };
}

/** The bundled entry itself, as the plain shim runs it. */
function viaEntry(trigger: string, args: string[], extra: Record<string, string>): Run {
  const r = spawnSync(process.execPath, [ENTRY, "trigger", trigger, ...args], { env: { ...baseEnv(extra), PATH: "/usr/bin:/bin" }, encoding: "utf8", input: "" });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

/**
 * One case: `expect` "shell" (the shell must answer, equal to the entry),
 * "node" (it must hand over), or "either" (if it answers, equal).
 */
function check(trigger: string, args: string[], expect: "shell" | "node" | "either", what: string, extra: Record<string, string> = {}): Run {
  const shell = viaShell(trigger, args, extra);
  const entry = viaEntry(trigger, args, extra);
  if (expect === "shell") assert.ok(shell, `${what}: answered by the shell`);
  if (expect === "node") assert.equal(shell, undefined, `${what}: handed to the entry (entry says ${JSON.stringify(entry)})`);
  if (shell) assert.deepEqual(shell, entry, `${what}: the shell's answer is the entry's`);
  return entry;
}

const APP = "fast31";
const data = join(lib, "data", "ps", APP);
const props = join(lib, "config", "ps", APP);
mkdirSync(join(home, APP), { recursive: true });
mkdirSync(data, { recursive: true });
mkdirSync(props, { recursive: true });

test("procfile-get-command on 0.31.5: the entry's command, $PORT and ${PORT} expanded, for every Procfile the shell reads", () => {
  setVersion("v0.31.5\n");
  const procfiles: Array<[string, string | Buffer, "shell" | "node"]> = [
    ["two types", "web: sleep 86400\nworker: sleep 86400\n", "shell"],
    ["no final newline, blank lines, comments, padding", "# a comment\n\n   \n  web:   httpd -f -p $PORT  \nworker:run", "shell"],
    ["port forms", "web: a $PORT ${PORT} $PORTS $PORT_X $PORT-x $$PORT ${PORT}x $ $ {PORT} '$PORT' \\$PORT $PORT\nworker: w${PORT}${PORT}$PORT.$PORT", "shell"],
    ["colons and odd characters in the command", "web: a:b:c  'x y' \"z\" `q` ; | & * ? [a] ~ ! # $HOME\n", "shell"],
    ["a comment-like command and a hash type-less line", "web: #not-a-comment\n#worker: nope\n", "shell"],
    ["long type (63)", `${"t".repeat(63)}: x\nweb: y\n`, "shell"],
    ["empty Procfile", "", "shell"],
    ["only comments", "# x\n#y", "shell"],
    ["line without a colon", "web: a\nworker b\n", "node"],
    ["type without command", "web:\nworker: b\n", "node"],
    ["type with only spaces after it", "web:    \n", "node"],
    ["bad type character", "we b: a\n", "node"],
    ["type too long (64)", `${"t".repeat(64)}: x\n`, "node"],
    ["duplicate type", "web: a\nweb: b\n", "node"],
    ["empty type", ": a\n", "node"],
    ["CRLF", "web: a\r\nworker: b\r\n", "node"],
    ["tab", "web:\ta\n", "node"],
    ["UTF-8", "web: écho\n", "node"],
    ["NUL byte", Buffer.from("web: a\0b\n"), "node"],
    ["non-breaking space", "web: a\u00a0\n", "node"],
  ];
  for (const [what, text, expect] of procfiles) {
    rmSync(data, { recursive: true, force: true });
    write(join(data, "Procfile"), text);
    const ports = what === "port forms" ? [["5000"], ["8080"], [], [""], ["abc"], ["0"], ["65535"]] : [["5000"], ["abc"]];
    for (const type of expect === "node" ? ["web"] : ["web", "worker", "t".repeat(63), "absent"]) {
      for (const port of ports) {
        check("procfile-get-command", [APP, type, ...port], expect, `${what}, ${type}, port ${JSON.stringify(port)}`);
      }
    }
  }
  write(join(data, "Procfile"), "web: on $PORT\n");
  for (const port of ["007", "123456", "99999999999999999999999"]) check("procfile-get-command", [APP, "web", port], "node", `port ${port}`);
  for (const type of ["", "a/b", "t".repeat(64), "../x", "web web"]) check("procfile-get-command", [APP, type, "5000"], "node", `type ${JSON.stringify(type)}`);
  const out = check("procfile-get-command", [APP, "web"], "shell", "no port");
  assert.deepEqual(out, { out: "on 5000\n", err: "", code: 0 });
});

test("procfile-get-command / procfile-exists on 0.31.5: the deploy's copy, its .missing marker, the deployed copy, none", () => {
  setVersion("v0.31.5\n");
  const pid = { DOKKU_PID: "4242" };
  const both = (what: string, extra: Record<string, string>, expect: "shell" | "node" = "shell") => {
    check("procfile-get-command", [APP, "web", "5000"], expect, `${what}: procfile-get-command`, extra);
    return check("procfile-exists", [APP], expect, `${what}: procfile-exists`, extra);
  };
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  assert.deepEqual(both("no Procfile at all", pid), { out: "", err: " !     Procfile does not exist\n", code: 1 });
  both("no Procfile, no DOKKU_PID", {});
  write(join(data, "Procfile"), "web: deployed $PORT\n");
  assert.deepEqual(both("the deployed copy", pid), { out: "", err: "", code: 0 });
  assert.equal(check("procfile-get-command", [APP, "web", "5000"], "shell", "deployed", pid).out, "deployed 5000\n");
  write(join(data, "Procfile.4242"), "web: this deploy\n");
  assert.equal(check("procfile-get-command", [APP, "web", "1"], "shell", "deploy's copy", pid).out, "this deploy\n");
  assert.equal(check("procfile-get-command", [APP, "web", "1"], "shell", "another deploy", { DOKKU_PID: "7" }).out, "deployed 1\n");
  write(join(data, "Procfile.4242.missing"), "");
  assert.deepEqual(both("this deploy's source had none", pid), { out: "", err: " !     Procfile does not exist\n", code: 1 });
  assert.equal(check("procfile-get-command", [APP, "web"], "shell", "marker", pid).out, "");
  both("a DOKKU_PID that is not a number", { DOKKU_PID: "../x" }, "node");
  // With DOKKU_TRACE the entry's error carries its stack: the entry prints it.
  check("procfile-exists", [APP], "node", "DOKKU_TRACE, an error", { ...pid, DOKKU_TRACE: "1" });
  check("procfile-get-command", [APP, "web", "5000"], "shell", "DOKKU_TRACE, no error", { ...pid, DOKKU_TRACE: "1" });
  rmSync(join(data, "Procfile.4242.missing"));
  rmSync(join(data, "Procfile.4242"));
  // A Procfile that is a directory: the entry's error.
  rmSync(join(data, "Procfile"));
  mkdirSync(join(data, "Procfile"));
  check("procfile-get-command", [APP, "web", "5000"], "node", "Procfile is a directory");
  check("procfile-exists", [APP], "shell", "Procfile is a directory (it exists)");
  rmSync(join(data, "Procfile"), { recursive: true });
  // No such app: the entry's error (exit 20).
  for (const trigger of ["procfile-get-command", "procfile-exists", "ps-current-scale"]) {
    assert.equal(check(trigger, ["nosuchapp", "web", "5000"], "node", `${trigger} of no app`).code, 20);
    check(trigger, ["Fast31", "web"], "node", `${trigger}: upper case`);
    check(trigger, ["fa:st", "web"], "node", `${trigger}: colon`);
  }
});

test("ps-current-scale on 0.31.5: scale then scale.old, sorted by type (stable), no final newline", () => {
  setVersion("v0.31.5\n");
  const cases: Array<[string, string | Buffer, string | Buffer | undefined, "shell" | "node"]> = [
    ["one type", "web=1\n", undefined, "shell"],
    ["two types, sorted", "web=1\nworker=2\n", undefined, "shell"],
    ["unsorted", "worker=2\nweb=1\nclock=0\n", undefined, "shell"],
    ["byte order: upper case first, - and _", "b=1\nB=2\na=0\n_x=3\n-y=4\n9=5\nab=6\na-b=7\n", undefined, "shell"],
    ["same type twice, kept in order", "web=2\nabc=0\nweb=1\n", "web=0\n", "shell"],
    ["no final newline", "web=1\nworker=2", undefined, "shell"],
    ["with scale.old", "web=1\n", "gone=0\nalso=0\n", "shell"],
    ["empty scale, scale.old", "", "old=0\n", "shell"],
    ["empty", "", undefined, "shell"],
    ["empty both", "", "", "shell"],
    ["three-digit count", "web=100\nworker=999\n", undefined, "shell"],
    ["blank line", "web=1\n\nworker=2\n", undefined, "node"],
    ["only a newline", "\n", undefined, "node"],
    ["leading zero", "web=01\n", undefined, "node"],
    ["negative", "web=-1\n", undefined, "node"],
    ["plus sign", "web=+1\n", undefined, "node"],
    ["two =", "web=1=2\n", undefined, "node"],
    ["no count", "web\n", undefined, "node"],
    ["empty count", "web=\n", undefined, "node"],
    ["empty type", "=1\n", undefined, "node"],
    ["four digits", "web=1000\n", undefined, "node"],
    ["CRLF", "web=1\r\n", undefined, "node"],
    ["space", "web = 1\n", undefined, "node"],
    ["NUL in scale", Buffer.from("web=1\0\n"), undefined, "node"],
    ["NUL in scale.old", "web=1\n", Buffer.from("x=0\0\n"), "node"],
    ["bad scale.old line", "web=1\n", "x\n", "node"],
  ];
  for (const [what, scale, old, expect] of cases) {
    rmSync(props, { recursive: true, force: true });
    write(join(props, "scale"), scale);
    if (old !== undefined) write(join(props, "scale.old"), old);
    check("ps-current-scale", [APP], expect, what);
  }
  rmSync(props, { recursive: true, force: true });
  mkdirSync(props, { recursive: true });
  check("ps-current-scale", [APP], "node", "no scale property");
  write(join(props, "scale"), "web=1\n");
  mkdirSync(join(props, "scale.old"));
  check("ps-current-scale", [APP], "node", "scale.old is a directory");
  rmSync(join(props, "scale.old"), { recursive: true });
  assert.deepEqual(check("ps-current-scale", [APP], "shell", "plain"), { out: "web=1", err: "", code: 0 });
});

test("ps-can-scale on 0.31.5/0.38.27: done in the shell when the property already says it (no DOKKU_SCALE marker, the entry's modes), else the entry writes it", () => {
  const canScale = join(props, "can-scale");
  const marker = join(data, "DOKKU_SCALE");
  for (const version of ["v0.31.5\n", "v0.38.27\n"]) {
    setVersion(version);
    const cases: Array<[string, string | undefined, string, "shell" | "node", () => void]> = [
      ["true, asked true", "true", "true", "shell", () => {}],
      ["false, asked false", "false", "false", "shell", () => {}],
      ["true, asked 1 (ParseBool)", "true", "1", "shell", () => {}],
      ["false, asked anything else", "false", "no", "shell", () => {}],
      ["false, asked true", "false", "true", "node", () => {}],
      ["absent", undefined, "true", "node", () => {}],
      ["a final newline", "true\n", "true", "node", () => {}],
      ["the property dir is 0700", "true", "true", "node", () => chmodSync(props, 0o700)],
      ["the property is 0644", "true", "true", "node", () => chmodSync(canScale, 0o644)],
    ];
    for (const [what, value, arg, expect, extra] of cases) {
      rmSync(canScale, { force: true });
      rmSync(marker, { force: true });
      chmodSync(props, 0o755);
      // Run as root, the entry hands what it writes to the Dokku user; here everything is the runner's.
      chownSync(props, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
      if (value !== undefined) {
        writeFileSync(canScale, value);
        chmodSync(canScale, 0o600);
      }
      extra();
      const entry = check("ps-can-scale", [APP, arg], expect, `${version.trim()} ${what}`);
      assert.deepEqual(entry, { out: "", err: "", code: 0 }, what);
      if (!existsSync(marker)) assert.equal(readFileSync(canScale, "utf8"), ["1", "t", "T", "TRUE", "true", "True"].includes(arg) ? "true" : "false", what);
    }
  }
  rmSync(canScale, { force: true });
  rmSync(marker, { force: true });
  chmodSync(props, 0o755);
  setVersion("v0.31.5\n");
});

test("ps-can-scale while DOKKU_SCALE rules: the shell keeps this deploy's first request as the entry does (its JSON, 0600); a request to merge and anything unusual go to the entry", () => {
  const realNode = join(root, "real-node");
  mkdirSync(realNode, { recursive: true });
  if (!existsSync(join(realNode, "node"))) symlinkSync(process.execPath, join(realNode, "node"));
  const app = "keep31";
  type Setup = (lib: string) => void;
  const d = (l: string) => join(l, "data/ps", app);
  const cases: Array<[string, string, Setup, "shell" | "node", Record<string, string>]> = [
    ["asked true", "true", () => {}, "shell", { DOKKU_PID: "4242" }],
    ["asked 0", "0", () => {}, "shell", { DOKKU_PID: "4242" }],
    ["an earlier deploy's request stays", "1", (l) => write(join(d(l), "app-json-scale.17"), '{"canScale":false}'), "shell", { DOKKU_PID: "4242" }],
    ["this deploy's request to merge with", "true", (l) => write(join(d(l), "app-json-scale.4242"), '{"setScale":{"skipDeploy":false,"clearExisting":true,"tuples":["web=2"]}}'), "node", { DOKKU_PID: "4242" }],
    ["no DOKKU_PID", "true", () => {}, "node", {}],
    ["a DOKKU_PID that is not a number", "true", () => {}, "node", { DOKKU_PID: "1/../2" }],
    ["the marker is a link", "true", (l) => {
      rmSync(join(d(l), "DOKKU_SCALE"));
      write(join(d(l), "elsewhere"), "web=1\n");
      symlinkSync("elsewhere", join(d(l), "DOKKU_SCALE"));
    }, "node", { DOKKU_PID: "4242" }],
  ];
  for (const version of ["v0.31.5\n", "v0.38.27\n"]) {
    for (const [what, arg, setup, expect, extra] of cases) {
      const trees = ["shell", "entry", "probe"].map((k) => join(root, `keep-${k}`));
      for (const t of trees) {
        rmSync(t, { recursive: true, force: true });
        write(join(t, "lib", "VERSION"), version);
        mkdirSync(join(t, "home", app), { recursive: true });
        write(join(t, "lib", "config/ps", app, "scale"), "web=1\n");
        write(join(d(join(t, "lib")), "DOKKU_SCALE"), "web=1\n");
        setup(join(t, "lib"));
      }
      const run = (tree: string, file: string, args: string[], path: string) => {
        const r = spawnSync(file, args, { env: { PATH: path, DOKKU_LIB_ROOT: join(tree, "lib"), DOKKU_ROOT: join(tree, "home"), ...extra }, encoding: "utf8", input: "" });
        return { out: r.stdout, err: r.stderr.split(tree).join("<tree>"), code: r.status };
      };
      const [shellTree, entryTree, probeTree] = trees as [string, string, string];
      const label = `${version.trim()} ${what}`;
      const probe = run(probeTree, join(TRIGGERS, "ps-can-scale"), [app, arg], `${bin}:/usr/bin:/bin`);
      const alone = !probe.out.startsWith("NODE ");
      assert.equal(alone, expect === "shell", `${label}: answered by the ${expect}`);
      if (!alone) assert.equal(snapshot(probeTree), snapshot(entryTree), `${label}: nothing done before the hand-over`);
      const viaShim = run(shellTree, join(TRIGGERS, "ps-can-scale"), [app, arg], `${realNode}:/usr/bin:/bin`);
      const viaEntryOnly = run(entryTree, process.execPath, [ENTRY, "trigger", "ps-can-scale", app, arg], "/usr/bin:/bin");
      assert.deepEqual(viaShim, viaEntryOnly, `${label}: output and exit status`);
      assert.equal(snapshot(shellTree), snapshot(entryTree), `${label}: the files left`);
      if (expect === "shell") assert.match(snapshot(shellTree), /app-json-scale\.4242 600 "\{\\"canScale\\":(true|false)\}"/, label);
    }
  }
});

test("the VERSION file decides: 0.30-0.38 answered by the shell, 0.24 and anything unusual by the entry", () => {
  rmSync(props, { recursive: true, force: true });
  write(join(props, "scale"), "worker=1\nweb=1\n");
  rmSync(data, { recursive: true, force: true });
  write(join(data, "Procfile"), "web: w\nworker: k\n");
  for (const version of ["v0.31.5\n", "0.31.5", "v0.30.0\n", "v0.34.9\n", "v0.35.20\n", "v0.36.1\n", "v0.38.27\n", "v0.38.9"]) {
    setVersion(version);
    check("ps-current-scale", [APP], "shell", version);
    check("procfile-exists", [APP], "shell", version);
    check("procfile-get-command", [APP, "worker", "5000"], "shell", version);
  }
  // 0.24 (and no VERSION file): the 0.24 contract's own answers, from the entry.
  for (const version of ["v0.24.10\n", undefined, "v0.31.5-rc1\n", "v0.31.5\n\n", " v0.31.5", "v0.31.05", "v0.39.0\n", "v0.29.1\n", "latest", Buffer.from("v0.31.5\0")]) {
    setVersion(version as string | undefined);
    for (const [trigger, args] of [["ps-current-scale", [APP]], ["procfile-exists", [APP]], ["procfile-get-command", [APP, "worker", "5000"]]] as const) {
      check(trigger, [...args], "node", `${JSON.stringify(String(version))}: ${trigger}`);
    }
  }
});

test("0.24's fast paths are 0.24's only: on a 0.31.5 host the entry answers them", () => {
  setVersion("v0.31.5\n");
  write(join(data, "hot", "docker-args-process-deploy"), " --restart=on-failure:10");
  write(join(data, "hot", "start-command.web.5000"), "stale\n");
  write(join(lib, "config", "common", APP, "deployed"), "true");
  write(join(home, APP, "ENV"), 'DOKKU_APP_RESTORE="1"');
  const src = join(root, "src");
  write(join(src, "Procfile"), "web: w\n");
  write(join(data, "validated", "Procfile"), "web: w\n");
  // Not ps's trigger before 0.38.9 (a forward executable): nothing, not 0.24's precomputed answer.
  assert.deepEqual(viaShell("docker-args-process-deploy", [APP, "dockerfile", "latest", "web", "1"], {}), { out: "", err: "", code: 0 });
  for (const [trigger, args] of [
    ["core-post-extract", [APP, src]],
    ["post-extract", [APP, src]],
  ] as const) {
    assert.equal(viaShell(trigger, [...args], {}), undefined, trigger);
  }
  write(join(data, "Procfile"), "web: current\n");
  assert.deepEqual(viaShell("procfile-get-command", [APP, "web", "5000"], {}), { out: "current\n", err: "", code: 0 });
  setVersion("v0.24.10\n");
  assert.deepEqual(viaShell("procfile-get-command", [APP, "web", "5000"], {}), { out: "stale\n", err: "", code: 0 }, "0.24's precomputed answer");
  assert.deepEqual(viaShell("docker-args-process-deploy", [APP], {}), { out: " --restart=on-failure:10", err: "", code: 0 });
});

/** Every path under `dir`: its type and content (a link's target), as one comparable text. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      const rel = relative(dir, path);
      if (st.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(path)}`);
      else if (st.isDirectory()) {
        out.push(`${rel}/`);
        walk(path);
      } else out.push(`${rel} ${(st.mode & 0o777).toString(8)} ${JSON.stringify(readFileSync(path, "utf8"))}`);
    }
  };
  walk(dir);
  return out.join("\n");
}

test("core-post-deploy on 0.31.5: the shell's file steps (and the entry's, when ENV does not say 1) leave what the entry alone leaves", () => {
  // A plugn that records what it was asked (post-config-update, when the entry sets the flag).
  const tools = join(root, "tools");
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, "plugn"), '#!/bin/sh\nprintf "%s\\n" "$*" >>"$DOKKU_LIB_ROOT/plugn.log"\n');
  chmodSync(join(tools, "plugn"), 0o755);
  const realNode = join(root, "real-node");
  mkdirSync(realNode, { recursive: true });
  if (!existsSync(join(realNode, "node"))) symlinkSync(process.execPath, join(realNode, "node"));
  const app = "post31";
  type Setup = (lib: string, home: string) => void;
  const put = (path: string, text = "") => write(path, text);
  const base: Setup = (l, h) => {
    put(join(l, "VERSION"), "v0.31.5\n");
    mkdirSync(join(h, app), { recursive: true });
    put(join(l, "config", "ps", app, "scale"), "web=1\n");
  };
  const restore1: Setup = (_l, h) => put(join(h, app, "ENV"), 'A="x"\nDOKKU_APP_RESTORE="1"');
  const cases: Array<[string, Setup, "shell" | "node" | "either", Record<string, string>]> = [
    ["the deploy's copy, old copy, scale.old and requests; restore already 1", (l, h) => {
      restore1(l, h);
      put(join(l, "data/ps", app, "Procfile.4242"), "web: new\n");
      put(join(l, "data/ps", app, "Procfile"), "web: old\n");
      put(join(l, "data/ps", app, "app-json-scale.4242"), '{"canScale":true}');
      put(join(l, "data/ps", app, "app-json-scale.17"), "{}");
      put(join(l, "data/ps", app, "Procfile.17"), "web: another deploy's\n");
      put(join(l, "config/ps", app, "scale.old"), "gone=0\n");
    }, "shell", { DOKKU_PID: "4242" }],
    ["no Procfile in the source: the marker and the old copy go", (l, h) => {
      restore1(l, h);
      put(join(l, "data/ps", app, "Procfile.4242.missing"));
      put(join(l, "data/ps", app, "Procfile"), "web: old\n");
    }, "shell", { DOKKU_PID: "4242" }],
    ["nothing to move, restore 1", restore1, "shell", { DOKKU_PID: "4242" }],
    ["no DOKKU_PID", (l, h) => {
      restore1(l, h);
      put(join(l, "data/ps", app, "Procfile."), "web: x\n");
    }, "shell", {}],
    ["restore 0: the entry sets it (ENV, post-config-update) after the shell's steps", (l, h) => {
      put(join(h, app, "ENV"), 'A="x"\nDOKKU_APP_RESTORE="0"');
      put(join(l, "data/ps", app, "Procfile.4242"), "web: new\n");
      put(join(l, "config/ps", app, "scale.old"), "gone=0\n");
    }, "either", { DOKKU_PID: "4242" }],
    ["no ENV file", (l) => put(join(l, "data/ps", app, "Procfile.4242"), "web: new\n"), "either", { DOKKU_PID: "4242" }],
    ["the app's Procfile copy is a directory", (l, h) => {
      restore1(l, h);
      put(join(l, "data/ps", app, "Procfile.4242"), "web: new\n");
      mkdirSync(join(l, "data/ps", app, "Procfile", "x"), { recursive: true });
    }, "node", { DOKKU_PID: "4242" }],
    ["the deploy's copy is a link", (l, h) => {
      restore1(l, h);
      put(join(l, "data/ps", app, "target"), "web: t\n");
      symlinkSync("target", join(l, "data/ps", app, "Procfile.4242"));
    }, "node", { DOKKU_PID: "4242" }],
    ["scale.old is a directory", (l, h) => {
      restore1(l, h);
      mkdirSync(join(l, "config/ps", app, "scale.old"), { recursive: true });
    }, "node", { DOKKU_PID: "4242" }],
    ["a kept request is a directory", (l, h) => {
      restore1(l, h);
      mkdirSync(join(l, "data/ps", app, "app-json-scale.1"), { recursive: true });
    }, "node", { DOKKU_PID: "4242" }],
    ["a DOKKU_PID that is not a number", restore1, "node", { DOKKU_PID: "x/../1" }],
  ];
  for (const [what, setup, expect, extra] of cases) {
    const trees = ["shell", "entry", "probe"].map((k) => join(root, `cpd-${k}`));
    for (const t of trees) {
      rmSync(t, { recursive: true, force: true });
      base(join(t, "lib"), join(t, "home"));
      setup(join(t, "lib"), join(t, "home"));
    }
    const run = (tree: string, file: string, args: string[], path: string) => {
      const r = spawnSync(file, args, { env: { PATH: path, DOKKU_LIB_ROOT: join(tree, "lib"), DOKKU_ROOT: join(tree, "home"), ...extra }, encoding: "utf8", input: "" });
      const named = (text: string) => text.split(tree).join("<tree>");
      return { out: named(r.stdout), err: named(r.stderr), code: r.status };
    };
    const args = [app, "5000", "", "latest"];
    const [shellTree, entryTree, probeTree] = trees as [string, string, string];
    // Did the shell answer alone? (the reporting node, on a third copy)
    const probe = run(probeTree, join(TRIGGERS, "core-post-deploy"), args, `${bin}:${tools}:/usr/bin:/bin`);
    const alone = !probe.out.startsWith("NODE ");
    if (expect === "shell") assert.ok(alone, `${what}: answered by the shell`);
    if (expect === "node") {
      assert.ok(!alone, `${what}: handed to the entry`);
      assert.equal(snapshot(probeTree), snapshot(entryTree), `${what}: nothing done before the hand-over`);
    }
    const viaShim = run(shellTree, join(TRIGGERS, "core-post-deploy"), args, `${realNode}:${tools}:/usr/bin:/bin`);
    const viaEntryOnly = run(entryTree, process.execPath, [ENTRY, "trigger", "core-post-deploy", ...args], `${tools}:/usr/bin:/bin`);
    assert.deepEqual(viaShim, viaEntryOnly, `${what}: output and exit status`);
    assert.equal(snapshot(shellTree), snapshot(entryTree), `${what}: the files left`);
  }
});

test("core-post-extract on 0.31.5: the shell copies a pushed source's Procfile (or leaves the .missing marker) as the entry does; anything unusual goes to the entry", () => {
  // A plugn that answers git-get-property from a file (the source image, empty for a push) and records the ask.
  const tools = join(root, "cpe-tools");
  mkdirSync(tools, { recursive: true });
  writeFileSync(
    join(tools, "plugn"),
    '#!/bin/sh\nprintf "%s\\n" "$*" >>"$DOKKU_LIB_ROOT/plugn.log"\n[ "$2" = git-get-property ] && cat "$DOKKU_LIB_ROOT/source-image" 2>/dev/null\nexit 0\n',
  );
  chmodSync(join(tools, "plugn"), 0o755);
  const realNode = join(root, "real-node");
  mkdirSync(realNode, { recursive: true });
  if (!existsSync(join(realNode, "node"))) symlinkSync(process.execPath, join(realNode, "node"));
  const app = "ext31";
  type Setup = (lib: string, home: string, src: string) => void;
  const put = (path: string, text = "") => write(path, text);
  const base: Setup = (l, h, s) => {
    put(join(l, "VERSION"), "v0.31.5\n");
    mkdirSync(join(h, app), { recursive: true });
    mkdirSync(join(l, "data", "ps", app), { recursive: true });
    mkdirSync(s, { recursive: true });
  };
  const cases: Array<[string, Setup, "shell" | "node"]> = [
    ["a Procfile; an older deploy's copy and marker go, the deployed copy stays", (l, _h, s) => {
      put(join(s, "Procfile"), "# comment\nweb: httpd -f -p $PORT\nworker: sleep 1\n");
      put(join(l, "data/ps", app, "Procfile"), "web: deployed\n");
      put(join(l, "data/ps", app, "Procfile.17"), "web: older\n");
      put(join(l, "data/ps", app, "Procfile.18.missing"));
    }, "shell"],
    ["no Procfile: the marker", (l) => put(join(l, "data/ps", app, "Procfile"), "web: deployed\n"), "shell"],
    ["an empty Procfile", (_l, _h, s) => put(join(s, "Procfile"), ""), "shell"],
    ["a source image (the entry reads the image)", (l, _h, s) => {
      put(join(l, "source-image"), "some/image:1");
      put(join(s, "Procfile"), "web: x\n");
    }, "node"],
    ["an app procfile-path", (l, _h, s) => {
      put(join(l, "config/ps", app, "procfile-path"), "Procfile");
      put(join(s, "Procfile"), "web: x\n");
    }, "node"],
    ["a Procfile line the entry refuses", (_l, _h, s) => put(join(s, "Procfile"), "web x\n"), "node"],
    ["a Procfile that is a link", (_l, _h, s) => {
      put(join(s, "real"), "web: x\n");
      symlinkSync("real", join(s, "Procfile"));
    }, "node"],
    ["a tab in the Procfile", (_l, _h, s) => put(join(s, "Procfile"), "web:\tx\n"), "node"],
    ["0.24's hot answers are there", (l, _h, s) => {
      put(join(l, "data/ps", app, "hot", "start-command.web.5000"), "x");
      put(join(s, "Procfile"), "web: x\n");
    }, "node"],
  ];
  for (const [what, setup, expect] of cases) {
    const trees = ["shell", "entry", "probe"].map((k) => join(root, `cpe-${k}`));
    for (const t of trees) {
      rmSync(t, { recursive: true, force: true });
      base(join(t, "lib"), join(t, "home"), join(t, "src"));
      setup(join(t, "lib"), join(t, "home"), join(t, "src"));
    }
    const run = (tree: string, file: string, args: string[], path: string) => {
      const r = spawnSync(file, args, { env: { PATH: path, DOKKU_LIB_ROOT: join(tree, "lib"), DOKKU_ROOT: join(tree, "home"), DOKKU_PID: "4242" }, encoding: "utf8", input: "" });
      const named = (text: string) => text.split(tree).join("<tree>");
      return { out: named(r.stdout), err: named(r.stderr), code: r.status };
    };
    const [shellTree, entryTree, probeTree] = trees as [string, string, string];
    const probe = run(probeTree, join(TRIGGERS, "core-post-extract"), [app, join(probeTree, "src")], `${bin}:${tools}:/usr/bin:/bin`);
    const alone = !probe.out.startsWith("NODE ");
    if (expect === "shell") assert.ok(alone, `${what}: answered by the shell (${JSON.stringify(probe)})`);
    if (expect === "node") assert.ok(!alone, `${what}: handed to the entry`);
    const viaShim = run(shellTree, join(TRIGGERS, "core-post-extract"), [app, join(shellTree, "src")], `${realNode}:${tools}:/usr/bin:/bin`);
    const viaEntryOnly = run(entryTree, process.execPath, [ENTRY, "trigger", "core-post-extract", app, join(entryTree, "src")], `${tools}:/usr/bin:/bin`);
    assert.deepEqual(viaShim, viaEntryOnly, `${what}: output and exit status`);
    const files = (tree: string) => snapshot(tree).split("\n").filter((line) => !line.startsWith("lib/plugn.log")).join("\n");
    assert.equal(files(shellTree), files(entryTree), `${what}: the files left`);
    // The shell asks what the entry asks (when it hands over, the entry asks again).
    if (expect === "shell") assert.equal(readFileSync(join(shellTree, "lib", "plugn.log"), "utf8"), readFileSync(join(entryTree, "lib", "plugn.log"), "utf8"), `${what}: plugn asks`);
  }
});
