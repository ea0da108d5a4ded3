/**
 * Agents and agent configs: `register_agent` (an agent starting), `delete_agent`, and the agent
 * config mutations of the UI. Everything is scoped to the caller's tenant.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { jsonb, type JsonValue } from '../db/tables.js';
import type { MutationResolver } from '../graphql/context.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { storableJsonObject, storableText } from './storable.js';
import { callerTenant } from './tenant-scope.js';
import { updatePayload } from './payloads.js';

const registerAgentInput = z.object({
  tenant_id: uuid.nullish(),
  labels: z.array(storableText).nullish(),
  agent_config_id: uuid.nullish(),
  type: storableText,
  name: storableText.nullish(),
});

const agentIdInput = z.object({ agent_id: uuid });
const createAgentConfigInput = z.object({ tenant_id: uuid, name: storableText.nullish(), settings: storableJsonObject.nullish() });
const agentConfigIdInput = z.object({ agent_config_id: uuid });
const updateAgentConfigInput = z.object({ agent_config_id: uuid, name: storableText.nullish(), settings: storableJsonObject.nullish() });

/**
 * `register_agent`: an agent announces itself when it starts; its id comes back as
 * `X-PREFECT-AGENT-ID` on its later requests. As Prefect Server does, an agent already
 * registered with the same name, type, Prefect Core version (`X-PREFECT-CORE-VERSION`) and
 * sorted labels gets its id back instead of a new row; a name or version not given matches
 * any (Hasura's `_eq: null` is no condition).
 */
export const registerAgent: MutationResolver = async (args, ctx) => {
  const input = parseInput('register_agent', registerAgentInput, args);
  const tenantId = callerTenant(ctx, input.tenant_id);
  const labels = [...(input.labels ?? [])].sort();
  const name = input.name ?? null;
  const coreVersion = ctx.coreVersion ?? null;
  const registered = await ctx.db.transaction(async (tx) => {
    if (input.agent_config_id !== null && input.agent_config_id !== undefined) {
      const config = await tx
        .selectFrom('agent_config')
        .select('id')
        .where('id', '=', input.agent_config_id)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (!config) throw notFound(`Agent config ${input.agent_config_id} not found.`);
    }
    let same = tx
      .selectFrom('agent')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('type', '=', input.type)
      .where('labels', '=', sql<string>`cast(${jsonb(labels)} as jsonb)`);
    if (name !== null) same = same.where('name', '=', name);
    if (coreVersion !== null) same = same.where('core_version', '=', coreVersion);
    const existing = await same.orderBy('created').orderBy('id').limit(1).executeTakeFirst();
    if (existing) return { id: existing.id, created: false };
    const agent = await tx
      .insertInto('agent')
      .values({ tenant_id: tenantId, agent_config_id: input.agent_config_id ?? null, labels: jsonb(labels), name, type: input.type, core_version: coreVersion })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: agent.id, created: true };
  });
  if (registered.created) ctx.events.emit({ table: 'agent', tenantId, operation: 'insert', ids: [registered.id] });
  return { id: registered.id };
};

export const deleteAgent: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_agent', agentIdInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('agent')
    .where('id', '=', input.agent_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (deleted) ctx.events.emit({ table: 'agent', tenantId: ctx.tenantId, operation: 'delete', ids: [deleted.id] });
  return updatePayload(deleted !== undefined, `Agent ${input.agent_id} not found.`);
};

export const createAgentConfig: MutationResolver = async (args, ctx) => {
  const input = parseInput('create_agent_config', createAgentConfigInput, args);
  const tenantId = callerTenant(ctx, input.tenant_id);
  const config = await ctx.db.kysely
    .insertInto('agent_config')
    .values({ tenant_id: tenantId, name: input.name ?? null, settings: jsonb((input.settings ?? {}) as JsonValue) })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.events.emit({ table: 'agent_config', tenantId, operation: 'insert', ids: [config.id] });
  return { id: config.id };
};

/** `delete_agent_config`: its agents stay, without a config (as the foreign key says). */
export const deleteAgentConfig: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_agent_config', agentConfigIdInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('agent_config')
    .where('id', '=', input.agent_config_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (deleted) {
    ctx.events.emit({ table: 'agent_config', tenantId: ctx.tenantId, operation: 'delete', ids: [deleted.id] });
    ctx.events.emit({ table: 'agent', tenantId: ctx.tenantId, operation: 'update' });
  }
  return updatePayload(deleted !== undefined, `Agent config ${input.agent_config_id} not found.`);
};

/** `update_agent_config`: sets the name and/or the settings given (a null leaves a field as it is). */
export const updateAgentConfig: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_agent_config', updateAgentConfigInput, args);
  const updated = await ctx.db.kysely
    .updateTable('agent_config')
    .set({
      updated: ctx.now(),
      ...(input.name === null || input.name === undefined ? {} : { name: input.name }),
      ...(input.settings === null || input.settings === undefined ? {} : { settings: jsonb(input.settings as JsonValue) }),
    })
    .where('id', '=', input.agent_config_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (updated) ctx.events.emit({ table: 'agent_config', tenantId: ctx.tenantId, operation: 'update', ids: [updated.id] });
  return updatePayload(updated !== undefined, `Agent config ${input.agent_config_id} not found.`);
};
