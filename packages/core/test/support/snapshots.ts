// The databases the global setup (test/global-setup.ts) prepares once per `vitest run`, before
// any test file: `migrated` holds @runview/server's schema only, `demo` its demo data too. A
// test gets a copy of its own, so that no file runs initdb, the migrations or the demo seed:
// a PGlite data directory copied into this run's scratch directory, or a PostgreSQL database
// created from a template. Without the global setup (another runner), an empty database the
// server migrates (and seeds when asked), as before.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import pg from 'pg';
import { inject, type ProvidedContext } from 'vitest';

export type Snapshot = 'migrated' | 'demo';

/**
 * The lock file @runview/server keeps in a PGlite data directory while it has it open. A
 * snapshot is taken closed, so it has none; a copy must never carry one, or the copy's server
 * would take it for another process's.
 */
export const DATA_DIR_LOCK_FILE = 'runview-server.lock';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite data directories, by snapshot, and the run's scratch directory for their copies. */
    coreSnapshots: { readonly pglite: Readonly<Record<Snapshot, string>>; readonly scratch: string } | null;
    /** PostgreSQL template databases, by snapshot (null without RUNVIEW_TEST_DATABASE_URL). */
    corePostgresTemplates: Readonly<Partial<Record<Snapshot, string>>> | null;
  }
}

/** A database of a test's own: its spec for `createServer({ database })`, and how to let it go. */
export interface SnapshotCopy {
  readonly database: string;
  /** Whether it holds the snapshot's rows (false: empty, no global setup ran). */
  readonly fromSnapshot: boolean;
  /** After the server closed: removes the copy. */
  readonly drop: () => Promise<void>;
}

function provided<K extends 'coreSnapshots' | 'corePostgresTemplates'>(key: K): ProvidedContext[K] | null {
  try {
    // Null when the setup provided nothing for it (another runner).
    const value: ProvidedContext[K] | undefined = inject(key);
    return value ?? null;
  } catch {
    // Outside a vitest run with the global setup: nothing was provided.
    return null;
  }
}

/** A copy of the snapshot's PGlite data directory, in this run's scratch directory. */
export async function pgliteCopy(snapshot: Snapshot): Promise<SnapshotCopy> {
  const snapshots = provided('coreSnapshots');
  if (snapshots === null) return { database: 'memory', fromSnapshot: false, drop: () => Promise.resolve() };
  const dir = await mkdtemp(join(snapshots.scratch, `${snapshot}-`));
  await cp(snapshots.pglite[snapshot], dir, { recursive: true, filter: (source) => basename(source) !== DATA_DIR_LOCK_FILE });
  return { database: dir, fromSnapshot: true, drop: () => rm(dir, { recursive: true, force: true }) };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new PostgreSQL database on the server `adminUrl` names, from the snapshot's template. */
export async function postgresCopy(adminUrl: string, snapshot: Snapshot): Promise<SnapshotCopy> {
  const template = provided('corePostgresTemplates')?.[snapshot];
  const name = `runview_core_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, template === undefined ? `create database ${name}` : `create database ${name} template ${template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { database: url.toString(), fromSnapshot: template !== undefined, drop: () => admin(adminUrl, `drop database if exists ${name} with (force)`) };
}
