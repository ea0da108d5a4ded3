/**
 * Runs once per `vitest run`, before any test file: migrates (and seeds with the demo data)
 * one database per backend, so that each test file starts from a copy instead of running
 * initdb, the migrations and the seed itself.
 *
 * - PGlite: the data directory archived as a tar (PGlite's `dumpDataDir`), cached under
 *   `node_modules/.cache/runview-test/`; a test file loads it into an in-memory PGlite.
 * - PostgreSQL (when RUNVIEW_TEST_DATABASE_URL is set): template databases; a test file
 *   runs `create database x template <template>`.
 *
 * Every cache is keyed by a hash of the sources that build it (the migrations, the seed and
 * what they import, this file) and of PGlite's version, so a changed migration is never
 * served stale: a new key builds anew.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { archiveDatabase, openDatabase, type Database } from '../src/db/database.js';
import { seedDemo } from '../src/seed/index.js';
import { SNAPSHOTS, type Snapshot } from './support/snapshots.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The relative `.js` imports of a TypeScript source, as paths of their `.ts` files. */
function localImports(file: string, text: string): string[] {
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((match) => resolve(dirname(file), `${match[1] ?? ''}.ts`));
}

/** Hashes the given sources and every local module they import, in a stable order. */
function sourceHash(roots: readonly string[], extra: readonly string[]): string {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    pending.push(...localImports(file, readFileSync(file, 'utf8')));
  }
  const hash = createHash('sha256');
  for (const file of [...seen].sort()) hash.update(file.slice(PACKAGE_ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its entry lives in dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** What a snapshot adds to the one before it (`migrated`: the migrations alone). */
async function fill(snapshot: Snapshot, db: Database): Promise<void> {
  if (snapshot === 'demo') await seedDemo(db);
}

/**
 * The archives of the migrated (and filled) PGlite snapshots, built unless cached: one
 * in-memory database, archived after each snapshot's rows (each adds to the one before).
 */
async function pgliteArchives(cacheDir: string): Promise<Record<Snapshot, string>> {
  const paths = Object.fromEntries(SNAPSHOTS.map((snapshot) => [snapshot, join(cacheDir, `${snapshot}.tar`)])) as Record<Snapshot, string>;
  if (SNAPSHOTS.every((snapshot) => existsSync(paths[snapshot]))) return paths;
  const db = await openDatabase('memory');
  try {
    for (const snapshot of SNAPSHOTS) {
      await fill(snapshot, db);
      const archive = await archiveDatabase(db);
      const partial = `${paths[snapshot]}.${String(process.pid)}`;
      writeFileSync(partial, new Uint8Array(await archive.arrayBuffer()));
      // Atomic: a concurrent run reads the whole archive or builds its own.
      renameSync(partial, paths[snapshot]);
    }
  } finally {
    await db.close();
  }
  return paths;
}

/** How old another key's cache must be before it is removed (a run still using it is long done). */
const STALE_CACHE_MS = 60 * 60 * 1000;

/** Removes the caches of other keys (sources since changed), once nobody can be reading them. */
function pruneStale(cacheRoot: string, key: string): void {
  if (!existsSync(cacheRoot)) return;
  for (const entry of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, entry);
    if (entry !== key && Date.now() - statSync(path).mtimeMs > STALE_CACHE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Arbitrary but fixed: the advisory lock that makes concurrent runs build a template once. */
const TEMPLATE_LOCK_KEY = 727_465_015;

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A migrated (and filled) PostgreSQL template database, built unless it exists: a copy of the
 * snapshot before it (`from`), or an empty database for the first, with the snapshot's rows.
 */
async function postgresTemplate(admin: pg.Client, adminUrl: string, key: string, snapshot: Snapshot, from: string | undefined): Promise<string> {
  const name = `runview_tpl_${snapshot}_${key}`;
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount !== 0) return name;
  // Built under another name and renamed when complete, so a half-built one is never used.
  const building = `${name}_building`;
  await admin.query(`drop database if exists ${building} with (force)`);
  await admin.query(from === undefined ? `create database ${building}` : `create database ${building} template ${from}`);
  const db = await openDatabase(databaseUrl(adminUrl, building));
  try {
    await fill(snapshot, db);
  } finally {
    await db.close();
  }
  await admin.query(`alter database ${building} rename to ${name}`);
  return name;
}

/** The PostgreSQL templates, or none without RUNVIEW_TEST_DATABASE_URL. */
async function postgresTemplates(key: string): Promise<Partial<Record<Snapshot, string>>> {
  const adminUrl = process.env['RUNVIEW_TEST_DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') return {};
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const templates: Partial<Record<Snapshot, string>> = {};
    let previous: string | undefined;
    for (const snapshot of SNAPSHOTS) {
      previous = await postgresTemplate(admin, adminUrl, key, snapshot, previous);
      templates[snapshot] = previous;
    }
    return templates;
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const key = sourceHash(
    [
      join(PACKAGE_ROOT, 'src/db/database.ts'),
      join(PACKAGE_ROOT, 'src/seed/index.ts'),
      fileURLToPath(import.meta.url),
      join(PACKAGE_ROOT, 'test/support/snapshots.ts'),
    ],
    [pgliteVersion()],
  );
  const cacheRoot = join(PACKAGE_ROOT, 'node_modules/.cache/runview-test');
  pruneStale(cacheRoot, key);
  const cacheDir = join(cacheRoot, key);
  mkdirSync(cacheDir, { recursive: true });
  // PGlite works in this process, PostgreSQL in its server: both at once.
  const [archives, templates] = await Promise.all([pgliteArchives(cacheDir), postgresTemplates(key)]);
  project.provide('pgliteArchives', archives);
  project.provide('postgresTemplates', templates);
}
