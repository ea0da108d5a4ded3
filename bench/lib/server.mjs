// @ts-check
/**
 * A runview server for the benchmarks, on a loopback port, counting the HTTP requests it
 * answers: the count holds for clients in other processes (the CLI) too.
 */
import { createServer as createHttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createServer, GRAPHQL_PATH } from '@runview/server';
import { freshDatabase } from './backend.mjs';

/**
 * @typedef {object} BenchServer
 * @property {import('@runview/server').RunviewServer} server
 * @property {import('./backend.mjs').BackendKind} kind
 * @property {string} url The GraphQL endpoint on loopback.
 * @property {() => number} requests HTTP requests answered so far.
 * @property {() => Promise<void>} close
 */

/**
 * @param {import('./backend.mjs').BackendKind} kind
 * @param {Omit<import('@runview/server').ServerOptions, 'database' | 'logger'>} [options]
 * @returns {Promise<BenchServer>}
 */
export async function startBenchServer(kind, options = {}) {
  const database = await freshDatabase(kind);
  /** @type {import('@runview/server').RunviewServer} */
  let server;
  try {
    server = await createServer({ database: database.spec, logger: false, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  let requests = 0;
  const handler = server.handler;
  const http = createHttpServer((request, response) => {
    requests += 1;
    void handler(request, response);
  });
  // Load tests open many keep-alive connections; the defaults would close them under load.
  http.keepAliveTimeout = 60_000;
  // Prefect's unpaged query of a million log lines may take longer than Node's default 5 minutes.
  http.requestTimeout = 0;
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  return {
    server,
    kind,
    url: `http://127.0.0.1:${address.port}${GRAPHQL_PATH}`,
    requests: () => requests,
    async close() {
      await new Promise((resolve) => {
        http.close(() => {
          resolve(undefined);
        });
        http.closeAllConnections();
      });
      await server.close();
      await database.drop();
    },
  };
}

/**
 * Runs `fn` while timing every SQL statement the server sends through its database (the
 * server runs each GraphQL root field as one statement): how much of the server's time is
 * the database's (the statement's execution, the driver, parsing the rows).
 *
 * @template T
 * @param {import('@runview/server').Database} db
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ value: T, statements: number, databaseMs: number }>}
 */
export async function withStatementTiming(db, fn) {
  const originals = { query: db.query, queryTextRows: db.queryTextRows };
  let statements = 0;
  let databaseMs = 0;
  /**
   * @template {(...args: never[]) => Promise<unknown>} F
   * @param {F} original
   * @returns {F}
   */
  const timed = (original) =>
    /** @type {F} */ (
      /** @type {unknown} */ (
        async (/** @type {Parameters<F>} */ ...args) => {
          const start = performance.now();
          try {
            return await original.apply(db, args);
          } finally {
            statements += 1;
            databaseMs += performance.now() - start;
          }
        }
      )
    );
  const target = /** @type {{ query: typeof db.query, queryTextRows: typeof db.queryTextRows }} */ (db);
  target.query = timed(originals.query);
  target.queryTextRows = timed(originals.queryTextRows);
  try {
    const value = await fn();
    return { value, statements, databaseMs };
  } finally {
    target.query = originals.query;
    target.queryTextRows = originals.queryTextRows;
  }
}
