import { DokkuError, USAGE_EXIT } from "./errors.ts";

export type Concurrency = { mode: "serial" } | { mode: "parallel"; workers: number; fromCpuCount: boolean };

/**
 * Reads `--parallel` as Dokku does: 0 (default) and 1 run serially, -1 means
 * one worker per CPU, anything below -1 is an error; a non-integer is a
 * usage error (pflag's exit 2).
 */
export function parseParallel(raw: string | undefined, cpuCount: number): Concurrency {
  if (raw === undefined) return { mode: "serial" };
  if (!/^-?[0-9]{1,18}$/.test(raw)) {
    throw new DokkuError(`invalid argument "${raw}" for "--parallel" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`, USAGE_EXIT);
  }
  const n = Number(raw);
  if (n < -1) throw new DokkuError(`Invalid value ${n} for --parallel flag`);
  if (n === -1) return { mode: "parallel", workers: Math.max(1, cpuCount), fromCpuCount: true };
  if (n <= 1) return { mode: "serial" };
  return { mode: "parallel", workers: n, fromCpuCount: false };
}
