/**
 * The command line and environment of `runview-server`, read into server options and the
 * address to listen on. Flags win over the environment: `--database` over `DATABASE_URL`,
 * `--cors-origin` over `RUNVIEW_CORS_ORIGIN`; `--api-key` flags add to `RUNVIEW_API_KEYS`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from './http/connections.js';
import { DEFAULT_CORS_ORIGINS } from './http/cors.js';
import { DEFAULT_MAX_LIMIT, type ServerOptions } from './http/server.js';
import { DEFAULT_MAX_BATCH } from './http/yoga.js';
import { LIMIT_FLAG_OPTIONS, LIMIT_USAGE, readLimitFlags } from './limit-flags.js';

export const USAGE = `Usage: runview-server [options]
       runview-server simulate [options]   (see runview-server simulate --help)

Serves Prefect Server's GraphQL API (Hasura semantics) on every path (/ and /graphql
included), as Prefect Server does; health at /health.

Options:
  --port <port>          port to listen on (default 4200; 0 picks a free one)
  --host <host>          address to listen on (default 127.0.0.1)
  --database <spec>      memory (default), a directory for an embedded database,
                         or a postgres:// URL (default: $DATABASE_URL, else memory)
  --seed demo            load the demo flow runs at start
  --api-key <key>        require this API key: KEY[:TENANT_ID][:read]; repeatable,
                         added to $RUNVIEW_API_KEYS (comma-separated)
  --max-limit <n>        largest limit a list field accepts (default ${DEFAULT_MAX_LIMIT})
  --max-batch <n>        most operations in one batched request (default ${DEFAULT_MAX_BATCH})
  --cors-origin <list>   web pages allowed to call the server: origins such as
                         https://ui.example.com:8080, "loopback" (pages served from
                         this machine) or "*"; repeatable or comma-separated
                         (default: $RUNVIEW_CORS_ORIGIN, else ${DEFAULT_CORS_ORIGINS.join(',')})
  --max-connections <n>  most open connections; a newcomer past it replaces the
                         oldest one that holds no request (default ${DEFAULT_MAX_CONNECTIONS})
  --headers-timeout <s>  seconds to receive a request's headers (default ${DEFAULT_HEADERS_TIMEOUT_MS / 1000})
  --request-timeout <s>  seconds to receive a whole request (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})
  --ui <dir>             also serve a built Prefect 1 UI from this folder on the same
                         port (its pages and files; POSTs and /graphql stay the API's)
  -h, --help             show this help
  -v, --version          show the version

${LIMIT_USAGE}`;

/** A command-line mistake: reported with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ServeConfig {
  readonly kind: 'serve';
  readonly options: ServerOptions & { readonly database: string; readonly apiKeys: readonly string[] };
  readonly port: number;
  readonly host: string;
}

export type CommandConfig = ServeConfig | { readonly kind: 'help' } | { readonly kind: 'version' };

function port(value: string | undefined): number {
  if (value === undefined) return 4200;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535) throw new UsageError(`--port must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return parsed;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || !Number.isSafeInteger(parsed)) throw new UsageError(`--${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Whole seconds (at most a day) as milliseconds. */
function seconds(flag: string, value: string | undefined, fallbackMs: number): number {
  const parsed = positiveInteger(flag, value, fallbackMs / 1000);
  if (parsed > 86_400) throw new UsageError(`--${flag} takes at most 86400 seconds, got ${JSON.stringify(value)}`);
  return parsed * 1000;
}

/** The CORS allow-list: the flags, else the environment, else the default. */
function corsOrigins(flags: readonly string[] | undefined, env: NodeJS.ProcessEnv): readonly string[] {
  if (flags !== undefined && flags.length > 0) return flags;
  const fromEnv = env['RUNVIEW_CORS_ORIGIN']?.trim() ?? '';
  return fromEnv === '' ? DEFAULT_CORS_ORIGINS : [fromEnv];
}

function seed(value: string | undefined): 'demo' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'demo') throw new UsageError(`--seed takes "demo", got ${JSON.stringify(value)}`);
  return 'demo';
}

/** Reads the serve command's arguments (without the program name) and environment. */
export function readServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): CommandConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        database: { type: 'string' },
        seed: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'max-limit': { type: 'string' },
        'max-batch': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        'max-connections': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        ui: { type: 'string' },
        ...LIMIT_FLAG_OPTIONS,
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const fromEnv = (env['RUNVIEW_API_KEYS'] ?? '').split(',').map((key) => key.trim());
  const apiKeys = [...fromEnv, ...(values['api-key'] ?? []).map((key) => key.trim())].filter((key) => key.length > 0);
  const fromEnvDatabase = env['DATABASE_URL']?.trim() ?? '';
  const database = values.database ?? (fromEnvDatabase === '' ? 'memory' : fromEnvDatabase);
  const seeded = seed(values.seed);
  return {
    kind: 'serve',
    port: port(values.port),
    host: values.host ?? '127.0.0.1',
    options: {
      database,
      apiKeys,
      maxLimit: positiveInteger('max-limit', values['max-limit'], DEFAULT_MAX_LIMIT),
      maxBatch: positiveInteger('max-batch', values['max-batch'], DEFAULT_MAX_BATCH),
      corsOrigins: corsOrigins(values['cors-origin'], env),
      maxConnections: positiveInteger('max-connections', values['max-connections'], DEFAULT_MAX_CONNECTIONS),
      headersTimeoutMs: seconds('headers-timeout', values['headers-timeout'], DEFAULT_HEADERS_TIMEOUT_MS),
      requestTimeoutMs: seconds('request-timeout', values['request-timeout'], DEFAULT_REQUEST_TIMEOUT_MS),
      ...readLimitFlags(values, (message) => {
        throw new UsageError(message);
      }),
      ...(seeded === undefined ? {} : { seed: seeded }),
      ...(values.ui === undefined ? {} : { ui: values.ui }),
    },
  };
}

/** How the database is shown to the operator: a PostgreSQL URL without its password. */
export function describeDatabase(spec: string): string {
  if (spec === 'memory') return 'embedded, in memory';
  if (!/^postgres(?:ql)?:\/\//i.test(spec)) return `embedded, in ${spec}`;
  try {
    const url = new URL(spec);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
