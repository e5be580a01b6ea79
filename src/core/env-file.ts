/**
 * The config plugin's ENV file: one `export KEY='value'` line per variable,
 * single quotes escaped as '\''. ps reads it for DOKKU_APP_RESTORE and to
 * know which values are secrets; it writes DOKKU_APP_RESTORE the way Dokku's
 * own ps does (directly, without a restart).
 */
export type EnvMap = Map<string, string>;

const LINE = /^export ([A-Za-z_][A-Za-z0-9_]*)='((?:[^']|'\\'')*)'$/;

export function parseEnvFile(text: string): EnvMap {
  const env: EnvMap = new Map();
  // Values may contain newlines, so match whole `export` statements, not lines.
  const statements = text.split(/\n(?=export )/);
  for (const statement of statements) {
    const trimmed = statement.replace(/\n+$/, "");
    const match = LINE.exec(trimmed.replace(/\n/g, "\u0000"));
    if (!match) continue;
    env.set(match[1] as string, (match[2] as string).replace(/\u0000/g, "\n").replace(/'\\''/g, "'"));
  }
  return env;
}

export function serializeEnvFile(env: EnvMap): string {
  return [...env.keys()]
    .sort()
    .map((key) => `export ${key}='${(env.get(key) as string).replace(/'/g, "'\\''")}'\n`)
    .join("");
}
