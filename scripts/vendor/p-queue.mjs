// Own bundle for p-queue (see scripts/build.mjs).
export { default } from "p-queue";
