// Own bundle for tar-stream (see scripts/build.mjs).
import tar from "tar-stream";
export const extract = tar.extract;
export const pack = tar.pack;
