/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine,
 * embedded (PGlite, in memory or in a directory) or on PostgreSQL, until Ctrl-C. Its flags and
 * environment are `runview-server`'s, read by the server's own `readServeConfig`; this file
 * adds what a terminal user sees: progress while the database starts, the URL alone on the
 * first line, `--json`. It checks the port before the (slow) database start.
 */
import type { Logger } from '@runview/server';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { loadServer, type ServerPackage } from '../server-package.js';

/** How the usage and its errors name this command. */
const PROGRAM = 'runview serve';

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
async function checkServePort(server: ServerPackage, port: number, host: string): Promise<void> {
  await server.checkPort(port, host).catch((error: unknown) => {
    const code = error instanceof server.ServerListenError ? error.code : undefined;
    const why =
      code === 'EADDRINUSE'
        ? 'is in use (another runview serve or Prefect Server?): pick another with --port, or --port 0 for any free one'
        : code === 'EACCES'
          ? 'needs privileges: use a port above 1023'
          : code === 'EADDRNOTAVAIL'
            ? 'is not an address of this machine'
            : String(code ?? error);
    throw new CliError(`Cannot listen on ${host}:${String(port)}: ${code === 'EADDRNOTAVAIL' ? `${host} ${why}` : `the port ${why}`}.`, {
      exitCode: EXIT.usage,
      code: 'PORT_UNAVAILABLE',
      cause: error,
    });
  });
}

/** The serve configuration from the command's arguments, `runview --api-key K serve` adding K. */
function readConfig(context: Context, server: ServerPackage, args: readonly string[]): ReturnType<ServerPackage['readServeConfig']> {
  const given = context.explicitApiKey;
  try {
    return server.readServeConfig([...(given === null ? [] : ['--api-key', given]), ...args], context.io.env);
  } catch (error) {
    if (error instanceof server.ServeUsageError) throw new UsageError(server.describeUsageError(error, PROGRAM), { cause: error });
    throw error;
  }
}

/** Serves until the interrupt signal fires; `args` are the command's own, as `runview-server` takes them. */
export async function serve(context: Context, args: readonly string[]): Promise<number> {
  const server = await loadServer();
  const config = readConfig(context, server, args);
  if (config.kind === 'help') {
    context.io.stdout.write(`${server.serveUsage(PROGRAM)}
runview's global options (--json, --debug, --no-color) go before or after serve.
`);
    return EXIT.success;
  }
  if (config.kind === 'version') {
    context.print(server.SERVER_VERSION);
    return EXIT.success;
  }
  const { options } = config;
  await checkServePort(server, config.port, config.host);
  const progress = (line: string): void => {
    if (!context.json) writeLine(context.io.stderr, line);
  };
  const database = server.describeDatabase(options.database);
  const keys = options.apiKeys.length;
  const startedAt = Date.now();
  progress(`Starting the database (${database})${options.seed === 'demo' ? ' and loading the demo data' : ''}: this takes a few seconds...`);
  const running = await server.createServer({ ...options, logger: serverLogger(context) }).catch((error: unknown) => {
    // A malformed --cors-origin (or RUNVIEW_CORS_ORIGIN), API key or --ui folder is the caller's mistake, found before the database opens.
    throw error instanceof server.CorsOriginConfigError || error instanceof server.UiDirectoryError || error instanceof server.ApiKeyConfigError
      ? new UsageError(error.message, { cause: error })
      : error;
  });
  try {
    const address = await running.listen(config.port, config.host);
    if (context.json) context.printJsonLine('server', { url: address.url, port: address.port, host: address.host });
    else {
      // The URL alone on the first line, so scripts (and tests) can read it.
      context.print(address.url);
      writeLine(
        context.io.stderr,
        `runview API listening (database: ${database}${options.seed === 'demo' ? '; demo data' : ''}; ${keys === 0 ? 'open, no API keys' : `${String(keys)} API key${keys === 1 ? '' : 's'}`}). ` +
          `Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s. Try: npx runview --endpoint ${address.url} runs. Ctrl-C stops it.`,
      );
      if (options.ui !== undefined) writeLine(context.io.stderr, `The Prefect UI from ${options.ui}: ${new URL('/', address.url).href}`);
    }
    const stopped = context.io.signal ?? new AbortController().signal;
    const simulation =
      config.simulate === null
        ? Promise.resolve()
        : server.simulateWhileServing(config.simulate, address.url, stopped, (line) => {
            writeLine(context.io.stderr, line);
          });
    await interrupted(context.io.signal);
    await simulation;
  } finally {
    await running.close();
  }
  return EXIT.success;
}
