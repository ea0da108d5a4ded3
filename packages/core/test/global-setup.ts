/**
 * Runs once per `vitest run`, before any test file: builds the databases of
 * test/support/snapshots.ts once, so that the shared server and the files with servers of their
 * own start from a copy instead of running initdb, @runview/server's migrations and its demo
 * seed each time.
 *
 * - PGlite: data directories cached under `node_modules/.cache/runview-test/`, copied per test
 *   into a scratch directory this setup removes at the end of the run.
 * - PostgreSQL (when RUNVIEW_TEST_DATABASE_URL is set): a migrated template database.
 *
 * Every cache is keyed by a hash of the server's built database and seed modules, PGlite's
 * version and this file, so a changed migration or seed is never served stale.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type * as Server from '@runview/server';
import type { TestProject } from 'vitest/node';
import type { Snapshot } from './support/snapshots.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
/** The server's build: what the snapshots are made by. */
const SERVER_DIST = dirname(require.resolve('@runview/server'));

/** Loaded only to build a snapshot: a run with a warm cache does not pay for importing the server here. */
function serverPackage(): Promise<typeof Server> {
  return import('@runview/server');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => path.endsWith('.js') && statSync(path).isFile())
    .sort();
}

function cacheKey(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(SERVER_DIST, 'db')), ...filesUnder(join(SERVER_DIST, 'seed')), fileURLToPath(import.meta.url)]) {
    hash.update(file.slice(PACKAGE_ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  // PGlite's entry lives in dist/; its manifest one level up.
  const serverRequire = createRequire(join(SERVER_DIST, 'index.js'));
  const manifest = join(dirname(serverRequire.resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated PGlite data directory, or for `demo` a copy of that one with the demo data
 * seeded, built unless cached.
 */
async function pgliteSnapshot(cacheDir: string, snapshot: Snapshot, migrated: string | null): Promise<string> {
  const path = join(cacheDir, snapshot);
  if (existsSync(path)) return path;
  const building = mkdtempSync(join(cacheDir, `${snapshot}-building-`));
  try {
    if (migrated !== null) cpSync(migrated, building, { recursive: true });
    const { createServer } = await serverPackage();
    const server = await createServer({ database: building, logger: false, ...(snapshot === 'demo' ? { seed: 'demo' as const } : {}) });
    // Closed, the server's lock file is gone: the directory holds the cluster only.
    await server.close();
    // Atomic: a concurrent run sees the whole directory or builds its own.
    renameSync(building, path);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (existsSync(path)) return path;
    throw error;
  }
  return path;
}

/** How old another key's cache must be before it is removed (a run still using it is long done). */
const STALE_CACHE_MS = 60 * 60 * 1000;

function pruneStale(cacheRoot: string, key: string): void {
  if (!existsSync(cacheRoot)) return;
  for (const entry of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, entry);
    if (entry !== key && Date.now() - statSync(path).mtimeMs > STALE_CACHE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Arbitrary but fixed: the advisory lock under which concurrent runs build a template once. */
const TEMPLATE_LOCK_KEY = 727_465_016;

/** A migrated PostgreSQL template database, built unless it exists. */
async function postgresTemplate(admin: pg.Client, adminUrl: string, key: string): Promise<string> {
  const name = `runview_core_tpl_migrated_${key}`;
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount !== 0) return name;
  // Built under another name and renamed when complete, so a half-built one is never used.
  const building = `${name}_building`;
  await admin.query(`drop database if exists ${building} with (force)`);
  await admin.query(`create database ${building}`);
  const url = new URL(adminUrl);
  url.pathname = `/${building}`;
  const { createServer } = await serverPackage();
  const server = await createServer({ database: url.toString(), logger: false });
  await server.close();
  await admin.query(`alter database ${building} rename to ${name}`);
  return name;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const key = cacheKey();
  const cacheRoot = join(PACKAGE_ROOT, 'node_modules/.cache/runview-test');
  pruneStale(cacheRoot, key);
  const cacheDir = join(cacheRoot, key);
  mkdirSync(cacheDir, { recursive: true });
  const migrated = await pgliteSnapshot(cacheDir, 'migrated', null);
  const pglite: Record<Snapshot, string> = { migrated, demo: await pgliteSnapshot(cacheDir, 'demo', migrated) };
  const scratch = mkdtempSync(join(tmpdir(), 'runview-core-test-'));
  project.provide('coreSnapshots', { pglite, scratch });
  project.provide('corePostgresTemplates', null);
  const teardown = (): void => {
    rmSync(scratch, { recursive: true, force: true });
  };

  const adminUrl = process.env['RUNVIEW_TEST_DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') return teardown;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    // The PostgreSQL tests start from the schema (the shared server runs on PGlite).
    project.provide('corePostgresTemplates', { migrated: await postgresTemplate(admin, adminUrl, key) });
  } finally {
    await admin.end();
  }
  return teardown;
}
