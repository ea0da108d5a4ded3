/**
 * The node-postgres pool behind a PostgreSQL database, made safe to lose: every client has an
 * `error` listener from the moment it exists (a connection the server drops while a request
 * holds it, by `pg_terminate_backend`, a restart or a failover, fails that request instead of
 * the process), a broken client is never handed out again, every statement has a time limit
 * (`statement_timeout`), waiting for a free connection has one too, and a statement whose
 * caller went away is cancelled on the server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { StatementCancelledError } from './errors.js';

/**
 * Whether a failed query lost its connection. Errors without a SQLSTATE come from the socket;
 * of those with one, class 08 (connection exception) and 57P (the server terminated the
 * session: `pg_terminate_backend`, a shutdown, a restart) end the session as well, though the
 * client may not have seen its socket close yet.
 */
function connectionLost(error: Error): boolean {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P');
}

/** Time limits of the pool (milliseconds; 0 for none). */
export interface PoolTimeouts {
  /** Longest a statement may run before PostgreSQL cancels it. */
  readonly statementTimeoutMs: number;
  /** Longest a request waits for a free connection (all busy) before it fails with DATABASE_BUSY. */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_POOL_TIMEOUTS: PoolTimeouts = { statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 };

/** Connections of one server process. */
export const POOL_SIZE = 10;

const INTERVAL_OID = 1186;

type TypeParser = (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
const defaultTypeParser = pg.types.getTypeParser as unknown as TypeParser;

/** Keeps `interval` as PostgreSQL text, as PGlite returns it, instead of node-postgres' object. */
const pgTypes = {
  getTypeParser: ((oid, format) => (oid === INTERVAL_OID ? (value: string) => value : defaultTypeParser(oid, format))) satisfies TypeParser,
};

/** Every type's parser: none, so each value stays PostgreSQL's text. */
const textTypes = { getTypeParser: () => (value: string) => value };

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export interface PostgresPool {
  readonly pool: pg.Pool;
  /** Runs one statement on a pooled connection; `signal` cancels it on the server. */
  query<R>(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<R[]>;
  /** The same, every value as PostgreSQL's text and each row an array. */
  queryTextRows(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<(string | null)[][]>;
  /** Cancels every statement this pool is running (shutdown), then closes it; bounded by `waitMs`. */
  close(waitMs: number): Promise<void>;
}

export function createPostgresPool(url: string, timeouts: PoolTimeouts): PostgresPool {
  // Names this process's connections on the server, so that shutdown finds and cancels them.
  const applicationName = `runview-server ${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: url,
    options: '-c TimeZone=UTC -c IntervalStyle=postgres',
    types: pgTypes,
    max: POOL_SIZE,
    application_name: applicationName,
    ...(timeouts.statementTimeoutMs > 0 ? { statement_timeout: timeouts.statementTimeoutMs } : {}),
    ...(timeouts.connectTimeoutMs > 0 ? { connectionTimeoutMillis: timeouts.connectTimeoutMs } : {}),
  });
  const backendPids = new WeakMap<pg.PoolClient, Promise<number | undefined>>();
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // A client in use that loses its server emits `error` too: its query fails with the error,
    // and pg-pool drops the client when it is released.
    client.on('error', () => undefined);
  });

  /** The server process of a client, asked once per connection (for cancelling its statements). */
  const pidOf = (client: pg.PoolClient): Promise<number | undefined> => {
    let pid = backendPids.get(client);
    if (pid === undefined) {
      pid = client.query<{ pid: number }>('select pg_backend_pid() as pid').then(
        (result) => result.rows[0]?.pid,
        () => undefined,
      );
      backendPids.set(client, pid);
    }
    return pid;
  };

  // Cancelling needs a connection of its own: when every pooled one is busy is when it matters.
  let canceller: Promise<pg.Client> | undefined;
  const cancelWith = async (statement: string, parameters: readonly unknown[]): Promise<void> => {
    canceller ??= (async () => {
      const client = new pg.Client({ connectionString: url, application_name: `${applicationName} cancel` });
      client.on('error', () => {
        canceller = undefined;
      });
      await client.connect();
      return client;
    })();
    try {
      await (await canceller).query(statement, [...parameters]);
    } catch {
      canceller = undefined;
    }
  };

  async function run(config: pg.QueryConfig, signal: AbortSignal | undefined): Promise<unknown[]> {
    if (signal?.aborted === true) throw new StatementCancelledError();
    const client = await pool.connect();
    let broken: Error | undefined;
    const pid = signal === undefined ? undefined : pidOf(client);
    const cancel = (): void => {
      // The cancel travels on another connection and may land after this statement ended: on a
      // connection back in the pool it would stop another request's statement. So a connection
      // a cancel was sent for is closed, never handed out again.
      broken ??= new StatementCancelledError();
      void pid?.then((backend) => (backend === undefined ? undefined : cancelWith('select pg_cancel_backend($1)', [backend])));
    };
    try {
      if (pid !== undefined) await pid;
      // It may have aborted while the connection was asked for its pid.
      if (isAborted(signal)) throw new StatementCancelledError();
      signal?.addEventListener('abort', cancel, { once: true });
      const result = await client.query(config);
      return result.rows as unknown[];
    } catch (error) {
      // A connection-level failure leaves the client unusable: pg-pool must not hand it out again.
      if (error instanceof Error && connectionLost(error)) broken = error;
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      client.release(broken);
    }
  }

  return {
    pool,
    query: async <R>(sql: string, parameters: readonly unknown[], signal?: AbortSignal) => (await run({ text: sql, values: [...parameters] }, signal)) as R[],
    queryTextRows: async (sql, parameters, signal) =>
      (await run({ text: sql, values: [...parameters], rowMode: 'array', types: textTypes } as pg.QueryArrayConfig as pg.QueryConfig, signal)) as (
        string | null
      )[][],
    async close(waitMs) {
      await Promise.race([
        (async () => {
          await cancelWith('select pg_cancel_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [applicationName]);
          await pool.end();
        })(),
        new Promise((resolve) => setTimeout(resolve, waitMs).unref()),
      ]);
      const client = canceller;
      canceller = undefined;
      await client?.then((open) => open.end()).catch(() => undefined);
    },
  };
}
