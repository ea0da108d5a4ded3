/**
 * Test support for the write side: a fresh server per test file on PGlite, or on PostgreSQL
 * (a database of its own, dropped afterwards) when RUNVIEW_TEST_DATABASE_URL is set, each
 * copied from a snapshot migrated once per run, and a GraphQL client that sends the shipped
 * documents through the server's HTTP handler.
 */
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { createServer, openDatabase, type Database, type RunviewServer, type ServerOptions } from '../src/index.js';
import { createGraphQLClient, type GraphQLClient } from '../src/simulate/client.js';
import type { Snapshot } from './support/snapshots.js';

export const POSTGRES_URL = process.env['RUNVIEW_TEST_DATABASE_URL'];

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** True when the backend is unavailable here (PostgreSQL without RUNVIEW_TEST_DATABASE_URL). */
  readonly skip: boolean;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'pglite', skip: false },
  { name: 'postgres', skip: POSTGRES_URL === undefined || POSTGRES_URL === '' },
];

/** The database a test file gets: its spec for createServer, and how to let it go. */
interface FreshDatabase {
  readonly database: string | Database;
  /** Whether it holds the snapshot's rows already (false: an empty database, migrated on open). */
  readonly fromSnapshot: boolean;
  /** After the server closed: closes a database the harness opened, drops a PostgreSQL one. */
  readonly drop: () => Promise<void>;
}

/**
 * A database of its own for one test file, copied from the snapshot the global setup
 * prepared (test/global-setup.ts, which vitest.config.ts runs): PGlite loaded in memory from
 * the snapshot's archive, or a new PostgreSQL database created from its template.
 */
async function freshDatabase(backend: Backend, snapshot: Snapshot): Promise<FreshDatabase> {
  if (backend.name === 'pglite') {
    const archive = inject('pgliteArchives')[snapshot];
    if (archive === undefined) return { database: 'memory', fromSnapshot: false, drop: () => Promise.resolve() };
    const db = await openDatabase('memory', { archive: await openAsBlob(archive) });
    return { database: db, fromSnapshot: true, drop: () => db.close() };
  }
  const adminUrl = POSTGRES_URL ?? '';
  const template = inject('postgresTemplates')[snapshot];
  const name = `runview_writes_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(template === undefined ? `create database ${name}` : `create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    database: url.toString(),
    fromSnapshot: template !== undefined,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestServer {
  readonly server: RunviewServer;
  /** A client sending requests through the server's in-process fetch, with an optional API key. */
  client(apiKey?: string): GraphQLClient;
  close(): Promise<void>;
}

/**
 * Starts a server on a database of its own. `seed: 'demo'` starts from the demo snapshot
 * (the rows `seedDemo` inserts, prepared once per run) rather than seeding again.
 */
export async function startTestServer(backend: Backend, options: Omit<ServerOptions, 'database'> = {}): Promise<TestServer> {
  const { seed, ...rest } = options;
  const database = await freshDatabase(backend, seed === 'demo' ? 'demo' : 'migrated');
  let server: RunviewServer;
  try {
    server = await createServer({ logger: false, ...rest, ...(database.fromSnapshot || seed === undefined ? {} : { seed }), database: database.database });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    server,
    client: (apiKey) =>
      createGraphQLClient({
        url: 'http://runview.test/graphql',
        fetch: (request) => server.fetch(request),
        ...(apiKey === undefined ? {} : { apiKey }),
      }),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

/** Number of rows of a table (optionally of one flow run), read directly from the database. */
export async function countRows(server: RunviewServer, table: 'flow_run' | 'flow_run_state' | 'task_run' | 'task_run_state' | 'log'): Promise<number> {
  const row = await server.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
