// Own bundle for dockerode (see scripts/build.mjs).
export { default } from "dockerode";
