import { join } from "node:path";
import { parseEnvFile, serializeEnvFile, type EnvMap } from "../core/env-file.ts";
import { readIfExists, writeFileAtomic } from "./files.ts";
import { ENV_FILE, type DokkuPaths } from "./paths.ts";

/**
 * The config plugin's ENV files, read directly as Dokku's Go plugins do
 * (spawning `dokku config:get` per value would cost a bash start each time).
 */
export class ConfigStore {
  constructor(private readonly paths: DokkuPaths) {}

  appEnv(app: string): EnvMap {
    return parseEnvFile(readIfExists(this.paths.appFile(app, ENV_FILE)) ?? "");
  }

  globalEnv(): EnvMap {
    return parseEnvFile(readIfExists(join(this.paths.dokkuRoot, ENV_FILE)) ?? "");
  }

  /** App value, else global value, else undefined. */
  get(app: string, key: string): string | undefined {
    return this.appEnv(app).get(key) ?? this.globalEnv().get(key);
  }

  /** Sets one app variable without restarting anything (Dokku's `--no-restart`). */
  setApp(app: string, key: string, value: string): boolean {
    const env = this.appEnv(app);
    if (env.get(key) === value) return false;
    env.set(key, value);
    writeFileAtomic(this.paths.appFile(app, ENV_FILE), serializeEnvFile(env), 0o600);
    return true;
  }

  /** Removes one app variable without restarting anything; false when it was not set. */
  unsetApp(app: string, key: string): boolean {
    const env = this.appEnv(app);
    if (!env.delete(key)) return false;
    writeFileAtomic(this.paths.appFile(app, ENV_FILE), serializeEnvFile(env), 0o600);
    return true;
  }

  /** Sets (value) or removes (undefined) one variable of the global ENV ($DOKKU_ROOT/ENV). */
  setGlobal(key: string, value: string | undefined): boolean {
    const env = this.globalEnv();
    if (value === undefined ? !env.has(key) : env.get(key) === value) return false;
    if (value === undefined) env.delete(key);
    else env.set(key, value);
    writeFileAtomic(join(this.paths.dokkuRoot, ENV_FILE), serializeEnvFile(env), 0o600);
    return true;
  }

  /** The app's scheduler: config DOKKU_SCHEDULER (app, then global), default docker-local. */
  scheduler(app: string): string {
    return this.get(app, "DOKKU_SCHEDULER") || "docker-local";
  }
}
