/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine,
 * embedded (PGlite, in memory or in a directory) or on PostgreSQL, until Ctrl-C.
 */
import { createServer, runSimulationLoop, type Logger } from '@runview/server';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { writeLine } from '../io.js';

/** The options of `runview serve`. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly database?: string;
  readonly seed?: string;
  /** Start a simulated flow run every this many seconds (`true`: every 20). */
  readonly simulate?: string | true;
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

/** Serves until the interrupt signal fires. */
export async function serve(context: Context, options: ServeOptions): Promise<number> {
  if (options.seed !== undefined && options.seed !== 'demo') throw new UsageError(`--seed only knows "demo", got ${JSON.stringify(options.seed)}`);
  const every = simulateEvery(options.simulate);
  if (every !== null && options.seed !== 'demo') throw new UsageError('--simulate runs the demo flow: add --seed demo.');
  // `--api-key` is the global option: for `serve` it is the key the server requires.
  const given = context.explicitApiKey;
  const keys = [...(given === null ? [] : [given]), ...(context.io.env['RUNVIEW_API_KEYS'] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '')];
  const server = await createServer({
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.seed === 'demo' ? { seed: 'demo' as const } : {}),
    ...(keys.length > 0 ? { apiKeys: keys } : {}),
    logger: serverLogger(context),
  });
  try {
    const address = await server.listen(options.port, options.host);
    if (context.json) context.printJsonLine({ url: address.url, port: address.port, host: address.host });
    else {
      // The URL alone on the first line, so scripts (and tests) can read it.
      context.print(address.url);
      writeLine(
        context.io.stderr,
        `runview API listening (${options.database === undefined ? 'in-memory database' : 'database ' + describeDatabase(options.database)}` +
          `${options.seed === 'demo' ? ', demo data' : ''}${keys.length > 0 ? `, ${keys.length} API key${keys.length === 1 ? '' : 's'}` : ''}). ` +
          `Try: runview --endpoint ${address.url} runs. Ctrl-C stops it.`,
      );
    }
    const simulation =
      every === null
        ? Promise.resolve()
        : runSimulationLoop({
            url: address.url,
            everySeconds: every,
            // The simulator writes through the API like an agent: it needs a key the server accepts.
            ...(keys[0] === undefined ? {} : { apiKey: keys[0].split(':')[0] ?? '' }),
            signal: context.io.signal ?? new AbortController().signal,
            onStart: (flowRunId) => {
              writeLine(context.io.stderr, `simulated flow run started: ${flowRunId} (runview watch ${flowRunId})`);
            },
            onFinish: (flowRunId, state) => {
              writeLine(context.io.stderr, `simulated flow run ${flowRunId} ended ${state}`);
            },
            onError: (error) => {
              writeLine(context.io.stderr, `simulation: ${error instanceof Error ? error.message : String(error)}`);
            },
          });
    await interrupted(context.io.signal);
    await simulation;
  } finally {
    await server.close();
  }
  return 0;
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

