/**
 * The serve configuration of both entry points, `runview-server` and `runview serve`: one set of
 * flags and environment variables, read here into server options, the address to listen on and
 * the simulated runs, with one usage error. Flags win over the environment: `--database` over
 * `DATABASE_URL`, `--cors-origin` over `RUNVIEW_CORS_ORIGIN`; `--api-key` flags come before the
 * keys of `RUNVIEW_API_KEYS`.
 */
import { parseArgs } from 'node:util';
import { parseApiKey } from './auth/keys.js';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from './http/connections.js';
import { DEFAULT_CORS_ORIGINS } from './http/cors.js';
import { DEFAULT_MAX_LIMIT, type ServerOptions } from './http/server.js';
import { DEFAULT_MAX_BATCH } from './http/yoga.js';
import { LIMIT_FLAG_OPTIONS, LIMIT_USAGE, readLimitFlags } from './limit-flags.js';

export const DEFAULT_PORT = 4200;
export const DEFAULT_HOST = '127.0.0.1';
/** Seconds between two simulated runs when `--simulate` has no value. */
export const DEFAULT_SIMULATE_EVERY_SECONDS = 20;

/**
 * The usage text, for the program that serves (`runview-server`, `runview serve`); `more` adds
 * lines under the first (another command of that program).
 */
export function serveUsage(program: string, more: readonly string[] = []): string {
  return `Usage: ${program} [options]
${more.map((line) => `       ${line}\n`).join('')}
Serves Prefect Server's GraphQL API (Hasura semantics) on every path (/ and /graphql
included), as Prefect Server does; health at /health. The first line of output is the
GraphQL URL.

Options:
  -p, --port <port>      port to listen on (default ${String(DEFAULT_PORT)}; 0 picks a free one)
  --host <host>          address to listen on (default ${DEFAULT_HOST})
  --database <spec>      memory (default), a directory for an embedded database,
                         or a postgres:// URL (default: $DATABASE_URL, else memory)
  --seed demo            load the demo flow runs at start
  --simulate [seconds]   with --seed demo: simulated flow runs, one at a time, each
                         starting <seconds> after the last ended (default ${String(DEFAULT_SIMULATE_EVERY_SECONDS)})
  --simulate-runs <n>    with --simulate: stop after <n> runs
  --api-key <key>        require this API key: KEY[:TENANT_ID][:read]; repeatable,
                         before those of $RUNVIEW_API_KEYS (comma-separated)
  --max-limit <n>        largest limit a list field accepts (default ${String(DEFAULT_MAX_LIMIT)})
  --max-batch <n>        most operations in one batched request (default ${String(DEFAULT_MAX_BATCH)})
  --cors-origin <list>   web pages allowed to call the server: origins such as
                         https://ui.example.com:8080, "loopback" (pages served from
                         this machine) or "*"; repeatable or comma-separated
                         (default: $RUNVIEW_CORS_ORIGIN, else ${DEFAULT_CORS_ORIGINS.join(',')})
  --max-connections <n>  most open connections; a newcomer past it replaces the
                         oldest one that holds no request (default ${String(DEFAULT_MAX_CONNECTIONS)})
  --headers-timeout <s>  seconds to receive a request's headers (default ${String(DEFAULT_HEADERS_TIMEOUT_MS / 1000)})
  --request-timeout <s>  seconds to receive a whole request (default ${String(DEFAULT_REQUEST_TIMEOUT_MS / 1000)})
  --ui <dir>             also serve a built Prefect 1 UI from this folder on the same
                         port (its pages and files; POSTs and /graphql stay the API's)
  -h, --help             show this help
  -v, --version          show the version

${LIMIT_USAGE}
Examples:
  ${program} --seed demo
  ${program} --seed demo --simulate 30
  ${program} --seed demo --ui ../prefect-ui/dist
  ${program} --port 0 --database ./runview-data --api-key s3cret
`;
}

/**
 * A mistake on the serve command line (or in its environment), found before anything starts:
 * both entry points report it as {@link describeUsageError} words it, with exit code 2. The
 * server's other command, `runview-server simulate`, reports its mistakes with it too.
 */
export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
}

/** A usage error as both entry points print it (after their own prefix): the mistake, then where the flags are. */
export function describeUsageError(error: ServeUsageError, program: string): string {
  return `${error.message} (${program} --help lists the flags)`;
}

/** Simulated flow runs (`--simulate`): one at a time, the next `everySeconds` after the last ended. */
export interface SimulateConfig {
  readonly everySeconds: number;
  /** Stop after this many runs (`--simulate-runs`); undefined: until the server stops. */
  readonly runs: number | undefined;
  /** The key the simulator sends: the first read-write one the server requires (none when it is open). */
  readonly apiKey: string | undefined;
}

export interface ServeConfig {
  readonly kind: 'serve';
  readonly options: ServerOptions & { readonly database: string; readonly apiKeys: readonly string[] };
  readonly port: number;
  readonly host: string;
  readonly simulate: SimulateConfig | null;
}

export type CommandConfig = ServeConfig | { readonly kind: 'help' } | { readonly kind: 'version' };

function fail(message: string): never {
  throw new ServeUsageError(message);
}

function port(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535) fail(`--port must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return parsed;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || !Number.isSafeInteger(parsed)) fail(`--${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Whole seconds (at most a day) as milliseconds. */
function seconds(flag: string, value: string | undefined, fallbackMs: number): number {
  const parsed = positiveInteger(flag, value, fallbackMs / 1000);
  if (parsed > 86_400) fail(`--${flag} takes at most 86400 seconds, got ${JSON.stringify(value)}`);
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
  if (value !== 'demo') fail(`--seed takes "demo", got ${JSON.stringify(value)}`);
  return 'demo';
}

/** `--simulate` takes an optional value: alone (last, or before another flag) it means the default. */
const SIMULATE_ALONE = '';

function withSimulateValue(argv: readonly string[]): string[] {
  return argv.map((arg, index) => {
    const next = argv[index + 1];
    return arg === '--simulate' && (next === undefined || next.startsWith('-')) ? `--simulate=${SIMULATE_ALONE}` : arg;
  });
}

function simulate(
  values: { simulate?: string | undefined; 'simulate-runs'?: string | undefined },
  seeded: 'demo' | undefined,
  apiKeys: readonly string[],
): SimulateConfig | null {
  const every = values.simulate;
  const runs = values['simulate-runs'] === undefined ? undefined : positiveInteger('simulate-runs', values['simulate-runs'], 1);
  if (every === undefined) {
    if (runs !== undefined) fail('--simulate-runs counts the runs of --simulate: add --simulate');
    return null;
  }
  const everySeconds = every === SIMULATE_ALONE ? DEFAULT_SIMULATE_EVERY_SECONDS : Number(every);
  if (!Number.isFinite(everySeconds) || everySeconds <= 0) fail(`--simulate takes a number of seconds between runs, got ${JSON.stringify(every)}`);
  if (seeded !== 'demo') fail('--simulate runs the demo flow: add --seed demo');
  // The simulator writes through the API as an agent does: it needs a key that may write.
  const writer = apiKeys.find((key, index) => {
    try {
      return parseApiKey(key, index + 1).canWrite;
    } catch {
      return false;
    }
  });
  return { everySeconds, runs, apiKey: writer?.split(':')[0] };
}

/** Reads the serve command's arguments (without the program name) and environment. */
export function readServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): CommandConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: withSimulateValue(argv),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        database: { type: 'string' },
        seed: { type: 'string' },
        simulate: { type: 'string' },
        'simulate-runs': { type: 'string' },
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
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const fromEnv = (env['RUNVIEW_API_KEYS'] ?? '').split(',').map((key) => key.trim());
  const apiKeys = [...(values['api-key'] ?? []).map((key) => key.trim()), ...fromEnv].filter((key) => key.length > 0);
  const fromEnvDatabase = env['DATABASE_URL']?.trim() ?? '';
  const database = values.database ?? (fromEnvDatabase === '' ? 'memory' : fromEnvDatabase);
  const seeded = seed(values.seed);
  return {
    kind: 'serve',
    port: port(values.port),
    host: values.host ?? DEFAULT_HOST,
    simulate: simulate(values, seeded, apiKeys),
    options: {
      database,
      apiKeys,
      maxLimit: positiveInteger('max-limit', values['max-limit'], DEFAULT_MAX_LIMIT),
      maxBatch: positiveInteger('max-batch', values['max-batch'], DEFAULT_MAX_BATCH),
      corsOrigins: corsOrigins(values['cors-origin'], env),
      maxConnections: positiveInteger('max-connections', values['max-connections'], DEFAULT_MAX_CONNECTIONS),
      headersTimeoutMs: seconds('headers-timeout', values['headers-timeout'], DEFAULT_HEADERS_TIMEOUT_MS),
      requestTimeoutMs: seconds('request-timeout', values['request-timeout'], DEFAULT_REQUEST_TIMEOUT_MS),
      ...readLimitFlags(values, fail),
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
