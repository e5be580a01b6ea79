import { test } from "node:test";
import assert from "node:assert/strict";
import { envFileValue, expandLikeProcfileUtil, goExpand, parseProcfile, procfileCommand } from "../../src/core/procfile.ts";

test("parseProcfile reads types and commands, skipping comments and blanks", () => {
  const entries = parseProcfile("# comment\nweb: httpd -f -p $PORT\n\nworker:sleep 100\r\n");
  assert.deepEqual(entries, [
    { processType: "web", command: "httpd -f -p $PORT" },
    { processType: "worker", command: "sleep 100" },
  ]);
});

test("parseProcfile refuses a line that is not type: command, naming the line", () => {
  assert.throws(() => parseProcfile("web: ok\nthis is not a procfile line\n"), /line 2 is not of the form/);
  assert.throws(() => parseProcfile("web:\n"), /line 1/);
  assert.throws(() => parseProcfile("web: a\nweb: b\n"), /defined more than once/);
});

test("procfileCommand expands $PORT and ${PORT}", () => {
  const entries = parseProcfile("web: httpd -p $PORT --x=${PORT}\n");
  assert.equal(procfileCommand(entries, "web", 5000), "httpd -p 5000 --x=5000");
  assert.equal(procfileCommand(entries, "worker", 5000), undefined);
});

test("goExpand follows Go's os.Expand: names, braces, special one-character names, bad syntax eaten, a lone $ kept", () => {
  const map = (name: string): string => `<${name}>`;
  assert.equal(goExpand("no dollars", map), "no dollars");
  assert.equal(goExpand("$A_1x-y ${B c}", map), "<A_1x>-y <B c>");
  assert.equal(goExpand("$$ $1 ${@} $*", map), "<$> <1> <@> <*>");
  assert.equal(goExpand("a $ b $", map), "a $ b $");
  assert.equal(goExpand("x${}y ${unclosed", map), "xy unclosed");
  assert.equal(goExpand("${A:-def}", map), "<A:-def>");
});

test("expandLikeProcfileUtil: PORT and PS, the env file first, any other name empty, $( dropped as procfile-util 0.20 does", () => {
  const env = new Map([["FOO", "bar baz"], ["PORT", "4000"]]);
  const lookup = (name: string): string | undefined => env.get(name);
  assert.equal(expandLikeProcfileUtil("run --port $PORT --ps ${PS} $NOPE.", "web", 5001), "run --port 5001 --ps web .");
  assert.equal(expandLikeProcfileUtil("run $FOO --port $PORT", "web", 5001, lookup), "run bar baz --port 4000");
  assert.equal(expandLikeProcfileUtil("echo $(date) $((1+2))", "web", 5000), "echo date) (1+2))");
  assert.equal(expandLikeProcfileUtil("'$FOO' \\$FOO", "web", 5000, lookup), "'bar baz' \\bar baz");
});

test("envFileValue: what godotenv 1.5's Marshal makes of a value that Go's Atoi reads as an integer", () => {
  assert.equal(envFileValue("007"), "7");
  assert.equal(envFileValue("+5"), "5");
  assert.equal(envFileValue("-0"), "0");
  assert.equal(envFileValue("99999999999999999999"), "99999999999999999999");
  assert.equal(envFileValue("1.5"), "1.5");
  assert.equal(envFileValue("x7"), "x7");
});
