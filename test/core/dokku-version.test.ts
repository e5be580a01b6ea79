import { test } from "node:test";
import assert from "node:assert/strict";
import { SUPPORTED_DOKKU_SERIES, dokkuVersionProblem, isSupportedDokku, parseDokkuVersion, supportedRange } from "../../src/core/dokku-version.ts";

test("VERSION texts as Dokku writes them are read; anything else is not a version", () => {
  assert.deepEqual(parseDokkuVersion("v0.24.10\n"), { major: 0, minor: 24, patch: 10 });
  assert.deepEqual(parseDokkuVersion("0.24.10"), { major: 0, minor: 24, patch: 10 }, "STABLE_VERSION's form");
  assert.deepEqual(parseDokkuVersion("v0.31.5"), { major: 0, minor: 31, patch: 5 });
  assert.deepEqual(parseDokkuVersion("v0.35.0-rc1"), { major: 0, minor: 35, patch: 0 });
  for (const bad of ["", "\n", "v0.24", "0.24.x", "dokku version 0.24.10", "v0.24.10 extra", "master"]) {
    assert.equal(parseDokkuVersion(bad), undefined, JSON.stringify(bad));
  }
});

test("0.24.x and 0.30.x–0.38.x are supported; the list is the one place that says so", () => {
  assert.deepEqual(SUPPORTED_DOKKU_SERIES, ["0.24", "0.30", "0.31", "0.32", "0.33", "0.34", "0.35", "0.36", "0.37", "0.38"]);
  for (const v of ["v0.24.0", "v0.24.10", "v0.24.99", "v0.30.0", "v0.31.5", "v0.35.20", "v0.38.27"]) assert.ok(isSupportedDokku(parseDokkuVersion(v)!), v);
  for (const v of ["v0.23.9", "v0.25.0", "v0.29.4", "v0.39.0", "v1.24.10", "v0.2.4"]) assert.ok(!isSupportedDokku(parseDokkuVersion(v)!), v);
  assert.equal(supportedRange(), "0.24.x and 0.30.x–0.38.x");
});

test("the range reads well when the list grows", () => {
  const later = ["0.24", ...Array.from({ length: 9 }, (_, i) => `0.${30 + i}`)];
  assert.equal(supportedRange(later), "0.24.x and 0.30.x–0.38.x");
  assert.equal(supportedRange(["0.30", "0.24", "0.31", "0.33"]), "0.24.x, 0.30.x–0.31.x and 0.33.x");
  assert.ok(isSupportedDokku(parseDokkuVersion("v0.31.5")!, later));
  assert.equal(dokkuVersionProblem("v0.31.5\n", "/var/lib/dokku/VERSION", later), undefined);
  assert.equal(dokkuVersionProblem("v0.39.0", "/var/lib/dokku/VERSION", later), "dokku-ps supports Dokku 0.24.x and 0.30.x–0.38.x; this host runs 0.39.0");
});

test("one line naming what was found and what is supported", () => {
  const file = "/var/lib/dokku/VERSION";
  assert.equal(dokkuVersionProblem("v0.24.10\n", file), undefined);
  assert.equal(dokkuVersionProblem("v0.31.5\n", file), undefined);
  assert.equal(dokkuVersionProblem("v0.29.4\n", file), "dokku-ps supports Dokku 0.24.x and 0.30.x–0.38.x; this host runs 0.29.4");
  assert.equal(dokkuVersionProblem(undefined, file), "dokku-ps supports Dokku 0.24.x and 0.30.x–0.38.x; this host has no /var/lib/dokku/VERSION (is Dokku installed with DOKKU_LIB_ROOT there?)");
  assert.equal(dokkuVersionProblem("garbage\n", file), 'dokku-ps supports Dokku 0.24.x and 0.30.x–0.38.x; /var/lib/dokku/VERSION does not hold a Dokku version: "garbage"');
  for (const text of [undefined, "v0.39.0", "x".repeat(500), "a\nb"]) {
    const line = dokkuVersionProblem(text, file) as string;
    assert.ok(!line.includes("\n") && line.length < 200, JSON.stringify(line));
  }
});
