/**
 * Applies the pending migrations, each in its own transaction, and records them in
 * `runview_migration`, then (re)creates the functions the query compiler calls. On PostgreSQL
 * an advisory lock makes two processes starting at once take turns: the second finds the work
 * done; and migrations run without the statement timeout, which is meant for requests.
 */
import { sql, type Kysely } from 'kysely';
import { ROW_BUDGET_FUNCTION_SQL } from './row-budget.js';
import { migrations, type Migration } from './migrations.js';

/** Arbitrary but fixed: the key of the advisory lock that guards migrations. */
const MIGRATION_LOCK_KEY = 727_465_001;

/** Splits a migration into statements (PGlite prepares one statement per query). */
function statements(migration: Migration): string[] {
  return migration.sql
    .split(/;\s*\n/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export async function migrate(kysely: Kysely<unknown>, dialect: 'pglite' | 'postgres'): Promise<void> {
  await kysely.connection().execute(async (connection) => {
    if (dialect === 'postgres') {
      await sql`set statement_timeout = 0`.execute(connection);
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
    try {
      await sql`create table if not exists runview_migration (id varchar primary key, applied_at timestamptz not null default now())`.execute(connection);
      const done = await sql<{ id: string }>`select id from runview_migration`.execute(connection);
      const applied = new Set(done.rows.map((row) => row.id));
      for (const migration of migrations) {
        if (applied.has(migration.id)) continue;
        await connection.transaction().execute(async (tx) => {
          for (const statement of statements(migration)) await sql.raw(statement).execute(tx);
          await sql`insert into runview_migration (id) values (${migration.id})`.execute(tx);
        });
      }
      await sql.raw(ROW_BUDGET_FUNCTION_SQL).execute(connection);
    } finally {
      if (dialect === 'postgres') {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
        // Back to the connection's own (the server's statement timeout) before the pool reuses it.
        await sql`reset statement_timeout`.execute(connection);
      }
    }
  });
}
