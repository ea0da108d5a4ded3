/**
 * A Kysely dialect over PGlite (PostgreSQL compiled to WebAssembly, in process). PostgreSQL's
 * adapter, compiler and introspector apply unchanged; only the driver differs. PGlite has one
 * session, so the driver hands out that single connection to one caller at a time: a transaction
 * holds it from BEGIN to COMMIT and no other request's statement can land inside it.
 */
import { types, type PGlite, type QueryOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { StatementCancelledError } from './errors.js';

/** Serializes access to one resource: each `acquire` resolves once the previous holder released. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

const MODIFYING_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** In place of each of PGlite's parsers, none: every value stays PostgreSQL's text. */
const TEXT_PARSERS: Record<string, (value: string) => string> = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, (value: string) => value]));

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const command = (result as { command?: string }).command;
    return {
      rows: result.rows,
      ...(command !== undefined && MODIFYING_COMMANDS.has(command) ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }

  // eslint-disable-next-line require-yield -- PGlite returns whole results; streaming is not offered
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    await Promise.resolve();
    throw new TypeError('PGlite does not support streaming queries');
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: PGliteConnection;
  readonly #mutex = new Mutex();
  #release: (() => void) | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.acquire();
    return this.#connection;
  }

  /**
   * Runs one statement outside Kysely, in turn with its connection. A statement whose caller
   * went away while it waited its turn is dropped: PGlite cannot interrupt one that runs (it
   * runs to its end on this thread), but need not start one nobody waits for.
   */
  async run<R>(sql: string, parameters: readonly unknown[], signal: AbortSignal | undefined, options?: QueryOptions): Promise<R[]> {
    const release = await this.#mutex.acquire();
    try {
      if (signal?.aborted === true) throw new StatementCancelledError();
      const result = await this.#pglite.query<R>(sql, [...parameters], options);
      return result.rows;
    } finally {
      release();
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const mode = [
      settings.isolationLevel === undefined ? '' : ` isolation level ${settings.isolationLevel}`,
      settings.accessMode === undefined ? '' : ` ${settings.accessMode}`,
    ].join('');
    await connection.executeQuery(CompiledQuery.raw(`start transaction${mode}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    if (!this.#pglite.closed) await this.#pglite.close();
  }
}

/** A Kysely {@link Dialect} for an open PGlite instance. */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  #driver: PGliteDriver | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /** Runs one statement; it waits for any transaction holding the session, as a Kysely query does. */
  query<R>(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<R[]> {
    this.#driver ??= new PGliteDriver(this.#pglite);
    return this.#driver.run<R>(sql, parameters, signal);
  }

  /** The same, returning rows as arrays of PostgreSQL's text, parsing nothing. */
  queryTextRows(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<(string | null)[][]> {
    this.#driver ??= new PGliteDriver(this.#pglite);
    return this.#driver.run<(string | null)[]>(sql, parameters, signal, { rowMode: 'array', parsers: TEXT_PARSERS });
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    this.#driver ??= new PGliteDriver(this.#pglite);
    return this.#driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
