// Runs once per `vitest run`, before any test file: prepares a PGlite data directory that is
// migrated and holds the demo data, so that no test file migrates or seeds on its own (that was
// most of the suite's time). The directory is kept between runs under node_modules/.cache, keyed
// by the server's built migrations and seed: a changed migration or seed prepares a new one.
// It then serves two copies for the files that only read (one open, one requiring a key); a
// file that writes opens a copy of its own (support/server.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { SHARED_API_KEY, startServerOnCopy } from './demo-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory with the demo data: copy it, never open it. */
    readonly demoDataDirectory: string;
    /** The demo API shared by the files that only read, without keys. */
    readonly sharedDemoApi: string;
    /** The demo API shared by the files that only read, requiring `SHARED_API_KEY`. */
    readonly sharedKeyedDemoApi: string;
  }
}

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/runview-test/', import.meta.url));
const require = createRequire(import.meta.url);
const PGLITE = join('node_modules', '@electric-sql', 'pglite');

/** Every file of `dir` (recursively), sorted, so that the hash does not depend on listing order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** What the prepared directory depends on: the server's migrations and seed, and PGlite's version. */
function sourceHash(): string {
  const serverDist = dirname(require.resolve('@runview/server'));
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(serverDist, 'db')), ...filesUnder(join(serverDist, 'seed'))])
    hash.update(file.slice(serverDist.length)).update(readFileSync(file));
  // PGlite's own data-directory format goes with its version.
  const pglite = require.resolve('@electric-sql/pglite', { paths: [serverDist] });
  const pgliteRoot = pglite.slice(0, pglite.lastIndexOf(PGLITE) + PGLITE.length);
  hash.update(readFileSync(join(pgliteRoot, 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const key = `cli-demo-${sourceHash()}`;
  const target = join(CACHE, key);
  if (!existsSync(target)) {
    mkdirSync(CACHE, { recursive: true });
    // Prepared beside the target and renamed into place: a run that stops half way, or a second
    // run doing the same at the same time, never leaves a half-seeded directory under the key.
    const building = mkdtempSync(join(CACHE, `${key}.building-`));
    const { createServer } = await import('@runview/server');
    const server = await createServer({ database: building, seed: 'demo', logger: false });
    await server.close();
    try {
      renameSync(building, target);
    } catch (error) {
      if (!existsSync(target)) throw error;
      rmSync(building, { recursive: true, force: true });
    }
    // Directories of older migrations or seeds are of no further use, nor those a stopped run
    // left half built (an hour old: a run preparing one now is not disturbed).
    for (const name of readdirSync(CACHE)) {
      const path = join(CACHE, name);
      const stale = name.includes('.building-') ? Date.now() - statSync(path).mtimeMs > 3_600_000 : name !== key;
      if (name.startsWith('cli-demo-') && stale) rmSync(path, { recursive: true, force: true });
    }
  }
  project.provide('demoDataDirectory', target);
  const [open, keyed] = await Promise.all([startServerOnCopy(target), startServerOnCopy(target, { apiKeys: [SHARED_API_KEY] })]);
  project.provide('sharedDemoApi', open.url);
  project.provide('sharedKeyedDemoApi', keyed.url);
  return async () => {
    await Promise.all([open.close(), keyed.close()]);
  };
}
