import { test } from "node:test";
import assert from "node:assert/strict";
import { parseProcfile, procfileCommand } from "../../src/core/procfile.ts";

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
