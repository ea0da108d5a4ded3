/**
 * Test support for the write side: a fresh server per test file on PGlite, or on PostgreSQL
 * (a database of its own, dropped afterwards) when RUNVIEW_TEST_DATABASE_URL is set, and a
 * GraphQL client that sends the shipped documents through the server's HTTP handler.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createServer, type RunviewServer, type ServerOptions } from '../src/index.js';
import { createGraphQLClient, type GraphQLClient } from '../src/simulate/client.js';

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

/** A database spec for one test file: PGlite in memory, or a new PostgreSQL database. */
async function freshDatabase(backend: Backend): Promise<{ spec: string; drop: () => Promise<void> }> {
  if (backend.name === 'pglite') return { spec: 'memory', drop: () => Promise.resolve() };
  const adminUrl = POSTGRES_URL ?? '';
  const name = `runview_writes_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    spec: url.toString(),
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

export async function startTestServer(backend: Backend, options: Omit<ServerOptions, 'database'> = {}): Promise<TestServer> {
  const database = await freshDatabase(backend);
  let server: RunviewServer;
  try {
    server = await createServer({ logger: false, ...options, database: database.spec });
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
export async function countRows(
  server: RunviewServer,
  table: 'flow_run' | 'flow_run_state' | 'task_run' | 'task_run_state' | 'log',
): Promise<number> {
  const row = await server.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
