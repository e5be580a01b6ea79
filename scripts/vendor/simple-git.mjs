// Own bundle for simple-git (see scripts/build.mjs).
export { simpleGit } from "simple-git";
