/**
 * Issue 11, failure 4: no process ps starts gets a socket as its stdin. Real
 * plugn 0.6.1 (go-basher) cannot run then (bash skips BASH_ENV: `main: command
 * not found`, exit 127), and Node's "pipe" stdio and execa's `input` /
 * `inputFile` are socketpairs. A static scan of every source file under src/
 * finds each call of a process-starting function and fails when:
 *
 * - the call passes no options, or options without a `stdin`/`stdio` setting
 *   (the default is a pipe, i.e. a socket);
 * - it uses `input:` or `inputFile:` (written to the child through a pipe);
 * - its stdin is `"pipe"`, `"overlapped"` or `"inherit"` (our own stdin may be
 *   a socket: a caller that piped into us), or `process.stdin`, through
 *   `stdin:` or the first entry of `stdio:`;
 * - a process-starting function is reached under another name (`execa as run`,
 *   `{ spawn: go }`, `const run = (await import("execa")).execa`), which the
 *   scan could not follow.
 *
 * Allowed: `"ignore"`, a descriptor (number or variable: an open regular file),
 * or a variable (e.g. plugn.ts's `stdin`, typed "ignore" | descriptor). The
 * scanner is tested on bad and good snippets first, so the scan of the real
 * tree is known to be able to fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

import { REPO, sourceFiles, stripComments, stripStrings } from "./source-scan.ts";

const SPAWNERS = ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync", "fork", "execa", "execaSync", "execaNode"];
const SPAWNER = SPAWNERS.join("|");

export interface SpawnSite {
  line: number;
  text: string;
  problem?: string;
}

/** The text between the parenthesis at `open` and its match (strings skipped). */
function argumentText(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < code.length && code[j] !== c) {
        if (code[j] === "\\") j++;
        j++;
      }
      i = j;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return code.slice(open + 1, i);
    }
  }
  return code.slice(open + 1);
}

/** What is wrong with one call's argument text, if anything. */
export function stdinProblem(args: string): string | undefined {
  if (/\binput(?:File)?\s*:/.test(args)) return "input/inputFile: written through a pipe (a socket)";
  const stdin = /\bstdin\s*:\s*([^,}\n]+)/.exec(args)?.[1]?.trim();
  const stdioMatch = /\bstdio\s*:\s*(\[?)\s*([^,\]}\n]+)/.exec(args);
  const stdio = stdioMatch?.[2]?.trim();
  const shorthand = /[{,]\s*stdin\s*[,}]/.test(args);
  if (stdin === undefined && stdio === undefined && !shorthand) return "no stdin setting (the default is a pipe: a socket)";
  const bad = (value: string | undefined) =>
    value !== undefined && (/^["'`](?:pipe|overlapped|inherit)["'`]$/.test(value) || /^process\s*\.\s*stdin\b/.test(value));
  if (bad(stdin)) return `stdin: ${stdin}`;
  if (bad(stdio)) return `stdio: ${stdioMatch?.[1]}${stdio}`;
  return undefined;
}

/**
 * Issue 15: a process ps starts never depends on the caller's directory.
 * execa passes `cwd: process.cwd()` by default and libuv chdirs into it, which
 * fails (EACCES) when root runs `dokku` from /root: ps runs as the dokku user.
 * Every spawn names its directory: SPAWN_CWD (`/`, src/adapters/spawn-cwd.ts).
 */
export function cwdProblem(args: string): string | undefined {
  return /\bcwd\s*:\s*SPAWN_CWD\b/.test(args) ? undefined : "no cwd: SPAWN_CWD (the caller's directory may be one the dokku user cannot enter)";
}

/** Every spawn site in one source text, with its problem per `check` (undefined: fine). */
export function scanSpawns(source: string, check: (args: string) => string | undefined = stdinProblem): SpawnSite[] {
  const code = stripComments(source);
  const bare = stripStrings(code);
  const sites: SpawnSite[] = [];
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  const add = (index: number, problem: string | undefined) => {
    const line = lineOf(index);
    sites.push({ line, text: (source.split("\n")[line - 1] ?? "").trim(), ...(problem ? { problem } : {}) });
  };
  // Aliases the scan cannot follow.
  for (const m of bare.matchAll(new RegExp(String.raw`\b(?:${SPAWNER})\s+as\s+\w+`, "g"))) add(m.index ?? 0, "renamed spawner import");
  for (const m of bare.matchAll(new RegExp(String.raw`[{,]\s*(?:${SPAWNER})\s*:\s*\w+[^}]*\}\s*=`, "g"))) add(m.index ?? 0, "renamed spawner binding");
  for (const m of bare.matchAll(new RegExp(String.raw`\.\s*(?:${SPAWNER})\b(?!\s*\()`, "g"))) add(m.index ?? 0, "spawner taken as a value");
  for (const m of bare.matchAll(new RegExp(String.raw`=\s*(?:${SPAWNER})\s*[;\n]`, "g"))) add(m.index ?? 0, "spawner taken as a value");
  // Calls: `spawn(`, `cp.spawn(`, `execa(` … — not definitions, not RegExp#exec.
  for (const m of bare.matchAll(new RegExp(String.raw`(?<![\w$.])((?:[\w$]+\s*\.\s*)?)(${SPAWNER})\s*\(`, "g"))) {
    const index = m.index ?? 0;
    const before = bare.slice(Math.max(0, index - 20), index);
    if (/\bfunction\s*\*?\s*$|\b(?:async|get|set)\s+$/.test(before)) continue;
    if (m[1] && /^(?:exec|execSync)$/.test(m[2] ?? "") && !/^(?:cp|child_process|childProcess)\s*\.\s*$/.test(m[1])) continue; // RegExp#exec
    add(index, check(argumentText(code, index + m[0].length - 1)));
  }
  return sites.sort((a, b) => a.line - b.line);
}


const problems = (snippet: string) => scanSpawns(snippet).filter((s) => s.problem);

test("scanner flags every spawn that could hand the child a socket as stdin", () => {
  const bad: Record<string, string> = {
    "execa input": `await execa("plugn", ["trigger", name], { reject: false, input: "" });`,
    "execa input variable": `await execa("plugn", ["trigger", name], { reject: false, input });`.replace("input }", "input: data }"),
    "execa inputFile": `await execa("plugn", ["version"], { inputFile: "/tmp/x" });`,
    "stdin pipe": `await execa("plugn", ["version"], { stdin: "pipe" });`,
    "stdin overlapped": `await execa("plugn", ["version"], { stdin: 'overlapped' });`,
    "stdin inherit": `await execa("plugn", ["version"], { stdin: "inherit", stdout: "pipe" });`,
    "stdio pipe": `spawn("plugn", ["version"], { stdio: "pipe" });`,
    "stdio inherit": `await execa("plugn", ["trigger", name], { stdio: "inherit", reject: false });`,
    "stdio array pipe": `spawnSync("plugn", ["version"], { stdio: ["pipe", "pipe", "inherit"] });`,
    "stdio array process.stdin": `spawn("plugn", [], { stdio: [process.stdin, "pipe", "pipe"] });`,
    "no options": `await execa("plugn", ["trigger", name]);`,
    "options without stdin": `execFileSync("ps", ["-o", "command="], { encoding: "utf8" });`,
    "namespace call": `import * as cp from "node:child_process";\ncp.spawn("plugn", ["list"], { cwd });`,
    "spread options only": `await execa("plugn", args, { ...options });`,
    "fork default": `fork(entry, args, { env });`,
    "renamed import": `import { execa as run } from "execa";\nawait run("plugn", [], { stdin: "ignore" });`,
    "renamed binding": `const { execa: run } = await import("execa");`,
    "taken as a value": `const run = (await import("execa")).execa;`,
    "assigned": `const go = spawn;`,
    "multi-line options": `await execa("plugn", ["trigger", name, ...args], {\n  reject: false,\n  input,\n  stripFinalNewline: false,\n});`.replace("input,", "input: text,"),
  };
  for (const [name, snippet] of Object.entries(bad)) {
    assert.ok(problems(snippet).length > 0, `not flagged: ${name}: ${snippet}`);
  }
});

test("scanner accepts /dev/null, descriptors and checked variables", () => {
  const good: Record<string, string> = {
    "stdin ignore": `await execa("plugn", ["trigger", name], { stdin: "ignore", stdout: "inherit", stderr: "inherit" });`,
    "stdin shorthand": `await execa("plugn", ["trigger", name], { stdin, stdout: output, stderr: output, reject: false });`,
    "stdin descriptor": `await execa("plugn", ["trigger", name], { stdin: fd, stdout: "pipe" });`,
    "stdio array ignore": `spawn("flock", ["--nonblock", "3"], { stdio: ["ignore", "ignore", "pipe", fd] });`,
    "execFileSync with stdio": `execFileSync("ps", ["-o", "command="], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });`,
    "RegExp exec": `const m = LINE.exec(line); /x/.exec(s);`,
    "function definition": `async function execa() { return 1; }`,
    "comment": `// execa("plugn", [], { input: "" })\nconst a = 1;`,
    "string": `log("spawn(plugn) with input: never");`,
  };
  for (const [name, snippet] of Object.entries(good)) {
    assert.deepEqual(problems(snippet), [], `flagged: ${name}: ${snippet}`);
  }
});

test("every process ps starts (src/) gets /dev/null or a regular file as stdin, never a socket", () => {
  const files = sourceFiles(join(REPO, "src"));
  assert.ok(files.length >= 40, `only ${files.length} files found`);
  const found: string[] = [];
  const sites: string[] = [];
  for (const file of files) {
    for (const s of scanSpawns(readFileSync(file, "utf8"))) {
      const where = `${relative(REPO, file)}:${s.line}`;
      sites.push(where);
      if (s.problem) found.push(`${where}: ${s.problem}: ${s.text}`);
    }
  }
  assert.deepEqual(found, []);
  // The scan saw the spawns it must see (a scan that finds nothing passes nothing).
  const plugnSites = sites.filter((s) => s.startsWith(join("src", "adapters", "plugn.ts")));
  assert.equal(plugnSites.length, 1, `plugn must be spawned in one place: ${sites.join(", ")}`);
  for (const file of ["services/all-apps.ts", "adapters/flock.ts", "commands/help.ts"]) {
    assert.ok(sites.some((s) => s.startsWith(join("src", file))), `no spawn seen in src/${file}`);
  }
});

test("plugn is spawned only by src/adapters/plugn.ts", () => {
  const spawnsPlugn = new RegExp(String.raw`(?:${SPAWNER})\s*\(\s*["'\`]plugn["'\`]`);
  const others = sourceFiles(join(REPO, "src"))
    .filter((file) => spawnsPlugn.test(stripComments(readFileSync(file, "utf8"))))
    .map((file) => relative(REPO, file));
  assert.deepEqual(others, [join("src", "adapters", "plugn.ts")]);
});

test("scanner flags a spawn without the safe cwd, accepts one with it", () => {
  const cwdProblems = (snippet: string) => scanSpawns(snippet, cwdProblem).filter((s) => s.problem);
  for (const snippet of [
    `await execa("plugn", ["trigger", name], { stdin: "ignore" });`,
    `spawn("flock", ["--nonblock", "3"], { stdio: ["ignore", "ignore", "pipe", fd] });`,
    `execFileSync("ps", ["-o", "command="], { cwd: process.cwd(), stdio: ["ignore", "pipe", "ignore"] });`,
  ]) {
    assert.ok(cwdProblems(snippet).length > 0, `not flagged: ${snippet}`);
  }
  assert.deepEqual(cwdProblems(`await execa("plugn", args, {\n  cwd: SPAWN_CWD,\n  stdin,\n});`), []);
});

test("every process ps starts (src/) runs in SPAWN_CWD, never the caller's directory; git in the app's repository", () => {
  const found: string[] = [];
  let seen = 0;
  for (const file of sourceFiles(join(REPO, "src"))) {
    const source = readFileSync(file, "utf8");
    for (const s of scanSpawns(source, cwdProblem)) {
      seen++;
      if (s.problem) found.push(`${relative(REPO, file)}:${s.line}: ${s.problem}: ${s.text}`);
    }
    // simple-git runs git in its baseDir (the app's bare repository).
    for (const m of stripComments(source).matchAll(/\bsimpleGit\s*\(([^)]*)\)/g)) {
      if (!/\bbaseDir\s*:/.test(m[1] ?? "")) found.push(`${relative(REPO, file)}: simpleGit without baseDir: ${m[0]}`);
    }
  }
  assert.deepEqual(found, []);
  assert.ok(seen >= 4, `only ${seen} spawn sites seen`);
});
