import { test } from "node:test";
import assert from "node:assert/strict";
import { isImageReference } from "../../src/core/image-reference.ts";

test("image references other plugins pass are accepted", () => {
  for (const image of [
    "dokku/app:latest",
    "dokku/my-app.v2:20210101",
    "busybox",
    "registry.example.com:5000/team/app:v1.2",
    "localhost:5000/a__b/c-d",
    `dokku/app@sha256:${"a".repeat(64)}`,
    `sha256:${"0".repeat(64)}`,
    "0".repeat(64),
  ]) {
    assert.ok(isImageReference(image), image);
  }
});

test("anything that could leave the engine's /images/<name> path, or is no reference, is refused", () => {
  for (const image of ["", "-x", "../containers/json", "dokku/../x", "/abs", "a b", "Dokku/UPPER", "app:", "app:-tag", "a?x=1", "a#b", "a//b", "a/", `a:${"t".repeat(129)}`, "x".repeat(600)]) {
    assert.ok(!isImageReference(image), JSON.stringify(image));
  }
});
