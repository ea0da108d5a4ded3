/**
 * Opens the database the server runs on: PGlite in memory (the default), PGlite in a data
 * directory, or a PostgreSQL server. Both speak the same SQL, run the same migrations and
 * render JSON with the session time zone set to UTC and PostgreSQL's interval style, so
 * timestamps and intervals come out as Prefect Server sends them
 * (`2021-05-12T17:59:56.383629+00:00`, `1 day 02:00:00`) whatever the server's defaults.
 */
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { DatabaseOpenError } from './errors.js';
import { migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
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
  /** Runs one compiled statement and returns its rows. */
  query<R>(compiled: CompiledStatement): Promise<R[]>;
  /**
   * Runs one compiled statement and returns its rows as arrays of column values in
   * PostgreSQL's text output, none parsed (`t` for true, jsonb as its JSON text).
   */
  queryTextRows(compiled: CompiledStatement): Promise<(string | null)[][]>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** How many SQL statements were sent since the database was opened (tests count them). */
  statementCount(): number;
  close(): Promise<void>;
}

const INTERVAL_OID = 1186;

type TypeParser = (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
const defaultTypeParser = pg.types.getTypeParser as unknown as TypeParser;

/** Keeps `interval` as PostgreSQL text, as PGlite returns it, instead of node-postgres' object. */
const pgTypes = {
  getTypeParser: ((oid, format) => (oid === INTERVAL_OID ? (value: string) => value : defaultTypeParser(oid, format))) satisfies TypeParser,
};

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

/** Every type's parser: none, so each value stays PostgreSQL's text. */
const textTypes = { getTypeParser: () => (value: string) => value };

type TextRowsQuery = (sql: string, parameters: readonly unknown[]) => Promise<(string | null)[][]>;

async function createDialect(spec: string): Promise<{ dialect: Dialect; name: DialectName; queryTextRows: TextRowsQuery }> {
  if (isPostgresUrl(spec)) {
    try {
      new URL(spec);
    } catch {
      throw new DatabaseOpenError('invalid PostgreSQL URL');
    }
    const pool = new pg.Pool({ connectionString: spec, options: '-c TimeZone=UTC -c IntervalStyle=postgres', types: pgTypes, max: 10 });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    // Straight to the pool: a transaction holds a client of its own, so nothing lands inside it.
    const queryTextRows: TextRowsQuery = async (sql, parameters) =>
      (await pool.query<(string | null)[]>({ text: sql, values: [...parameters], rowMode: 'array', types: textTypes })).rows;
    return { dialect: new PostgresDialect({ pool }), name: 'postgres', queryTextRows };
  }
  const dataDir = spec === 'memory' ? undefined : spec;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
    await pglite.exec("set time zone 'UTC'; set intervalstyle = 'postgres'");
  } catch (error) {
    throw new DatabaseOpenError(`cannot open the embedded database${dataDir === undefined ? '' : ` in ${dataDir}`}: ${String(error)}`);
  }
  const dialect = new PGliteDialect(pglite);
  return { dialect, name: 'pglite', queryTextRows: (sql, parameters) => dialect.queryTextRows(sql, parameters) };
}

/**
 * Opens and migrates a database.
 *
 * @param spec `memory` or undefined (PGlite in memory), a directory path (PGlite data directory),
 *   or a `postgres://` URL (a node-postgres pool).
 * @throws {DatabaseOpenError} when the spec is invalid, the server unreachable or a migration fails.
 */
export async function openDatabase(spec: string | undefined): Promise<Database> {
  const source = spec === undefined || spec.trim() === '' ? 'memory' : spec.trim();
  const { dialect, name, queryTextRows } = await createDialect(source);
  let statements = 0;
  const kysely = new Kysely<Tables>({
    dialect,
    log: () => {
      statements += 1;
    },
  });
  try {
    await migrate(kysely as unknown as Kysely<unknown>, name);
  } catch (error) {
    await kysely.destroy().catch(() => undefined);
    const where = name === 'postgres' ? `PostgreSQL at ${redact(source)}` : 'the embedded database';
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseOpenError(`cannot prepare ${where}: ${reason}`);
  }
  let closed = false;
  return {
    kysely,
    dialect: name,
    async query<R>(compiled: CompiledStatement): Promise<R[]> {
      const result = await kysely.executeQuery<R>(CompiledQuery.raw(compiled.sql, [...compiled.parameters]));
      return result.rows;
    },
    queryTextRows(compiled: CompiledStatement): Promise<(string | null)[][]> {
      statements += 1;
      return queryTextRows(compiled.sql, compiled.parameters);
    },
    transaction: (fn) => kysely.transaction().execute(fn),
    statementCount: () => statements,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}
