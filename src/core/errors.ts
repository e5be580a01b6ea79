/**
 * The one error type of dokku-ps. It carries the message an operator sees
 * (printed by the edge as ` !     <message>`) and the process exit code.
 * Anything that is not a DokkuError is a bug and is shown with its stack.
 */
export class DokkuError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "DokkuError";
    this.exitCode = exitCode;
  }
}

/** Dokku's Go plugins give "app does not exist" its own exit code. */
export const APP_NOT_FOUND_EXIT = 20;

/** pflag's exit code for an argument it cannot parse. */
export const USAGE_EXIT = 2;

export function isDokkuError(error: unknown): error is DokkuError {
  return error instanceof DokkuError;
}
