import { test } from "node:test";
import assert from "node:assert/strict";
import { codeCacheFileName, codeCacheKey, codeCacheUsable, type CodeCacheDirFacts } from "../../src/core/code-cache.ts";

const ownDir: CodeCacheDirFacts = { isDirectory: true, isSymbolicLink: false, uid: 999, mode: 0o40755 };

test("the cache dir is used by its owner only, never by root, never when others may write it", () => {
  assert.equal(codeCacheUsable(ownDir, 999), true);
  assert.equal(codeCacheUsable(ownDir, 0), false, "root");
  assert.equal(codeCacheUsable({ ...ownDir, uid: 0 }, 0), false, "root, even in root's own dir");
  assert.equal(codeCacheUsable(ownDir, 1000), false, "another user");
  assert.equal(codeCacheUsable(ownDir, undefined), false, "no uid (not POSIX)");
  assert.equal(codeCacheUsable(undefined, 999), false, "no dir");
  assert.equal(codeCacheUsable({ ...ownDir, mode: 0o40775 }, 999), false, "group-writable");
  assert.equal(codeCacheUsable({ ...ownDir, mode: 0o40757 }, 999), false, "world-writable");
  assert.equal(codeCacheUsable({ ...ownDir, mode: 0o40700 }, 999), true);
  assert.equal(codeCacheUsable({ ...ownDir, isDirectory: false }, 999), false, "a file");
  assert.equal(codeCacheUsable({ ...ownDir, isSymbolicLink: true, isDirectory: false }, 999), false, "a symlink");
});

test("one cache per command or trigger; none for anything else", () => {
  assert.equal(codeCacheKey(["subcommand", "report", "ps:report"]), "subcommand-report");
  assert.equal(codeCacheKey(["trigger", "post-deploy", "app"]), "trigger-post-deploy");
  assert.equal(codeCacheKey(["each", "restart", "ps:restart", "app"]), "each-restart");
  assert.equal(codeCacheKey(["version-check"]), undefined);
  assert.equal(codeCacheKey(["contract", "triggers"]), undefined);
  assert.equal(codeCacheKey(["commands", "help"]), undefined);
  assert.equal(codeCacheKey([]), undefined);
  assert.equal(codeCacheKey(["trigger"]), undefined);
  assert.equal(codeCacheKey(["trigger", "../../x"]), undefined, "no path in a name");
  assert.equal(codeCacheKey(["trigger", "a.b"]), undefined);
  assert.equal(codeCacheKey(["trigger", "Post-Deploy"]), undefined);
  assert.equal(codeCacheKey(["trigger", "x".repeat(65)]), undefined);
});

test("a cache file names the build, the Node, the arch, the command and the module", () => {
  assert.equal(
    codeCacheFileName("0123456789abcdef", "v20.20.2", "x64", "subcommand-report", "dockerode.cjs"),
    "0123456789abcdef.v20.20.2.x64.subcommand-report.dockerode.v8",
  );
  assert.notEqual(
    codeCacheFileName("0123456789abcdef", "v18.19.0", "x64", "subcommand-report", "main.cjs"),
    codeCacheFileName("0123456789abcdef", "v20.20.2", "x64", "subcommand-report", "main.cjs"),
  );
});
