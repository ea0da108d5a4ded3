// The databases a test can run a real server on: PGlite always, and PostgreSQL (a database of
// its own, dropped afterwards) when RUNVIEW_TEST_DATABASE_URL names a server. Both start
// migrated, copied from the snapshot the global setup prepared (test/support/snapshots.ts).
import { pgliteCopy, postgresCopy } from './snapshots.js';

const POSTGRES_URL = process.env['RUNVIEW_TEST_DATABASE_URL'];

export interface Backend {
  readonly name: string;
  /** True when the backend is not available here (PostgreSQL without RUNVIEW_TEST_DATABASE_URL). */
  readonly skip: boolean;
  /** A new database for a server (`createServer({ database })`), and how to drop it once the server closed. */
  open(): Promise<{ database: string; drop: () => Promise<void> }>;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'PGlite', skip: false, open: () => pgliteCopy('migrated') },
  {
    name: 'PostgreSQL',
    skip: POSTGRES_URL === undefined || POSTGRES_URL === '',
    open: () => postgresCopy(POSTGRES_URL ?? '', 'migrated'),
  },
];
