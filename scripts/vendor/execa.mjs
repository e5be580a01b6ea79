// Own bundle for execa (see scripts/build.mjs).
export { execa } from "execa";
