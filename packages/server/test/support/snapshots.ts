/**
 * The databases the global setup (test/global-setup.ts) prepares once per run, before any
 * test file: `migrated` holds the schema only, `demo` the demo data too (each snapshot adds
 * to the one before it). Test files get copies of them through the harness
 * (test/mutations-harness.ts).
 */
export const SNAPSHOTS = ['migrated', 'demo'] as const;
export type Snapshot = (typeof SNAPSHOTS)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite data directory archives (tar files), by snapshot. */
    pgliteArchives: Partial<Record<Snapshot, string>>;
    /** PostgreSQL template databases, by snapshot (none without RUNVIEW_TEST_DATABASE_URL). */
    postgresTemplates: Partial<Record<Snapshot, string>>;
  }
}
