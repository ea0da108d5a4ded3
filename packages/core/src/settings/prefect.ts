/**
 * Where Prefect 1 itself would send its API calls, from the settings Prefect reads, in
 * Prefect's order: its defaults, then the user config (`~/.prefect/config.toml`), then the
 * backend config (`~/.prefect/backend.toml`, written by `prefect backend server|cloud`), then
 * `PREFECT__SECTION__KEY` environment variables; `${section.key}` references and `$VARIABLE`s
 * are expanded after merging, as Prefect does. The API is `cloud.api`, which is
 * `${${backend}.endpoint}` unless set: `server.endpoint` (`${server.host}:${server.port}`,
 * `http://localhost:4200` by default) or `cloud.endpoint` (`https://api.prefect.io`).
 *
 * Reading the files is the caller's job (this module runs in browsers too): pass their parsed
 * TOML. One deliberate difference: Prefect's default backend is `cloud`; here an unset backend
 * means `server`, as runview's own default is a local Prefect Server.
 */
import type { Environment } from '../client/config.js';

/** A parsed TOML document (tables are nested objects). */
export type TomlTable = Readonly<Record<string, unknown>>;

/** The sources of Prefect's settings, lowest precedence first. */
export interface PrefectSettingsSources {
  readonly env: Environment;
  /** `~/.prefect/config.toml` (or `$PREFECT__USER_CONFIG_PATH`), parsed; null when absent. */
  readonly userConfig?: TomlTable | null | undefined;
  /** `~/.prefect/backend.toml` (or `$PREFECT__BACKEND_CONFIG_PATH`), parsed; null when absent. */
  readonly backendConfig?: TomlTable | null | undefined;
}

/** The API Prefect's settings name, and the credentials they carry. */
export interface PrefectApiSettings {
  /** Prefect's `cloud.api`, as Prefect would POST to it (often without a path). */
  readonly url: string;
  readonly apiKey: string | null;
  readonly tenantId: string | null;
  /** The settings that decided the URL, for messages: `PREFECT__SERVER__HOST + PREFECT__SERVER__PORT`, `~/.prefect/backend.toml`... */
  readonly source: string;
}

const DEFAULTS: Readonly<Record<string, string>> = {
  backend: 'server',
  'server.host': 'http://localhost',
  'server.port': '4200',
  'server.endpoint': '${server.host}:${server.port}',
  'cloud.endpoint': 'https://api.prefect.io',
  'cloud.api': '${${backend}.endpoint}',
  'cloud.api_key': '',
  'cloud.tenant_id': '',
};

/** The settings that say where the API is: when none is set anywhere, Prefect's settings name no API. */
const LOCATING_KEYS = ['backend', 'server.host', 'server.port', 'server.endpoint', 'cloud.api', 'cloud.endpoint'];

/** The user-config location variables Prefect reads (the default files are `~/.prefect/*.toml`). */
export const PREFECT_CONFIG_PATH_VARIABLES = { user: 'PREFECT__USER_CONFIG_PATH', backend: 'PREFECT__BACKEND_CONFIG_PATH' } as const;

/** `{server: {host: 'x'}}` → `[['server.host', 'x']]` (scalars only). */
function flatten(table: TomlTable, prefix = ''): [string, string][] {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(table)) {
    const path = `${prefix}${key.toLowerCase()}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
      entries.push(...flatten(value as TomlTable, `${path}.`));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') entries.push([path, String(value)]);
  }
  return entries;
}

/** `$NAME` and `${NAME}` for variables that are set, as Python's `os.path.expandvars`. */
function expandVariables(value: string, env: Environment): string {
  return value.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, bare: string | undefined, braced: string | undefined) => env[bare ?? braced ?? ''] ?? whole);
}

/** Resolves `${section.key}` references, innermost first, at most ten rounds (Prefect's limit). */
function interpolate(settings: Map<string, string>): void {
  const reference = /\$\{([^${}]*)\}/;
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const [key, value] of settings) {
      const match = reference.exec(value);
      if (!match) continue;
      settings.set(key, value.replace(match[0], settings.get((match[1] ?? '').toLowerCase()) ?? ''));
      changed = true;
    }
    if (!changed) return;
  }
}

/**
 * The API Prefect's settings name, or null when none of them says where it is (then the
 * caller's own default applies).
 */
export function prefectApiSettings(sources: PrefectSettingsSources): PrefectApiSettings | null {
  const settings = new Map(Object.entries(DEFAULTS));
  const origin = new Map<string, string>();
  const apply = (entries: [string, string][], from: (key: string) => string): void => {
    for (const [key, value] of entries) {
      settings.set(key, value);
      origin.set(key, from(key));
    }
  };
  if (sources.userConfig) apply(flatten(sources.userConfig), () => '~/.prefect/config.toml');
  if (sources.backendConfig) apply(flatten(sources.backendConfig), () => '~/.prefect/backend.toml');
  const fromEnv: [string, string][] = [];
  for (const [name, value] of Object.entries(sources.env)) {
    if (value === undefined || !name.startsWith('PREFECT__')) continue;
    const key = name.slice('PREFECT__'.length).toLowerCase().split('__').join('.');
    if (key.includes('.') || key === 'backend') fromEnv.push([key, value]);
  }
  apply(fromEnv, (key) => `PREFECT__${key.toUpperCase().split('.').join('__')}`);
  if (!LOCATING_KEYS.some((key) => origin.has(key))) return null;

  for (const [key, value] of settings) settings.set(key, expandVariables(value, sources.env).trim());
  interpolate(settings);
  const url = settings.get('cloud.api') ?? '';
  if (url === '') return null;
  const backend = (settings.get('backend') ?? 'server').toLowerCase();
  const decidedBy = origin.has('cloud.api')
    ? ['cloud.api']
    : backend === 'cloud'
      ? ['backend', 'cloud.endpoint']
      : origin.has('server.endpoint')
        ? ['backend', 'server.endpoint']
        : ['backend', 'server.host', 'server.port'];
  const source = [...new Set(decidedBy.map((key) => origin.get(key)).filter((where): where is string => where !== undefined))].join(' + ');
  const nonEmpty = (key: string): string | null => {
    const value = settings.get(key) ?? '';
    return value === '' ? null : value;
  };
  return Object.freeze({ url, apiKey: nonEmpty('cloud.api_key'), tenantId: nonEmpty('cloud.tenant_id'), source });
}
