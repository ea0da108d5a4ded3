/**
 * Prefect 1's own configuration files, read where Prefect reads them: the user config
 * (`$PREFECT__USER_CONFIG_PATH`, default `~/.prefect/config.toml`) and the backend config
 * (`$PREFECT__BACKEND_CONFIG_PATH`, default `~/.prefect/backend.toml`, which
 * `prefect backend server` writes). What they mean is @runview/core's `prefectApiSettings`.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PREFECT_CONFIG_PATH_VARIABLES, type PrefectSettingsSources, type TomlTable } from '@runview/core';
import { parse } from 'smol-toml';
import { UsageError } from '../errors.js';

/** `~` and `$VARIABLE`s in a configured path, as Prefect expands them. */
function expandPath(path: string, env: Readonly<Record<string, string | undefined>>, home: string): string {
  const expanded = path.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, bare: string | undefined, braced: string | undefined) => env[bare ?? braced ?? ''] ?? whole);
  return expanded === '~' || expanded.startsWith('~/') ? join(home, expanded.slice(1)) : expanded;
}

async function readToml(file: string): Promise<TomlTable | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // Prefect reads a file only when it is there.
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    throw new UsageError(`Cannot read Prefect's settings in ${file}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`, {
      cause: error,
    });
  }
}

/** The environment and Prefect's two config files, parsed. */
export async function readPrefectSettings(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): Promise<PrefectSettingsSources> {
  const user = expandPath(env[PREFECT_CONFIG_PATH_VARIABLES.user] ?? '~/.prefect/config.toml', env, home);
  const backend = expandPath(env[PREFECT_CONFIG_PATH_VARIABLES.backend] ?? '~/.prefect/backend.toml', env, home);
  const [userConfig, backendConfig] = await Promise.all([readToml(user), readToml(backend)]);
  return { env, userConfig, backendConfig };
}
