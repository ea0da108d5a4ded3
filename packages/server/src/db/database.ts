/**
 * Opens the database the server runs on: PGlite in memory (the default), PGlite in a data
 * directory, or a PostgreSQL server. Both speak the same SQL, run the same migrations and
 * render JSON with the session time zone set to UTC and PostgreSQL's interval style, so
 * timestamps and intervals come out as Prefect Server sends them
 * (`2021-05-12T17:59:56.383629+00:00`, `1 day 02:00:00`) whatever the server's defaults.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { lockDataDirectory } from './data-dir-lock.js';
import { DatabaseOpenError } from './errors.js';
import { migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import { createPostgresPool, DEFAULT_POOL_TIMEOUTS, type PoolTimeouts } from './postgres-pool.js';
import type { Tables } from './tables.js';

export type DialectName = 'pglite' | 'postgres';

/** A compiled statement: SQL text with `$n` placeholders and its bound values. */
export interface CompiledStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** An open, migrated database. */
export interface Database {
  /** The typed query builder. */
  readonly kysely: Kysely<Tables>;
  readonly dialect: DialectName;
  /**
   * Runs one compiled statement and returns its rows. When `signal` aborts (the caller went
   * away) a statement not yet started is dropped and, on PostgreSQL, a running one cancelled.
   */
  query<R>(compiled: CompiledStatement, signal?: AbortSignal): Promise<R[]>;
  /**
   * Runs one compiled statement and returns its rows as arrays of column values in
   * PostgreSQL's text output, none parsed (`t` for true, jsonb as its JSON text).
   */
  queryTextRows(compiled: CompiledStatement, signal?: AbortSignal): Promise<(string | null)[][]>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** How many SQL statements were sent since the database was opened (tests count them). */
  statementCount(): number;
  /** Stops running statements (PostgreSQL) and closes; bounded in time. */
  close(): Promise<void>;
}

function isPostgresUrl(spec: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(spec);
}

/** The URL without its password, for error messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

/** How one backend runs statements outside Kysely, and closes. */
interface Backend {
  readonly dialect: Dialect;
  readonly name: DialectName;
  query<R>(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<R[]>;
  queryTextRows(sql: string, parameters: readonly unknown[], signal?: AbortSignal): Promise<(string | null)[][]>;
  /** Before Kysely is destroyed: stops what runs (PostgreSQL cancels its statements). */
  stop(): Promise<void>;
  /** After: lets go of what the backend holds (PGlite's data directory lock). */
  release(): void;
  /** PGlite only: its data directory as a tar (see {@link archiveDatabase}). */
  readonly archive?: () => Promise<Blob>;
}

/** How each open embedded database archives itself. */
const archivers = new WeakMap<Database, () => Promise<Blob>>();

/** How long closing waits for running statements to stop before it lets go. */
const CLOSE_WAIT_MS = 3_000;

async function openBackend(spec: string, options: DatabaseOptions): Promise<Backend> {
  if (isPostgresUrl(spec)) {
    try {
      new URL(spec);
    } catch {
      throw new DatabaseOpenError('invalid PostgreSQL URL');
    }
    const postgres = createPostgresPool(spec, { ...DEFAULT_POOL_TIMEOUTS, ...options.timeouts });
    return {
      // Kysely gets the same pool: a transaction holds a client of its own, so nothing lands inside it.
      dialect: new PostgresDialect({ pool: postgres.pool }),
      name: 'postgres',
      query: (sql, parameters, signal) => postgres.query(sql, parameters, signal),
      queryTextRows: (sql, parameters, signal) => postgres.queryTextRows(sql, parameters, signal),
      stop: () => postgres.close(CLOSE_WAIT_MS),
      release: () => undefined,
    };
  }
  const dataDir = spec === 'memory' ? undefined : spec;
  if (dataDir !== undefined && options.archive !== undefined) throw new DatabaseOpenError('an archive loads only into an in-memory database');
  const lock = dataDir === undefined ? undefined : lockDataDirectory(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir === undefined ? (options.archive === undefined ? {} : { loadDataDir: options.archive }) : { dataDir });
    await pglite.exec("set time zone 'UTC'; set intervalstyle = 'postgres'");
  } catch (error) {
    lock?.release();
    throw new DatabaseOpenError(`cannot open the embedded database${dataDir === undefined ? '' : ` in ${dataDir}`}: ${String(error)}`);
  }
  const dialect = new PGliteDialect(pglite);
  return {
    dialect,
    name: 'pglite',
    query: (sql, parameters, signal) => dialect.query(sql, parameters, signal),
    queryTextRows: (sql, parameters, signal) => dialect.queryTextRows(sql, parameters, signal),
    stop: () => Promise.resolve(),
    release: () => lock?.release(),
    archive: () => pglite.dumpDataDir('none'),
  };
}

/** How a database is opened. */
export interface DatabaseOptions {
  /** PostgreSQL's statement and connection timeouts (PGlite cannot interrupt a statement). */
  readonly timeouts?: Partial<PoolTimeouts>;
  /**
   * An in-memory PGlite starts from this data directory archive (a tar, as PGlite's
   * `dumpDataDir` writes it) instead of an empty cluster: no initdb, and the migrations it
   * already holds are not run again. Tests open migrated or seeded copies this way.
   */
  readonly archive?: Blob;
}

/**
 * Opens and migrates a database.
 *
 * @param spec `memory` or undefined (PGlite in memory), a directory path (PGlite data directory),
 *   or a `postgres://` URL (a node-postgres pool).
 * @throws {DatabaseOpenError} when the spec is invalid, the server unreachable or a migration fails.
 */
export async function openDatabase(spec: string | undefined, options: DatabaseOptions = {}): Promise<Database> {
  const source = spec === undefined || spec.trim() === '' ? 'memory' : spec.trim();
  const backend = await openBackend(source, options);
  const { name } = backend;
  let statements = 0;
  const kysely = new Kysely<Tables>({
    dialect: backend.dialect,
    log: () => {
      statements += 1;
    },
  });
  const destroy = async (): Promise<void> => {
    // PostgreSQL: cancel what runs first, or ending the pool waits for the longest statement.
    await backend.stop();
    await kysely.destroy().catch(() => undefined);
    backend.release();
  };
  try {
    await migrate(kysely as unknown as Kysely<unknown>, name);
  } catch (error) {
    await destroy();
    const where = name === 'postgres' ? `PostgreSQL at ${redact(source)}` : 'the embedded database';
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseOpenError(`cannot prepare ${where}: ${reason}`);
  }
  let closed = false;
  const db: Database = {
    kysely,
    dialect: name,
    query<R>(compiled: CompiledStatement, signal?: AbortSignal): Promise<R[]> {
      statements += 1;
      return backend.query<R>(compiled.sql, compiled.parameters, signal);
    },
    queryTextRows(compiled: CompiledStatement, signal?: AbortSignal): Promise<(string | null)[][]> {
      statements += 1;
      return backend.queryTextRows(compiled.sql, compiled.parameters, signal);
    },
    transaction: (fn) => kysely.transaction().execute(fn),
    statementCount: () => statements,
    async close() {
      if (closed) return;
      closed = true;
      await destroy();
    },
  };
  if (backend.archive !== undefined) archivers.set(db, backend.archive);
  return db;
}

/**
 * An embedded database's data directory as a tar, which `openDatabase('memory', { archive })`
 * opens as a copy: tests migrate and seed once and start every test file from such a copy.
 *
 * @throws {TypeError} when `db` is not an open embedded (PGlite) database.
 */
export function archiveDatabase(db: Database): Promise<Blob> {
  const archive = archivers.get(db);
  if (archive === undefined) throw new TypeError('only an embedded database can be archived');
  return archive();
}
