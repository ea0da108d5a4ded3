#!/usr/bin/env node
/**
 * `runview-server`: serves the API until interrupted, or runs a subcommand (`simulate`).
 * Failures are one line on stderr and a non-zero exit code, never a stack trace.
 */
import { ApiKeyConfigError } from './auth/keys.js';
import { describeDatabase, describeUsageError, readServeConfig, ServeUsageError, serveUsage, type ServeConfig } from './config.js';
import { DatabaseOpenError } from './db/errors.js';
import { KeyTenantError } from './db/key-tenants.js';
import { CorsOriginConfigError } from './http/cors.js';
import { UiDirectoryError } from './http/ui.js';
import { quietLogger } from './http/logger.js';
import { checkPort, createServer, ServerListenError } from './http/server.js';
import { SERVER_VERSION } from './graphql/version.js';
import { runSimulateCommand, simulateWhileServing } from './simulate/index.js';

/** Subcommands: `runview-server <name> ...args`, each returning its exit code. */
const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  simulate: (argv) => runSimulateCommand(argv),
};

const PROGRAM = 'runview-server';
const USAGE = serveUsage(PROGRAM, [`${PROGRAM} simulate [options]   (see ${PROGRAM} simulate --help)`]);

const EXPECTED_FAILURES = [DatabaseOpenError, ServerListenError, ApiKeyConfigError, CorsOriginConfigError, KeyTenantError, UiDirectoryError];

/** Longest a shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function fail(message: string, code: number): number {
  process.stderr.write(`runview-server: ${message}\n`);
  return code;
}

async function serve(config: ServeConfig): Promise<number> {
  await checkPort(config.port, config.host);
  const server = await createServer({ ...config.options, logger: quietLogger });
  let address;
  try {
    address = await server.listen(config.port, config.host);
  } catch (error) {
    await server.close();
    throw error;
  }
  const keys = config.options.apiKeys.length;
  process.stdout.write(
    `runview-server listening on ${address.url} (database: ${describeDatabase(config.options.database)}${config.options.seed === undefined ? '' : `, seeded: ${config.options.seed}`}; ${
      keys === 0 ? 'open, no API keys' : `${keys} API key${keys === 1 ? '' : 's'}`
    })\n`,
  );
  if (config.options.ui !== undefined) process.stdout.write(`runview-server: the Prefect UI from ${config.options.ui} at ${new URL('/', address.url).href}\n`);
  const stopped = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopped.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const simulation =
    config.simulate === null
      ? Promise.resolve()
      : simulateWhileServing(config.simulate, address.url, stopped.signal, (line, kind) =>
          (kind === 'error' ? process.stderr : process.stdout).write(`runview-server: ${line}\n`),
        );
  await new Promise<void>((resolve) => {
    stopped.signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
  process.stdout.write('runview-server: shutting down\n');
  // Closing cancels running statements, so it ends in seconds; should anything still hold it,
  // the deadline (or a second signal) ends the process anyway.
  const forceExit = (reason: string): void => {
    process.stderr.write(`runview-server: ${reason}; exiting without waiting\n`);
    process.exit(1);
  };
  const deadline = setTimeout(() => {
    forceExit(`shutdown took longer than ${String(SHUTDOWN_DEADLINE_MS / 1000)} s`);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  const again = (): void => {
    forceExit('a second signal came during shutdown');
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  // The stop signal cancelled the simulated run in flight; it ends at its next request.
  await simulation;
  await server.close();
  clearTimeout(deadline);
  process.off('SIGINT', again);
  process.off('SIGTERM', again);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  const subcommand = first === undefined ? undefined : SUBCOMMANDS[first];
  if (subcommand !== undefined) return subcommand(rest);
  try {
    const config = readServeConfig(argv, process.env);
    if (config.kind === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (config.kind === 'version') {
      process.stdout.write(`${SERVER_VERSION}\n`);
      return 0;
    }
    return await serve(config);
  } catch (error) {
    if (error instanceof ServeUsageError) return fail(describeUsageError(error, PROGRAM), 2);
    if (EXPECTED_FAILURES.some((kind) => error instanceof kind)) return fail((error as Error).message, 1);
    return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}

process.exitCode = await main(process.argv.slice(2));
