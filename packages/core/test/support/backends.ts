// The databases a test can run a real server on: PGlite in memory always, and PostgreSQL (a
// database of its own, dropped afterwards) when RUNVIEW_TEST_DATABASE_URL names a server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const POSTGRES_URL = process.env['RUNVIEW_TEST_DATABASE_URL'];

export interface Backend {
  readonly name: string;
  /** True when the backend is not available here (PostgreSQL without RUNVIEW_TEST_DATABASE_URL). */
  readonly skip: boolean;
  /** A new database for a server (`createServer({ database })`), and how to drop it. */
  open(): Promise<{ database: string; drop: () => Promise<void> }>;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'PGlite', skip: false, open: () => Promise.resolve({ database: 'memory', drop: () => Promise.resolve() }) },
  {
    name: 'PostgreSQL',
    skip: POSTGRES_URL === undefined || POSTGRES_URL === '',
    async open() {
      const admin = POSTGRES_URL ?? '';
      const name = `runview_core_${randomBytes(6).toString('hex')}`;
      const run = async (sql: string): Promise<void> => {
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      };
      await run(`create database ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return { database: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
    },
  },
];
