import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  MASK,
  dokkuEnvEntry,
  maskString,
  maskText,
  pythonJsonDumps,
  sanitizeInspect,
  secretsFrom,
} from "../../src/core/inspect-sanitize.ts";

test("Dokku's Config.Env rule: kept prefixes verbatim, others KEY=XXXXXX", () => {
  for (const kept of ["CACHE_PATH=/cache", "DOCKER_X=1", "DOKKU_APP_RESTORE=1", "DYNO=web.1", "PATH=/bin", "PORT=5000", "USER=app"]) {
    assert.equal(dokkuEnvEntry(kept), kept);
  }
  assert.equal(dokkuEnvEntry("SECRET=abc=def"), "SECRET=XXXXXX");
  assert.equal(dokkuEnvEntry("EMPTY="), "EMPTY=XXXXXX");
  assert.equal(dokkuEnvEntry("PATHX=/x"), "PATHX=XXXXXX");
  assert.equal(dokkuEnvEntry("no-equals"), MASK);
});

test("secrets: >= 4 chars are masked as substrings, longest first; shorter only on whole-value equality", () => {
  const s = secretsFrom(["hunter2", "hunter2-extended", "1", "ab", "", "1"]);
  assert.deepEqual(s.long, ["hunter2-extended", "hunter2"]);
  assert.deepEqual([...s.short].sort(), ["1", "ab"]);
  assert.equal(maskString("pw=hunter2-extended;", s), `pw=${MASK};`);
  assert.equal(maskString("a hunter2 b hunter2", s), `a ${MASK} b ${MASK}`);
  assert.equal(maskString("1", s), MASK);
  assert.equal(maskString("ab", s), MASK);
  // A short value inside a longer string is left alone...
  assert.equal(maskString("web.1", s), "web.1");
  assert.equal(maskString("abc", s), "abc");
  // ...except as the whole value after some "=".
  assert.equal(maskString("DOKKU_APP_RESTORE=1", s), `DOKKU_APP_RESTORE=${MASK}`);
  assert.equal(maskString("--label=x=ab", s), `--label=x=${MASK}`);
  assert.equal(maskText("err: hunter2 and 1", s), `err: ${MASK} and 1`);
});

test("code-point length decides short vs long", () => {
  const s = secretsFrom(["😀😀😀"]);
  assert.equal(s.long.length, 0);
  assert.equal(maskString("x😀😀😀x", s), "x😀😀😀x");
  assert.equal(maskString("😀😀😀", s), MASK);
});

test("sanitizeInspect masks secrets everywhere: env (also kept entries), labels, keys, cmd, nested", () => {
  const secret = "s3cr3t-value";
  const input = [
    {
      Id: "abc",
      Path: `/bin/${secret}`,
      Args: ["-c", "sleep 1", secret],
      Config: {
        Env: [`API_KEY=${secret}`, `DOKKU_LEAK=${secret}`, "DOKKU_APP_RESTORE=1", "DYNO=web.1", "PORT=5000"],
        Cmd: ["sh", "-c", "sleep 86400", secret],
        Entrypoint: null,
        Labels: { x: secret, [secret]: "v", "com.dokku.dyno": "web.1" },
      },
      Deep: [[{ a: `prefix ${secret} suffix` }]],
      Num: 1,
    },
  ];
  const copy = structuredClone(input);
  const out = sanitizeInspect(input, secretsFrom([secret, "1"])) as any[];
  assert.deepEqual(input, copy, "input untouched");
  const text = JSON.stringify(out);
  assert.ok(!text.includes(secret), text);
  const c = out[0];
  assert.deepEqual(c.Config.Env, ["API_KEY=XXXXXX", "DOKKU_LEAK=XXXXXX", "DOKKU_APP_RESTORE=XXXXXX", "DYNO=web.1", "PORT=5000"]);
  assert.deepEqual(c.Config.Cmd, ["sh", "-c", "sleep 86400", MASK]);
  assert.equal(c.Config.Labels.x, MASK);
  assert.equal(c.Config.Labels[MASK], "v");
  assert.equal(c.Config.Labels["com.dokku.dyno"], "web.1");
  assert.equal(c.Path, `/bin/${MASK}`);
  assert.equal(c.Deep[0][0].a, `prefix ${MASK} suffix`);
  assert.equal(c.Num, 1);
  assert.equal(c.Config.Entrypoint, null);
});

test("two keys masked to the same text both stay", () => {
  const out = sanitizeInspect([{ Config: { Labels: { "k-secret1": "a", "k-secret2": "b" } } }], secretsFrom(["secret1", "secret2"])) as any[];
  assert.deepEqual(Object.values(out[0].Config.Labels).sort(), ["a", "b"]);
});

test("no secrets: only Dokku's env rule applies", () => {
  const out = sanitizeInspect([{ Config: { Env: ["A=b", "PORT=1"] } }], secretsFrom([])) as any[];
  assert.deepEqual(out[0].Config.Env, ["A=XXXXXX", "PORT=1"]);
});

test("pythonJsonDumps is byte-equal to json.dumps(v, sort_keys=True, indent=4)", () => {
  const value = [
    {
      b: [],
      a: {},
      Z: [1, { y: null, x: true }],
      s: 'é "q" \\ \n\t\u0001\u007f😀/',
      n: -3,
      f: false,
      k: { ä: 1, a: 2, B: 3 },
    },
  ];
  // Produced by CPython 3 from the same value.
  const golden = readFileSync(new URL("./fixtures/python-json-dumps.txt", import.meta.url), "utf8");
  assert.equal(`${pythonJsonDumps(value)}\n`, golden);
  assert.equal(pythonJsonDumps([]), "[]");
  assert.equal(pythonJsonDumps({}), "{}");
});
