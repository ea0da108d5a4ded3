/**
 * The tenant mutations of Prefect Server: `create_tenant` (what `prefect server
 * create-tenant` sends) and the three updates. A caller updates only its own tenant; any
 * other id is answered as Prefect Server answers an unknown one.
 */
import { z } from 'zod';
import { jsonb, type JsonValue } from '../db/tables.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { badUserInput } from '../graphql/errors.js';
import { withConstraintErrors } from './database-errors.js';
import { notFound } from './errors.js';
import { jsonObject, parseInput, uuid } from './input.js';

/** What `slugify(slug) == slug` accepts: lowercase letters and digits in hyphen-separated words. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function verifySlug(slug: string): void {
  if (!SLUG.test(slug)) throw badUserInput('Slug must be "slugified" (lowercase; no spaces)');
}

const createTenantInput = z.object({ name: z.string(), slug: z.string() });
const updateNameInput = z.object({ tenant_id: uuid, name: z.string() });
const updateSlugInput = z.object({ tenant_id: uuid, slug: z.string() });
const updateSettingsInput = z.object({ tenant_id: uuid, settings: jsonObject.nullish() });

export const createTenant: MutationResolver = async (args, ctx) => {
  const input = parseInput('create_tenant', createTenantInput, args);
  verifySlug(input.slug);
  const tenant = await withConstraintErrors(() =>
    ctx.db.kysely.insertInto('tenant').values({ name: input.name, slug: input.slug }).returning('id').executeTakeFirstOrThrow(),
  );
  ctx.events.emit({ table: 'tenant', tenantId: tenant.id, operation: 'insert', ids: [tenant.id] });
  return { id: tenant.id };
};

/** Updates the caller's tenant; "Update failed." when `tenantId` is not the caller's tenant. */
async function updateOwnTenant(ctx: RequestContext, tenantId: string, set: { name?: string; slug?: string }): Promise<{ id: string }> {
  const updated = await withConstraintErrors(() =>
    ctx.db.kysely
      .updateTable('tenant')
      .set({ ...set, updated: ctx.now() })
      .where('id', '=', tenantId)
      .where('id', '=', ctx.tenantId)
      .returning('id')
      .executeTakeFirst(),
  );
  if (!updated) throw notFound('Update failed.');
  ctx.events.emit({ table: 'tenant', tenantId: ctx.tenantId, operation: 'update', ids: [updated.id] });
  return { id: updated.id };
}

export const updateTenantName: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_tenant_name', updateNameInput, args);
  return updateOwnTenant(ctx, input.tenant_id, { name: input.name });
};

export const updateTenantSlug: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_tenant_slug', updateSlugInput, args);
  verifySlug(input.slug);
  return updateOwnTenant(ctx, input.tenant_id, { slug: input.slug });
};

/** `update_tenant_settings`: the given keys replace the stored ones, the others stay. */
export const updateTenantSettings: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_tenant_settings', updateSettingsInput, args);
  const id = await ctx.db.transaction(async (tx) => {
    const tenant = await tx
      .selectFrom('tenant')
      .select(['id', 'settings'])
      .where('id', '=', input.tenant_id)
      .where('id', '=', ctx.tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!tenant) throw notFound('Invalid tenant id.');
    const current = typeof tenant.settings === 'object' && tenant.settings !== null && !Array.isArray(tenant.settings) ? tenant.settings : {};
    const settings = { ...current, ...(input.settings ?? {}) } as JsonValue;
    await tx
      .updateTable('tenant')
      .set({ settings: jsonb(settings), updated: ctx.now() })
      .where('id', '=', tenant.id)
      .execute();
    return tenant.id;
  });
  ctx.events.emit({ table: 'tenant', tenantId: ctx.tenantId, operation: 'update', ids: [id] });
  return { id };
};
