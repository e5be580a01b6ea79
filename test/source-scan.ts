/**
 * Shared by the source scanners (test/no-shell.test.ts,
 * test/no-socket-stdin.test.ts): a small lexer that blanks comments and
 * string contents, and the list of source files under a directory.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Blanks out comments (keeping line numbers and string contents), so prose
 * such as "never a shell string" in a doc comment is not scanned. A small
 * lexer: enough for this code base's TypeScript (strings, template literals
 * with nested `${}`, regex literals are treated as code, which only makes
 * the scan stricter).
 */
export function stripComments(source: string): string {
  let out = "";
  let i = 0;
  const n = source.length;
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? n : end;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      // Copy the string verbatim (template `${}` bodies included: they are code,
      // but comments inside them are rare enough to ignore).
      let j = i + 1;
      while (j < n && source[j] !== c) {
        if (source[j] === "\\") j++;
        else if (c !== "`" && source[j] === "\n") break;
        j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Also blanks the contents of string and template literals (quotes kept), for rules about code only. */
export function stripStrings(code: string): string {
  let out = "";
  let i = 0;
  while (i < code.length) {
    const c = code[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < code.length && code[j] !== c) {
        if (code[j] === "\\") j++;
        else if (c !== "`" && code[j] === "\n") break;
        j++;
      }
      out += c + code.slice(i + 1, Math.min(j, code.length)).replace(/[^\n]/g, " ") + (j < code.length ? c : "");
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Every TypeScript/JavaScript file under `dir`, sorted. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) files.push(path);
  }
  return files;
}
