import type Dockerode from "dockerode";
import type { Readable } from "node:stream";
import { DokkuError } from "../core/errors.ts";

/**
 * The Docker engine, through dockerode. Imported lazily so that triggers
 * which never touch Docker do not pay for loading it.
 */
let client: Promise<Dockerode> | undefined;

export function docker(): Promise<Dockerode> {
  client ??= Promise.all([import("dockerode"), import("node:http")]).then(([{ default: Docker }, { Agent }]) => {
    const timeout = Number(process.env["DOKKU_PS_DOCKER_TIMEOUT_MS"] ?? "") || 60_000;
    const d = new Docker({ timeout });
    // Over the local socket (plain HTTP), an agent with the TLS server name
    // already given: Node's default agent works it out for every request
    // with net.isIP("localhost"), whose first call compiles a large IPv6
    // regular expression (~17 ms of a trigger's CPU on a small host).
    const modem = d.modem as { socketPath?: unknown; agent?: unknown };
    // docker-modem's socketPath is a path, or (no DOCKER_HOST, or a bare unix://)
    // a function that prefers the caller's $HOME/.docker/run/docker.sock, found
    // by an fs.access that delays every first request. The docker CLI Dokku
    // runs uses /var/run/docker.sock there, whoever calls: so do we.
    if (typeof modem.socketPath === "function") modem.socketPath = "/var/run/docker.sock";
    if (modem.socketPath && modem.agent === undefined) modem.agent = new Agent({ servername: "" } as ConstructorParameters<typeof Agent>[0]);
    return d;
  });
  return client;
}

const ENGINE_DOWN = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/** True for the engine's "no such object" answers. */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}

/**
 * Turns an engine fault into the one-line error operators see; lets Dokku
 * errors through untouched.
 */
export function engineError(error: unknown): Error {
  if (error instanceof DokkuError) return error;
  const e = error as { code?: string; message?: string; statusCode?: number; json?: { message?: string } };
  const socket = process.env["DOCKER_HOST"] ?? "/var/run/docker.sock";
  if ((e.code && ENGINE_DOWN.has(e.code)) || /timeout/i.test(e.message ?? "")) {
    return new DokkuError(`Docker engine is not reachable at ${socket} (${e.code ?? e.message})`);
  }
  const detail = e.json?.message ?? e.message ?? String(error);
  return new DokkuError(`Docker engine error: ${detail.trim()}`);
}

/** Runs an engine call, mapping faults to DokkuError. */
export async function withEngine<T>(fn: (d: Dockerode) => Promise<T>): Promise<T> {
  try {
    return await fn(await docker());
  } catch (error) {
    throw engineError(error);
  }
}

export interface ImageFacts {
  id: string;
  workingDir: string;
}

export async function inspectImage(image: string): Promise<ImageFacts | undefined> {
  return withEngine(async (d) => {
    try {
      const info = await d.getImage(image).inspect();
      return { id: info.Id, workingDir: info.Config?.WorkingDir ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  });
}

export type StreamOf = Readable;
