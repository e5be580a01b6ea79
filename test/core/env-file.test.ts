import assert from "node:assert/strict";
import test from "node:test";
import {
  fromByteString,
  parseEnvFile,
  parseGodotenv,
  parseMultilineExportFile,
  readEnvFile,
  serializeEnvFile,
  toByteString,
  type EnvMap,
} from "../../src/core/env-file.ts";

/**
 * ENV files as Dokku 0.24.10 reads and writes them (godotenv v1.2.0). The
 * core works on byte strings; these helpers go from text maps to bytes and back.
 */
const bytesOf = (env: EnvMap): EnvMap => new Map([...env].map(([k, v]) => [toByteString(k), toByteString(v)]));
const textOf = (env: EnvMap): EnvMap => new Map([...env].map(([k, v]) => [fromByteString(k), fromByteString(v)]));
const serialize = (env: EnvMap): string => fromByteString(serializeEnvFile(bytesOf(env)));
const parse = (text: string): EnvMap => textOf(parseEnvFile(toByteString(text)));

/**
 * An independent, deliberately plain godotenv v1.2.0 Marshal: for each
 * variable `KEY="…"` with Go's doubleQuoteEscape (the special characters
 * replaced one after the other, in Go's order), then the lines sorted by
 * their UTF-8 bytes (Go's sort.Strings) and joined with "\n".
 */
function oracleMarshal(env: EnvMap): string {
  const lines: Buffer[] = [];
  for (const [key, value] of env) {
    let v = value;
    for (const c of ["\\", "\n", "\r", '"', "!", "$", "`"]) {
      const replacement = c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\" + c;
      v = v.split(c).join(replacement);
    }
    lines.push(Buffer.from(`${key}="${v}"`, "utf8"));
  }
  lines.sort(Buffer.compare);
  return lines.map((l) => l.toString("utf8")).join("\n");
}

/** mulberry32: small, seeded, good enough to explore inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env["ENV_FILE_SEED"] ?? Date.now() % 2 ** 31);
const CASES = 600;

// Everything the issue lists, plus things a parser could trip on. No `#`
// (godotenv 1.2.0 itself does not read every value with a `#` back, see below).
const PIECES = [
  " ", "  ", '"', "'", "$", "!", "`", "\\", "\n", "\r", "\r\n", "=", ":", "é", "日本語", "😀", "\u2028", "\t",
  "\\n", "\\\\", "\\\"", "${HOME}", "$(id)", "`id`", "export ", "a", "Z", "0", "value", "x=y", "'\\''", "\"\"", "''",
];
const FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
const REST = FIRST + "0123456789";

function randomKey(rand: () => number): string {
  for (;;) {
    let key = FIRST[Math.floor(rand() * FIRST.length)] as string;
    const length = Math.floor(rand() * 12);
    for (let i = 0; i < length; i++) key += REST[Math.floor(rand() * REST.length)];
    // godotenv 1.2.0 strips an `export` prefix from any key (see the fixed case below).
    if (!key.startsWith("export")) return key;
  }
}

function randomValue(rand: () => number, pieces: readonly string[]): string {
  if (rand() < 0.1) return "";
  let value = "";
  const length = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < length; i++) value += pieces[Math.floor(rand() * pieces.length)];
  return value;
}

function randomEnv(rand: () => number, pieces: readonly string[]): EnvMap {
  const env: EnvMap = new Map();
  const size = Math.floor(rand() * 12);
  for (let i = 0; i < size; i++) env.set(randomKey(rand), randomValue(rand, pieces));
  return env;
}

function withSeed(what: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    (error as Error).message = `${what} (ENV_FILE_SEED=${SEED}): ${(error as Error).message}`;
    throw error;
  }
}

test(`property: serialize is godotenv Marshal and parse(serialize(m)) == m (${CASES} random maps)`, () => {
  const rand = prng(SEED);
  for (let i = 0; i < CASES; i++) {
    const env = randomEnv(rand, PIECES);
    withSeed(`case ${i} ${JSON.stringify([...env])}`, () => {
      const text = serialize(env);
      assert.equal(text, oracleMarshal(env));
      assert.ok(!text.endsWith("\n"), "no final newline");
      for (const line of text ? text.split("\n") : []) assert.match(line, /^[A-Za-z_][A-Za-z0-9_]*="/, "KEY=\"…\" lines, no export");
      assert.deepEqual(parse(text), env);
      // Changing one variable keeps every other one byte for byte.
      const changed = new Map(parse(text));
      changed.set("DOKKU_APP_RESTORE", rand() < 0.5 ? "0" : "1");
      const after = parse(serialize(changed));
      for (const [k, v] of env) if (k !== "DOKKU_APP_RESTORE") assert.equal(after.get(k), v, k);
    });
  }
});

test(`property: old \`export KEY='value'\` files read as godotenv 1.2.0 reads them (${CASES} random files)`, () => {
  // What older Dokku wrote: `export KEY='value'`, the value as typed (no escaping).
  // godotenv reads the quotes off; values without `\`, newline, CR or `#` come back unchanged.
  const oldPieces = PIECES.filter((p) => !/[\\\n\r]/.test(p));
  const rand = prng(SEED ^ 0x5bd1e995);
  for (let i = 0; i < CASES; i++) {
    const env = randomEnv(rand, oldPieces);
    const keys = [...env.keys()];
    const text = keys.map((k) => `export ${k}='${env.get(k)}'\n`).join("");
    withSeed(`case ${i} ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parse(text), env);
      // Rewriting it (as any config change does) keeps every variable.
      assert.deepEqual(parse(serialize(parse(text))), env);
    });
  }
});

test("the issue's examples", () => {
  // What `config:set --no-restart rdps FOO=bar SECRET_KEY=s3cr3t` left on the real host
  // (Debian's godotenv 1.5.1 writes integers unquoted), then what ps must make of it.
  const real = "DOKKU_APP_RESTORE=1\nFOO=\"bar\"\nSECRET_KEY=\"s3cr3t\"";
  assert.deepEqual(parse(real), new Map([["DOKKU_APP_RESTORE", "1"], ["FOO", "bar"], ["SECRET_KEY", "s3cr3t"]]));
  const stopped = new Map(parse(real)).set("DOKKU_APP_RESTORE", "0");
  assert.equal(serialize(stopped), 'DOKKU_APP_RESTORE="0"\nFOO="bar"\nSECRET_KEY="s3cr3t"');
  // dokku-ps's old output and the file older Dokku left are read too.
  assert.deepEqual(parse("export DOKKU_APP_RESTORE='0'\n"), new Map([["DOKKU_APP_RESTORE", "0"]]));
  assert.deepEqual(
    parse("export DOKKU_APP_TYPE='dockerfile'\nexport GIT_REV='3f1c'\nexport DOKKU_DISABLE_PROXY='1'\n"),
    new Map([["DOKKU_APP_TYPE", "dockerfile"], ["GIT_REV", "3f1c"], ["DOKKU_DISABLE_PROXY", "1"]]),
  );
  // Every special character of the issue in one value.
  const all = `sp ace "dq" 'sq' $HOME !bang \`tick\` back\\slash\nnew\rcr a=b ünï😀`;
  const text = serialize(new Map([["ALL", all], ["EMPTY", ""]]));
  assert.equal(text, 'ALL="sp ace \\"dq\\" \'sq\' \\$HOME \\!bang \\`tick\\` back\\\\slash\\nnew\\rcr a=b ünï😀"\nEMPTY=""');
  assert.deepEqual(parse(text), new Map([["ALL", all], ["EMPTY", ""]]));
});

test("lines sort by bytes, as Go's sort.Strings on the lines (not on the keys)", () => {
  // `A0=` sorts before `A=` because '0' (0x30) < '=' (0x3d).
  assert.equal(serialize(new Map([["A", "1"], ["A0", "2"], ["B", ""], ["_", "x"], ["a", "y"]])), 'A0="2"\nA="1"\nB=""\na="y"\n_="x"'.split("\n").sort().join("\n"));
  assert.equal(serialize(new Map([["A", "1"], ["A0", "2"]])), 'A0="2"\nA="1"');
  assert.equal(serialize(new Map()), "");
});

test("godotenv 1.2.0 reading rules", () => {
  const cases: [string, [string, string][]][] = [
    ["A=plain\nB= spaced \nC='single \\' q'\nD=\"x\\ty\"", [["A", "plain"], ["B", "spaced"], ["C", "single ' q"], ["D", "xty"]]],
    ["\n  \n\t\n# comment\n  # indented comment\nA=1\n", [["A", "1"]]],
    ["A=1\r\nB=\"2\"\r\n", [["A", "1"], ["B", "2"]]],
    ["A=1 # trailing comment\nB=\"x # kept\"", [["A", "1"], ["B", "x # kept"]]],
    ["A: yaml\nB: \"q\"", [["A", "yaml"], ["B", "q"]]],
    ["export A=1\nexport   B = 2 \nexportC=3", [["A", "1"], ["B", "2"], ["C", "3"]]],
    ["A=1\nA=2", [["A", "2"]]],
    ["A='unbalanced\nB=\"x'", [["A", "'unbalanced"], ["B", "\"x'"]]],
    ["A=\"\\n\\r\\\\\\$\"", [["A", "\n\r\\$"]]],
    ["A=a=b=c\nB=http://h:1/p", [["A", "a=b=c"], ["B", "http://h:1/p"]]],
    // Keys Dokku drops (it would also rewrite the file without them).
    ["A B=1\n=2\n1A=3\nOK=4\n\tTAB=5", [["OK", "4"]]],
    ["A=\"", [["A", "\""]]],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parse(text), new Map(expected), JSON.stringify(text));
});

test("godotenv 1.2.0's quirks are kept: Dokku itself reads these values so", () => {
  // A key that starts with `export` loses it.
  assert.deepEqual(parse(serialize(new Map([["exportFOO", "1"]]))), new Map([["FOO", "1"]]));
  // Comment removal counts quotes per `#` segment: a segment without a quote between two `#` is dropped.
  assert.equal(serialize(new Map([["A", "a#b'c#d#e"]])), 'A="a#b\'c#d#e"');
  assert.deepEqual(parse('A="a#b\'c#d#e"'), new Map([["A", "a#b'c#e"]]));
  assert.deepEqual(parse('A="x#y"'), new Map([["A", "x#y"]]));
  // The old format's '\'' escape is not undone by godotenv: `it'\''s` reads as `it'''s`.
  assert.deepEqual(parse("export A='it'\\''s'"), new Map([["A", "it'''s"]]));
});

test("a file godotenv cannot read: Dokku sees no variable, and the error says why", () => {
  for (const text of ["A=1\nnot a pair\nB=2", "export A='multi\nline'\nB=2\n", "A=1\n" + "B=" + "x".repeat(65534) + "\n"]) {
    const result = readEnvFile(toByteString(text));
    assert.equal(result.env.size, 0, JSON.stringify(text.slice(0, 40)));
    assert.ok(result.error, "error reported");
  }
  // godotenv's own Parse stops at the bad line (Read then returns nothing).
  assert.deepEqual(parseGodotenv("A=1\nnot a pair\nB=2"), { env: new Map([["A", "1"]]), error: "line 2: Can't separate key from value" });
  // 65535 bytes is the longest line bufio.Scanner accepts.
  assert.equal(readEnvFile("B=" + "x".repeat(65533)).error, undefined);
  assert.match(readEnvFile("B=" + "x".repeat(65534)).error ?? "", /line 1: token too long/);
  assert.match(readEnvFile("A=1\nnope").error ?? "", /line 2: Can't separate key from value/);
});

test("bytes that are not UTF-8 survive a rewrite unchanged", () => {
  const bytes = 'A="\xff\xfe"\nB="ok"';
  const env = parseEnvFile(bytes);
  env.set("C", "1");
  assert.equal(serializeEnvFile(env), 'A="\xff\xfe"\nB="ok"\nC="1"');
});

test(`property: old \`export\` files whose values span lines keep every variable (${CASES} random files)`, () => {
  // Older Dokku wrote `export KEY='value'` with the value as typed, newlines
  // included; godotenv 1.2.0 cannot read such a file (Dokku would then lose
  // every variable). Values here have no backslash and no line starting `export `.
  const pieces = [...PIECES.filter((p) => !/[\\\r]/.test(p) && !p.startsWith("export")), "\n", "line one\nline two", "'", "it's"];
  const rand = prng(SEED ^ 0x2545f491);
  for (let i = 0; i < CASES; i++) {
    const env = randomEnv(rand, pieces);
    const text = [...env.keys()].map((k) => `export ${k}='${env.get(k)}'\n`).join("");
    withSeed(`case ${i} ${JSON.stringify(text)}`, () => {
      const read = readEnvFile(toByteString(text));
      assert.equal(read.error, undefined);
      assert.deepEqual(textOf(read.env), env);
      assert.deepEqual(textOf(parseEnvFile(serializeEnvFile(read.env))), env, "a rewrite keeps them");
    });
  }
  assert.deepEqual(parse("export A='multi\nline'\nexport B='it's'\n"), new Map([["A", "multi\nline"], ["B", "it's"]]));
  assert.equal(parseMultilineExportFile("export A='x\ny'\nB=1\n"), undefined, "only files that are all export statements");
  assert.equal(parseMultilineExportFile("export A='x'\nexport B='y'\n"), undefined, "one-line values: read as godotenv reads them");
});
