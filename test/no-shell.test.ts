/**
 * Issue 6: no shell ever sits between ps and the programs it runs. A
 * grep-style scan of every source file under src/ and bench/ (and the
 * integration harness) fails on anything that would hand a command line to
 * a shell or split a string into words:
 *
 * - a `shell:` option set to anything but false/undefined/null/0;
 * - child_process `exec` / `execSync` (execFile/spawn with argv arrays are fine);
 * - execa's template-string forms (`` $`…` ``, `` execa`…` ``) and
 *   execaCommand / execaCommandSync (they parse a command string);
 * - spawn/execa/execFile with one string that contains whitespace and no
 *   argv array (a command line instead of a program name);
 * - `bash -c` / `sh -c` whose script is built from interpolated values.
 *
 * The scanner is unit-tested on bad and good snippets first, so the scan of
 * the real tree is known to be able to fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

import { REPO, sourceFiles, stripComments, stripStrings } from "./source-scan.ts";

export interface Violation {
  line: number;
  rule: string;
  text: string;
}

const FALSY_SHELL = /^(?:false|undefined|null|0|""|'')(?![\w$.])\s*$/;

/** Every no-shell violation in one source text. */
export function scanSource(source: string): Violation[] {
  const code = stripComments(source);
  const bare = stripStrings(code);
  const violations: Violation[] = [];
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  const add = (index: number, rule: string) => {
    const line = lineOf(index);
    violations.push({ line, rule, text: (source.split("\n")[line - 1] ?? "").trim() });
  };
  const each = (re: RegExp, rule: string, keep: (m: RegExpExecArray) => boolean = () => true, text = code) => {
    for (const m of text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`))) {
      if (keep(m as RegExpExecArray)) add(m.index ?? 0, rule);
    }
  };

  // 1. `shell: <truthy>` (also quoted keys and `shell = true` assignments).
  // Matched on code with string contents blanked (prose in a string is not an option);
  // the value is then read from the same offset of the code with strings.
  const shellValue = (m: RegExpExecArray) => {
    const start = (m.index ?? 0) + m[0].length;
    const value = (/^[^,}\n)]*/.exec(code.slice(start))?.[0] ?? "").trim();
    if (/^=/.test(value)) return false; // `shell ==` / `===` comparisons
    return !FALSY_SHELL.test(value);
  };
  each(/\bshell\s*[:=]\s*/, "shell option set", shellValue, bare);
  each(/["']shell["']\s*:\s*/, "shell option set", shellValue);
  // A bare `shell` shorthand property inside an options object: `{ shell }`.
  each(/[{,]\s*shell\s*[,}]/, "shell option set", undefined, bare);

  // 2. child_process exec / execSync: imported by name, via a namespace, or via require.
  const childProcessImport = /import\s+(?:(\w+)\s*,\s*)?(?:\{([^}]*)\}|\*\s+as\s+(\w+)|(\w+))?\s*from\s*["'](?:node:)?child_process["']/g;
  const namespaces = new Set<string>();
  for (const m of code.matchAll(childProcessImport)) {
    const named = (m[2] ?? "").split(",").map((s) => s.trim().split(/\s+as\s+/)[0]?.trim());
    if (named.includes("exec") || named.includes("execSync")) add(m.index ?? 0, "child_process exec imported");
    for (const ns of [m[1], m[3], m[4]]) if (ns) namespaces.add(ns);
  }
  each(/require\s*\(\s*["'](?:node:)?child_process["']\s*\)\s*\.\s*exec(?:Sync)?\b/, "child_process exec required");
  each(/\{[^}]*\bexec(?:Sync)?\b[^}]*\}\s*=\s*(?:await\s+import|require)\s*\(\s*["'](?:node:)?child_process["']/, "child_process exec imported");
  for (const ns of namespaces) {
    each(new RegExp(`\\b${ns}\\s*\\.\\s*exec(?:Sync)?\\s*\\(`), "child_process exec called");
  }
  // A bare `exec(` / `execSync(` call (not `.exec(`, which is RegExp#exec, nor a definition).
  each(/(?<![\w$.])(exec|execSync)\s*\(/, "exec() called", (m) => {
    const before = bare.slice(Math.max(0, (m.index ?? 0) - 20), m.index ?? 0);
    return !/\bfunction\s*\*?\s*$|\b(async|get|set)\s+$/.test(before);
  }, bare);

  // 3. execa's template-string forms and command-string APIs.
  each(/(?<![\w$])(?:execa|execaSync|execaNode|\$|\$sync|\$\.sync|\$\.s)\s*(?:\([^()]*\))?\s*`/, "execa template string", undefined, bare);
  each(/\bexecaCommand(?:Sync)?\b/, "execaCommand parses a command string", undefined, bare);

  // 4. One string with whitespace as the program, and no argv array.
  each(/\b(?:spawn|spawnSync|execFile|execFileSync|execa|execaSync|fork)\s*\(\s*(["'`])((?:(?!\1)[^\\]|\\.)*)\1\s*(\)|,\s*\{)/, "command line as program", (m) =>
    /\s/.test(m[2] ?? ""),
  );
  each(/\b(?:spawn|spawnSync|execFile|execFileSync|execa|execaSync)\s*\(\s*`[^`]*\$\{/, "command line as program");

  // 5. `bash -c` / `sh -c` with a script built from values.
  const SHELLS = String.raw`(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|z|k)?sh`;
  each(new RegExp(String.raw`["'\`]${SHELLS}["'\`]\s*,\s*\[\s*(?:["']-\w*["']\s*,\s*)*["']-\w*c["']\s*,\s*([^,\]]+)`), "sh -c with interpolation", (m) => {
    const script = (m[1] ?? "").trim();
    if (/^`/.test(script)) return /\$\{/.test(script);
    if (/^["']/.test(script)) return /^(["'])(?:(?!\1)[^\\]|\\.)*\1\s*\+/.test(script) || /^(["'])(?:(?!\1)[^\\]|\\.)*\1\s*\.\s*concat/.test(script);
    return true; // an identifier or expression: a value, not a fixed script
  });
  each(new RegExp(String.raw`\`[^\`]*\b${SHELLS}\s+-\w*c\b[^\`]*\$\{`), "sh -c with interpolation");
  each(new RegExp(String.raw`["']${SHELLS}\s+-\w*c\b[^"']*["']\s*\+`), "sh -c with interpolation");

  // Duplicate hits on one line (several rules) are reported once per rule.
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.line}:${v.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}


test("scanner flags every forbidden form", () => {
  const bad: Record<string, string> = {
    "shell: true": `await execa("docker", ["ps"], { shell: true });`,
    "shell: string": `spawn("ls", [], { shell: "/bin/bash" });`,
    "shell: variable": `execFile("ls", [], { shell: useShell });`,
    "quoted shell key": `spawn("ls", [], { "shell": 1 });`,
    "shell shorthand": `const shell = true; spawn("ls", [], { cwd, shell });`,
    "named exec import": `import { exec } from "node:child_process";`,
    "renamed execSync import": `import { execSync as run } from "child_process";`,
    "namespace exec": `import * as cp from "node:child_process";\ncp.exec("ls " + dir);`,
    "default import exec": `import cp from "child_process";\ncp.execSync(cmd);`,
    "require exec": `const out = require("child_process").execSync("ls");`,
    "dynamic import exec": `const { exec } = await import("node:child_process");`,
    "bare exec call": `exec(\`docker rm \${id}\`);`,
    "execa $ template": "await $`docker ps -a`;",
    "execa $ with options": "await $({ cwd })`git status`;",
    "execa template": "await execa`docker rm ${id}`;",
    "execaSync template": "execaSync`ls`;",
    execaCommand: `await execaCommand("docker ps");`,
    execaCommandSync: `import { execaCommandSync } from "execa";`,
    "spawn command line": `spawn("docker rm -f abc");`,
    "spawn command line + options": `spawnSync('docker ps -q', { stdio: "inherit" });`,
    "execa command line": `await execa("git push origin main");`,
    "spawn template": "spawn(`docker rm ${id}`);",
    "bash -c template": "await execa(\"bash\", [\"-c\", `rm -rf ${dir}`]);",
    "sh -c concat": `spawn("sh", ["-c", "rm -rf " + dir]);`,
    "sh -c variable": `spawn("/bin/sh", ["-c", script]);`,
    "bash -ec template": "execFile('bash', ['-ec', `echo ${x}`]);",
    "bash -c in a string": "run(`bash -c 'docker rm ${id}'`);",
    "sh -c concatenated string": `const line = "sh -c " + cmd;`,
  };
  for (const [name, snippet] of Object.entries(bad)) {
    assert.ok(scanSource(snippet).length > 0, `not flagged: ${name}: ${snippet}`);
  }
});

test("scanner accepts argv arrays and look-alikes", () => {
  const good: Record<string, string> = {
    "execa argv": `await execa("docker", ["rm", "-f", id], { reject: false });`,
    "shell false": `spawn("ls", ["-l"], { shell: false });`,
    "RegExp#exec": `const m = LINE.exec(line); SLOT.exec(name);`,
    "execFileSync argv": `execFileSync("ps", ["-o", "command=", String(pid)]);`,
    "spawn argv": `spawn("flock", ["--nonblock", "3"], { stdio: ["ignore", "ignore", "pipe", fd] });`,
    "spawnSync argv with spaces in args": `spawnSync("docker", ["run", "--label", "a b"]);`,
    "fixed bash -c script with positional args": `execa("bash", ["-c", 'source "$1" && env -0', "_", path]);`,
    "prose in comments": `// never exec(\`...\`) or { shell: true }\n/* bash -c \${x} */\nconst a = 1;`,
    "shell comparison": `if (opts.shell === true) throw new Error("no");`,
    "word shell in a string": `log("a shell: not used here");`,
    "execa import": `import { execa, type Options } from "execa";`,
    "template with $ inside": "const s = `cost: ${price}`;",
  };
  for (const [name, snippet] of Object.entries(good)) {
    assert.deepEqual(scanSource(snippet), [], `flagged: ${name}: ${snippet}`);
  }
});

test("no shell string reaches execa or child_process in src/, bench/ or the harness", () => {
  const files = [...sourceFiles(join(REPO, "src")), ...sourceFiles(join(REPO, "bench")), join(REPO, "test", "integration", "harness.ts")];
  // The tree was found (a wrong root would scan nothing and pass).
  assert.ok(files.length >= 40, `only ${files.length} files found`);
  assert.ok(files.some((f) => f.endsWith(join("adapters", "plugn.ts"))));
  const found: string[] = [];
  for (const file of files) {
    for (const v of scanSource(readFileSync(file, "utf8"))) {
      found.push(`${relative(REPO, file)}:${v.line}: ${v.rule}: ${v.text}`);
    }
  }
  assert.deepEqual(found, []);
});
