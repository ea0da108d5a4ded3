// @ts-check
/**
 * Where a benchmark's server keeps its data: PGlite in memory, or a PostgreSQL database of its
 * own (created for the run, dropped afterwards) on the server named by
 * RUNVIEW_BENCH_DATABASE_URL or RUNVIEW_TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** @typedef {'pglite' | 'postgres'} BackendKind */

/** @typedef {{ kind: BackendKind, spec: string, drop: () => Promise<void> }} BenchDatabase */

/** The PostgreSQL server to use, or undefined for PGlite only. */
export function postgresUrl() {
  const url = process.env['RUNVIEW_BENCH_DATABASE_URL'] || process.env['RUNVIEW_TEST_DATABASE_URL'];
  return url === undefined || url.trim() === '' ? undefined : url.trim();
}

/**
 * @param {string} url
 * @param {string} sql
 */
async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database.
 *
 * @param {BackendKind} kind
 * @returns {Promise<BenchDatabase>}
 */
export async function freshDatabase(kind) {
  if (kind === 'pglite') return { kind, spec: 'memory', drop: () => Promise.resolve() };
  const adminUrl = postgresUrl();
  if (adminUrl === undefined) throw new Error('no PostgreSQL server: set RUNVIEW_BENCH_DATABASE_URL or RUNVIEW_TEST_DATABASE_URL');
  // A generated identifier, not user input: safe to splice into DDL (which takes no parameters).
  const name = `runview_bench_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    spec: url.toString(),
    drop: () => admin(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * The PostgreSQL server's version, e.g. `PostgreSQL 15.14`.
 *
 * @param {string} url
 */
export async function postgresVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query('show server_version');
    const row = /** @type {{ server_version?: string } | undefined} */ (result.rows[0]);
    return `PostgreSQL ${(row?.server_version ?? '?').split(' ')[0]}`;
  } finally {
    await client.end();
  }
}
