import { writeSync } from "node:fs";
import { exclaim, info1, info2, verbose } from "../core/output.ts";

/**
 * Writes synchronously so our lines interleave correctly with the output of
 * the trigger processes we spawn (they share our stdout).
 */
function write(fd: 1 | 2, text: string): void {
  let buffer = Buffer.from(text, "utf8");
  while (buffer.length > 0) {
    try {
      const n = writeSync(fd, buffer);
      buffer = buffer.subarray(n);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((error as NodeJS.ErrnoException).code === "EPIPE") return;
      throw error;
    }
  }
}

export const isQuiet = (): boolean => Boolean(process.env["DOKKU_QUIET_OUTPUT"]);
export const isTrace = (): boolean => Boolean(process.env["DOKKU_TRACE"]);

export const log = {
  out: (text: string): void => write(1, text),
  err: (text: string): void => write(2, text),
  /** `-----> text`, dropped in quiet mode. */
  info1Quiet: (text: string): void => {
    if (!isQuiet()) write(1, info1(text));
  },
  info1: (text: string): void => write(1, info1(text)),
  info2Quiet: (text: string): void => {
    if (!isQuiet()) write(1, info2(text));
  },
  verboseQuiet: (text: string): void => {
    if (!isQuiet()) write(1, verbose(text));
  },
  /** ` !     text` on stderr: warnings are never silenced. */
  warn: (text: string): void => write(2, exclaim(text)),
  /** ` ?     text` on stderr, only with DOKKU_TRACE. */
  debug: (text: string): void => {
    if (isTrace()) write(2, ` ?     ${text}\n`);
  },
};
