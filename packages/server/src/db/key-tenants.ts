/**
 * A tenant row for every tenant an API key names (`KEY:TENANT_ID`), made at start when it is
 * missing. A key's tenant exists as soon as the key does, as a tenant made with
 * `prefect server create-tenant` does, so Prefect's client finds it (`tenant { id slug }` on
 * start) and the UI can show its name. Existing rows (a name or slug set since) are left alone.
 */
import { sql } from 'kysely';
import type { Database } from './database.js';
import { DEFAULT_TENANT_ID } from './tenant.js';

/** A tenant a key names could not be created: its slugs are taken by other tenants. */
export class KeyTenantError extends Error {
  override readonly name = 'KeyTenantError';
}

/**
 * The slugs a key's tenant may take, in order of preference: `tenant-` and the first 8 hex
 * digits of its id (short enough to type in a UI address), then all 32 when another tenant
 * holds the short one. Slugs are unique across tenants; ids are, so the long one is free
 * unless someone chose it by hand.
 */
export function keyTenantSlugs(tenantId: string): readonly [string, string] {
  const hex = tenantId.toLowerCase().replaceAll('-', '');
  return [`tenant-${hex.slice(0, 8)}`, `tenant-${hex}`];
}

/** Inserts the tenant under the first of its slugs no other tenant holds; false when all are taken. */
async function ensureTenant(db: Database, id: string): Promise<boolean> {
  const exists = async (): Promise<boolean> =>
    (await db.kysely
      .selectFrom('tenant')
      .select(sql<number>`1`.as('found'))
      .where('id', '=', id)
      .executeTakeFirst()) !== undefined;
  if (await exists()) return true;
  for (const slug of keyTenantSlugs(id)) {
    // `on conflict do nothing` covers both unique keys: the id (another process inserted the
    // tenant first) and the slug (another tenant holds it: try the next one).
    const inserted = await db.kysely
      .insertInto('tenant')
      .values({ id, name: slug, slug })
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted !== undefined || (await exists())) return true;
  }
  return false;
}

/**
 * Creates the missing tenants of `tenantIds` (the default tenant always exists). Safe when
 * several processes start at once on one PostgreSQL: a row another one inserted first is kept.
 *
 * @throws {KeyTenantError} when both slugs of a tenant are taken by other tenants.
 */
export async function ensureKeyTenants(db: Database, tenantIds: Iterable<string>): Promise<void> {
  for (const id of new Set(tenantIds)) {
    if (id === DEFAULT_TENANT_ID || (await ensureTenant(db, id))) continue;
    throw new KeyTenantError(`cannot create tenant ${id} for its API key: the slugs ${keyTenantSlugs(id).join(' and ')} belong to other tenants`);
  }
}
