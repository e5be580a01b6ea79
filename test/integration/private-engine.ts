/**
 * A Docker engine of a test's own (issue 15): a second dockerd with its own
 * socket, data root, exec root and pid file, all under one private temp dir,
 * no bridge and no iptables (its containers get no address, as the main
 * engine's). A test that must stop "the engine" stops this one, by the pid
 * it started, never the machine's engine or anything found by name.
 *
 *   const engine = await PrivateEngine.start();
 *   await engine.load(BASE_IMAGE);          // from the main engine
 *   process.env.DOCKER_HOST = engine.host;  // dokku-ps, host/ and the docker CLI follow it
 *   await engine.stop(); await engine.restart();
 *   await engine.destroy();                 // stops it, unmounts, removes the dir
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { tempDir } from "../temp.ts";

/** What reaches the main engine whatever DOCKER_HOST the test sets later. */
const MAIN_DOCKER_HOST = process.env["DOCKER_HOST"];

export class PrivateEngine {
  readonly dir: string;
  readonly socket: string;
  /** `unix://<socket>`, for DOCKER_HOST. */
  readonly host: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
    this.socket = join(dir, "docker.sock");
    this.host = `unix://${this.socket}`;
  }

  /** Starts a new engine and waits until it answers. */
  static async start(): Promise<PrivateEngine> {
    // Short prefix: the exec root holds containerd's socket (108-byte limit).
    const dir = tempDir("dokku-ps-engine-");
    // The Dokku user (docker group) reaches the socket through this dir.
    chmodSync(dir, 0o755);
    for (const sub of ["data", "exec"]) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, "daemon.json"), "{}\n");
    const engine = new PrivateEngine(dir);
    try {
      await engine.restart();
    } catch (error) {
      await engine.destroy();
      throw error;
    }
    return engine;
  }

  /** The pid of the running dockerd (undefined when stopped). */
  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** Starts dockerd again on the same data (a host coming back up). */
  async restart(): Promise<void> {
    if (this.pid !== undefined) throw new Error("private engine already running");
    const log = openSync(join(this.dir, "dockerd.log"), "a");
    const child = spawn(
      "dockerd",
      [
        `--host=${this.host}`,
        `--data-root=${join(this.dir, "data")}`,
        `--exec-root=${join(this.dir, "exec")}`,
        `--pidfile=${join(this.dir, "dockerd.pid")}`,
        // No daemon.json of the machine's engine: an empty config of its own.
        `--config-file=${join(this.dir, "daemon.json")}`,
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        // Containers get 2 s to stop when it goes down (its `sleep`s ignore SIGTERM).
        "--shutdown-timeout=2",
      ],
      { stdio: ["ignore", log, log], detached: true },
    );
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    for (let i = 0; i < 120; i++) {
      if (child.exitCode !== null) break;
      const info = await execa("docker", ["--host", this.host, "info", "--format", "{{.ServerVersion}}"], { reject: false });
      if (info.exitCode === 0) return;
      await new Promise((res) => setTimeout(res, 500));
    }
    const tail = readFileSync(join(this.dir, "dockerd.log"), "utf8").split("\n").slice(-15).join("\n");
    await this.stop();
    throw new Error(`private dockerd did not start:\n${tail}`);
  }

  /** Stops this engine (SIGTERM to the pid it was started as) and waits until the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Copies an image from the main engine into this one (`docker save | docker load` through a file). */
  async load(image: string): Promise<void> {
    const tar = join(this.dir, "image.tar");
    // From the main engine whatever DOCKER_HOST says by now.
    const { DOCKER_HOST: _current, ...rest } = process.env;
    const main = { ...rest, ...(MAIN_DOCKER_HOST ? { DOCKER_HOST: MAIN_DOCKER_HOST } : {}) };
    const save = await execa("docker", ["save", "-o", tar, image], { reject: false, env: main, extendEnv: false });
    if (save.exitCode !== 0) throw new Error(`docker save ${image}: ${save.stderr}`);
    const load = await execa("docker", ["--host", this.host, "load", "-q", "-i", tar], { reject: false });
    rmSync(tar, { force: true });
    if (load.exitCode !== 0) throw new Error(`docker load into the private engine: ${load.stderr}`);
  }

  /**
   * Stops the engine and removes its dir. The data root can hold overlay and
   * shm mounts (root's) if a container outlived the engine: they are
   * unmounted first, deepest first, then the tree is removed.
   */
  async destroy(): Promise<void> {
    await this.stop();
    for (const mount of mountsUnder(this.dir).reverse()) {
      await execa("umount", ["--lazy", mount], { reject: false });
    }
    const left = mountsUnder(this.dir);
    if (left.length) throw new Error(`still mounted under ${this.dir}: ${left.join(", ")}`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Mount points at or under `dir` in this process's mount namespace, in mount order. */
export function mountsUnder(dir: string): string[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => unescape(line.split(" ")[4] ?? ""))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}
