/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine,
 * embedded (PGlite, in memory or in a directory) or on PostgreSQL, until Ctrl-C. It checks
 * the port before the (slow) database start, and says what it is doing while it starts.
 */
import { checkPort, CorsOriginConfigError, createServer, ServerListenError, startSimulatedFlowRun, UiDirectoryError, type Logger } from '@runview/server';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { writeLine } from '../io.js';

/** The options of `runview serve`. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly database?: string;
  readonly seed?: string;
  /** Start a simulated flow run this many seconds after the last one ended (`true`: 20). */
  readonly simulate?: string | true;
  /** With `simulate`: stop after this many runs. */
  readonly simulateRuns?: number;
  /** Origins of web pages allowed to call the API (`loopback`, `*` or origins). */
  readonly corsOrigin?: readonly string[];
  readonly maxConnections?: number;
  readonly maxBatch?: number;
  /** A built Prefect 1 UI folder to serve on the same port. */
  readonly ui?: string;
}

/** Seconds between two simulated runs when `--simulate` has no value. */
const DEFAULT_SIMULATE_EVERY = 20;

function simulateEvery(value: string | true | undefined): number | null {
  if (value === undefined) return null;
  if (value === true) return DEFAULT_SIMULATE_EVERY;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--simulate takes a number of seconds between runs, got ${JSON.stringify(value)}`);
  return seconds;
}

function serverLogger(context: Context): Logger {
  const write = (args: unknown[]): void => {
    writeLine(context.io.stderr, args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
  };
  const ignore = (): void => undefined;
  const log = (...args: unknown[]): void => {
    write(args);
  };
  return { debug: context.debug ? log : ignore, info: log, warn: log, error: log };
}

/** Resolves when the signal fires (Ctrl-C), never without one. */
function interrupted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });
}

/** Fails fast, before the database starts, when the port is taken or the address is not ours. */
async function checkServePort(port: number, host: string): Promise<void> {
  await checkPort(port, host).catch((error: unknown) => {
    const code = error instanceof ServerListenError ? error.code : undefined;
    const why = code === 'EADDRINUSE' ? 'is in use (another runview serve or Prefect Server?): pick another with --port, or --port 0 for any free one' : code === 'EACCES' ? 'needs privileges: use a port above 1023' : code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : String(code ?? error);
    throw new CliError(`Cannot listen on ${host}:${String(port)}: ${code === 'EADDRNOTAVAIL' ? `${host} ${why}` : `the port ${why}`}.`, { exitCode: EXIT.usage, code: 'PORT_UNAVAILABLE', cause: error });
  });
}

/**
 * Simulated runs one at a time: the next starts `everySeconds` after the last one ended, so at
 * most one is live; after `count` runs (when given) it stops.
 */
async function simulateOneAtATime(context: Context, url: string, everySeconds: number, count: number | undefined, apiKey: string | undefined): Promise<void> {
  const signal = context.io.signal ?? new AbortController().signal;
  // A function, not a property read: the signal changes while the loop awaits.
  const aborted = (): boolean => signal.aborted;
  for (let started = 0; !aborted() && (count === undefined || started < count); started++) {
    try {
      const run = await startSimulatedFlowRun({ url, signal, ...(apiKey === undefined ? {} : { apiKey }) });
      writeLine(context.io.stderr, `simulated flow run started: ${run.flowRunId} (npx runview watch ${run.flowRunId})`);
      writeLine(context.io.stderr, `simulated flow run ${run.flowRunId} ended ${await run.done}`);
    } catch (error) {
      if (aborted()) break;
      writeLine(context.io.stderr, `simulation: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (count !== undefined && started + 1 >= count) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, everySeconds * 1000);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
  if (count !== undefined) writeLine(context.io.stderr, `simulation: ${String(count)} run${count === 1 ? '' : 's'} done`);
}

/** Serves until the interrupt signal fires. */
export async function serve(context: Context, options: ServeOptions): Promise<number> {
  if (options.seed !== undefined && options.seed !== 'demo') throw new UsageError(`--seed only knows "demo", got ${JSON.stringify(options.seed)}`);
  const every = simulateEvery(options.simulate);
  if (every !== null && options.seed !== 'demo') throw new UsageError('--simulate runs the demo flow: add --seed demo.');
  if (options.simulateRuns !== undefined && every === null) throw new UsageError('--simulate-runs counts the runs of --simulate: add --simulate.');
  await checkServePort(options.port, options.host);
  const progress = (line: string): void => {
    if (!context.json) writeLine(context.io.stderr, line);
  };
  // `--api-key` is the global option: for `serve` it is the key the server requires.
  const given = context.explicitApiKey;
  const keys = [...(given === null ? [] : [given]), ...(context.io.env['RUNVIEW_API_KEYS'] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '')];
  const corsOrigins = options.corsOrigin ?? (context.io.env['RUNVIEW_CORS_ORIGIN']?.trim() ? [context.io.env['RUNVIEW_CORS_ORIGIN']] : undefined);
  const startedAt = Date.now();
  progress(
    `Starting the ${options.database === undefined ? 'in-memory database' : 'database ' + describeDatabase(options.database)}` +
      `${options.seed === 'demo' ? ' and loading the demo data' : ''}: this takes a few seconds...`,
  );
  const server = await createServer({
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(corsOrigins === undefined ? {} : { corsOrigins }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    ...(options.seed === 'demo' ? { seed: 'demo' as const } : {}),
    ...(options.ui === undefined ? {} : { ui: options.ui }),
    ...(keys.length > 0 ? { apiKeys: keys } : {}),
    logger: serverLogger(context),
  }).catch((error: unknown) => {
    // A malformed --cors-origin (or RUNVIEW_CORS_ORIGIN) or a --ui folder without a UI is the caller's mistake, found before the database opens.
    throw error instanceof CorsOriginConfigError || error instanceof UiDirectoryError ? new UsageError(error.message, { cause: error }) : error;
  });
  try {
    const address = await server.listen(options.port, options.host);
    if (context.json) context.printJsonLine('server', { url: address.url, port: address.port, host: address.host });
    else {
      // The URL alone on the first line, so scripts (and tests) can read it.
      context.print(address.url);
      writeLine(
        context.io.stderr,
        `runview API listening (${options.database === undefined ? 'in-memory database' : 'database ' + describeDatabase(options.database)}` +
          `${options.seed === 'demo' ? ', demo data' : ''}${keys.length > 0 ? `, ${keys.length} API key${keys.length === 1 ? '' : 's'}` : ''}). ` +
          `Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s. Try: npx runview --endpoint ${address.url} runs. Ctrl-C stops it.`,
      );
      if (options.ui !== undefined) writeLine(context.io.stderr, `The Prefect UI from ${options.ui}: ${new URL('/', address.url).href}`);
    }
    // The simulator writes through the API like an agent: it needs a key the server accepts.
    const simulation = every === null ? Promise.resolve() : simulateOneAtATime(context, address.url, every, options.simulateRuns, keys[0]?.split(':')[0]);
    await interrupted(context.io.signal);
    await simulation;
  } finally {
    await server.close();
  }
  return EXIT.success;
}

/** A database location without its password. */
function describeDatabase(database: string): string {
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.protocol.startsWith('postgres') ? url.toString() : database;
  } catch {
    return database;
  }
}

