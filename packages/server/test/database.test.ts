// Opening databases: migrations are recorded and idempotent, two processes may start on one
// PostgreSQL database at once, an embedded data directory keeps its rows (and its archive loads
// into memory), and a database that cannot be opened gives a DatabaseOpenError that says why.
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DatabaseOpenError, DEFAULT_TENANT_ID, openDatabase } from '../src/index.js';
import { archiveDatabase } from '../src/db/database.js';
import { migrations } from '../src/db/migrations.js';
import { POSTGRES_URL } from './mutations-harness.js';

/** The migrated PGlite archive the global setup prepared. */
async function migratedArchive(): Promise<Blob> {
  const path = inject('pgliteArchives').migrated;
  if (path === undefined) throw new TypeError('the global setup prepared no migrated archive');
  return openAsBlob(path);
}

describe('embedded database', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps rows in a data directory across reopening, migrating once; its archive loads into memory only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runview-pglite-'));
    dirs.push(dir);
    const first = await openDatabase(dir);
    await first.kysely.insertInto('project').values({ name: 'kept' }).execute();
    await first.close();
    const second = await openDatabase(dir);
    try {
      const projects = await second.kysely.selectFrom('project').select(['name', 'tenant_id']).execute();
      expect(projects).toEqual([{ name: 'kept', tenant_id: DEFAULT_TENANT_ID }]);
      const applied = await second.query<{ id: string }>({ sql: 'select id from runview_migration order by id', parameters: [] });
      expect(applied.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
      expect(second.dialect).toBe('pglite');
    } finally {
      await second.close();
    }

    const pglite = await PGlite.create({ dataDir: dir });
    const archive = await pglite.dumpDataDir('none');
    await pglite.close();
    await expect(openDatabase(dir, { archive })).rejects.toThrow(/archive loads only into an in-memory database/);
    const copy = await openDatabase('memory', { archive });
    try {
      expect(await copy.kysely.selectFrom('project').select('name').execute()).toEqual([{ name: 'kept' }]);
      const applied = await copy.query<{ id: string }>({ sql: 'select id from runview_migration order by id', parameters: [] });
      expect(applied.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
      // A copy: what it writes stays out of the directory it came from (which the refused open left alone).
      await copy.kysely.insertInto('project').values({ name: 'copy only' }).execute();
    } finally {
      await copy.close();
    }
    const reopened = await openDatabase(dir);
    try {
      expect(await reopened.kysely.selectFrom('project').select('name').execute()).toEqual([{ name: 'kept' }]);
    } finally {
      await reopened.close();
    }
  });

  it('runs a transaction to completion or not at all', async () => {
    // A migrated copy prepared once per run (test/global-setup.ts): no initdb of its own.
    const db = await openDatabase('memory', { archive: await migratedArchive() });
    try {
      await expect(
        db.transaction(async (tx) => {
          await tx.insertInto('project').values({ name: 'rolled back' }).execute();
          throw new RangeError('abort');
        }),
      ).rejects.toThrow('abort');
      await db.transaction(async (tx) => {
        await tx.insertInto('project').values({ name: 'committed' }).execute();
      });
      expect((await db.kysely.selectFrom('project').select('name').execute()).map((row) => row.name)).toEqual(['committed']);
      // Archived, the database opens as a copy with what was committed.
      const copy = await openDatabase('memory', { archive: await archiveDatabase(db) });
      try {
        expect((await copy.kysely.selectFrom('project').select('name').execute()).map((row) => row.name)).toEqual(['committed']);
      } finally {
        await copy.close();
      }
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(POSTGRES_URL === undefined || POSTGRES_URL === '')('PostgreSQL', () => {
  const admin = POSTGRES_URL ?? '';
  const name = `runview_open_${randomBytes(6).toString('hex')}`;
  // Built when a test runs: the body of a skipped describe still runs, with no URL to parse.
  const databaseUrl = (): string => {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.toString();
  };

  /** Runs one statement on the server's maintenance database. */
  async function onServer(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    await onServer(`drop database if exists ${name} with (force)`);
  });

  it('migrates once when two processes open the same database at once', async () => {
    await onServer(`create database ${name}`);
    const [a, b] = await Promise.all([openDatabase(databaseUrl()), openDatabase(databaseUrl())]);
    try {
      const applied = await a.query<{ id: string }>({ sql: 'select id from runview_migration order by id', parameters: [] });
      expect(applied.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
      await a.kysely.insertInto('project').values({ name: 'shared' }).execute();
      expect(await b.kysely.selectFrom('project').select('name').execute()).toEqual([{ name: 'shared' }]);
      expect(a.dialect).toBe('postgres');
      expect(() => archiveDatabase(a)).toThrow(/only an embedded database can be archived/);
      // The session time zone is UTC, so JSON renders timestamps as Prefect Server does.
      const [row] = await b.query<{ t: string }>({ sql: "select to_json('2021-05-12T19:59:56.383629+02:00'::timestamptz) as t", parameters: [] });
      expect(row?.t).toBe('2021-05-12T17:59:56.383629+00:00');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('databases that cannot be opened', () => {
  it('names an unreachable PostgreSQL without its password', async () => {
    const error: unknown = await openDatabase('postgres://runview:s3cret@127.0.0.1:1/runview').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toMatch(/^cannot prepare PostgreSQL at postgres:\/\/runview:\*\*\*@127\.0\.0\.1:1\/runview/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses a malformed PostgreSQL URL', async () => {
    await expect(openDatabase('postgres://[bad')).rejects.toThrow(DatabaseOpenError);
  });
});
