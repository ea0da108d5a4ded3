/**
 * Managing registered flows, as Prefect Server's flow mutations do: archive, delete, move to
 * another project, switch the flow group's heartbeat and Lazarus settings, turn the schedule
 * on and off. Every one acts on the caller's tenant only, in one transaction.
 */
import { z } from 'zod';
import { jsonb, type JsonValue } from '../db/tables.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { archiveFlows } from './archive.js';
import { cascadeOf, emitCascade } from './cascade.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { successPayload } from './payloads.js';
import { activateSchedule, deactivateSchedule } from './schedule.js';
import { emitRunChanges, noRunChanges } from './scheduled-runs.js';
import { isJsonObject } from './json.js';

const flowIdInput = z.object({ flow_id: uuid });
const updateFlowProjectInput = z.object({ flow_id: uuid, project_id: uuid });

export const deleteFlow: MutationResolver = async (args, ctx) => {
  const { flow_id: flowId } = parseInput('delete_flow', flowIdInput, args);
  const { tenantId } = ctx;
  const deleted = await ctx.db.transaction(async (tx) => {
    const cascade = await cascadeOf(tx, tenantId, { flowId });
    const flow = await tx.deleteFrom('flow').where('id', '=', flowId).where('tenant_id', '=', tenantId).returning('id').executeTakeFirst();
    return flow === undefined ? undefined : cascade;
  });
  if (deleted === undefined) return successPayload(false);
  emitCascade(ctx, deleted);
  return successPayload(true);
};

export const archiveFlow: MutationResolver = async (args, ctx) => {
  const { flow_id: flowId } = parseInput('archive_flow', flowIdInput, args);
  const runs = noRunChanges();
  const archived = await ctx.db.transaction((tx) => archiveFlows(tx, ctx, [flowId], runs));
  if (archived.length === 0) return successPayload(false);
  ctx.events.emit({ table: 'flow', tenantId: ctx.tenantId, operation: 'update', ids: archived });
  emitRunChanges(ctx, runs);
  return successPayload(true);
};

/** `update_flow_project`: both the flow and the project must be the tenant's. */
export const updateFlowProject: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_flow_project', updateFlowProjectInput, args);
  const { tenantId } = ctx;
  const updated = await ctx.db.kysely
    .updateTable('flow')
    .set({ project_id: input.project_id, updated: ctx.now() })
    .where('id', '=', input.flow_id)
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.exists(eb.selectFrom('project').select('project.id').where('project.id', '=', input.project_id).where('project.tenant_id', '=', tenantId)),
    )
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound('Invalid flow or project ID.');
  ctx.events.emit({ table: 'flow', tenantId, operation: 'update', ids: [updated.id] });
  return { id: updated.id };
};

/** Merges `patch` into the settings of the flow's flow group ("Invalid flow ID." for an unknown flow). */
async function patchGroupSettings(ctx: RequestContext, mutation: string, args: Record<string, unknown>, patch: Record<string, JsonValue>): Promise<unknown> {
  const { flow_id: flowId } = parseInput(mutation, flowIdInput, args);
  const groupId = await ctx.db.transaction(async (tx) => {
    const group = await tx
      .selectFrom('flow_group')
      .select(['flow_group.id', 'flow_group.settings'])
      .where('flow_group.id', '=', (eb) =>
        eb.selectFrom('flow').select('flow.flow_group_id').where('flow.id', '=', flowId).where('flow.tenant_id', '=', ctx.tenantId),
      )
      .forUpdate()
      .executeTakeFirst();
    if (!group) throw notFound('Invalid flow ID.');
    const settings = { ...(isJsonObject(group.settings) ? group.settings : {}), ...patch };
    await tx
      .updateTable('flow_group')
      .set({ settings: jsonb(settings), updated: ctx.now() })
      .where('id', '=', group.id)
      .execute();
    return group.id;
  });
  ctx.events.emit({ table: 'flow_group', tenantId: ctx.tenantId, operation: 'update', ids: [groupId] });
  return successPayload(true);
}

export const enableFlowHeartbeat: MutationResolver = (args, ctx) =>
  patchGroupSettings(ctx, 'enable_flow_heartbeat', args, { disable_heartbeat: false, heartbeat_enabled: true });

export const disableFlowHeartbeat: MutationResolver = (args, ctx) =>
  patchGroupSettings(ctx, 'disable_flow_heartbeat', args, { disable_heartbeat: true, heartbeat_enabled: false });

export const enableFlowLazarusProcess: MutationResolver = (args, ctx) =>
  patchGroupSettings(ctx, 'enable_flow_lazarus_process', args, { lazarus_enabled: true });

export const disableFlowLazarusProcess: MutationResolver = (args, ctx) =>
  patchGroupSettings(ctx, 'disable_flow_lazarus_process', args, { lazarus_enabled: false });

/** `set_schedule_active`: `success` false for an unknown flow or one with no schedule at all. */
export const setScheduleActive: MutationResolver = async (args, ctx) => {
  const { flow_id: flowId } = parseInput('set_schedule_active', flowIdInput, args);
  const active = await ctx.db.transaction((tx) => activateSchedule(tx, ctx.tenantId, flowId));
  if (active) ctx.events.emit({ table: 'flow', tenantId: ctx.tenantId, operation: 'update', ids: [flowId] });
  return successPayload(active);
};

export const setScheduleInactive: MutationResolver = async (args, ctx) => {
  const { flow_id: flowId } = parseInput('set_schedule_inactive', flowIdInput, args);
  const runs = noRunChanges();
  const done = await ctx.db.transaction((tx) => deactivateSchedule(tx, ctx.tenantId, flowId, runs));
  if (done) {
    ctx.events.emit({ table: 'flow', tenantId: ctx.tenantId, operation: 'update', ids: [flowId] });
    emitRunChanges(ctx, runs);
  }
  return successPayload(done);
};
