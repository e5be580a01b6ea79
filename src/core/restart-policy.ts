import { DokkuError } from "./errors.ts";

/** Docker restart policy as `ps:set <app> restart-policy` accepts it. */
export type RestartPolicy = string;

export const DEFAULT_RESTART_POLICY: RestartPolicy = "on-failure:10";

const FIXED = new Set(["no", "always", "unless-stopped", "on-failure"]);
const ON_FAILURE_N = /^on-failure:([1-9][0-9]{0,5})$/;

/**
 * Dokku accepts anything after `on-failure:`; we require a positive
 * retry count (Docker rejects the rest only later, at container create,
 * which would fail a deploy instead of the command that caused it).
 */
export function assertRestartPolicy(value: string): RestartPolicy {
  if (FIXED.has(value) || ON_FAILURE_N.test(value)) return value;
  throw new DokkuError("Invalid restart-policy specified");
}

/** The shape docker's API wants: `{ Name, MaximumRetryCount }`. */
export function toDockerRestartPolicy(policy: RestartPolicy): { Name: string; MaximumRetryCount: number } {
  const match = ON_FAILURE_N.exec(policy);
  if (match) return { Name: "on-failure", MaximumRetryCount: Number(match[1]) };
  return { Name: policy, MaximumRetryCount: 0 };
}

/** Inverse of toDockerRestartPolicy for comparing a container with the wanted policy. */
export function fromDockerRestartPolicy(p: { Name?: string; MaximumRetryCount?: number } | undefined): RestartPolicy {
  const name = p?.Name ?? "";
  if (name === "" ) return "no";
  if (name === "on-failure" && (p?.MaximumRetryCount ?? 0) > 0) return `on-failure:${p?.MaximumRetryCount}`;
  return name;
}

const RESTART_LINE = /^--restart[= ]/;

/**
 * The restart policy recorded in a DOCKER_OPTIONS_DEPLOY file (where
 * Dokku 0.24 keeps it), or undefined when none is recorded.
 */
export function restartPolicyFromDockerOptions(text: string): RestartPolicy | undefined {
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (RESTART_LINE.test(line)) return line.slice("--restart=".length).trim();
  }
  return undefined;
}

/**
 * DOCKER_OPTIONS_DEPLOY with every `--restart` line replaced by one for
 * `policy` (or removed when policy is undefined); lines sorted as Dokku
 * rewrites the file.
 */
export function withRestartPolicy(text: string, policy: RestartPolicy | undefined): string {
  const kept = text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !RESTART_LINE.test(l));
  if (policy !== undefined) kept.push(`--restart=${policy}`);
  kept.sort();
  return kept.map((l) => `${l}\n`).join("");
}
