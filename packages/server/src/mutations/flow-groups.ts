/**
 * The flow group mutations the Prefect UI's flow settings call: description, labels, run
 * config, default parameters, schedule, and deleting the group. Each answers `success`
 * false for a flow group the tenant does not have, as Prefect Server does. Changing or
 * deleting the schedule deletes the group's auto-scheduled runs that have not started.
 */
import { z } from 'zod';
import { jsonb, type JsonValue, type RowUpdate } from '../db/tables.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { cascadeOf, emitCascade } from './cascade.js';
import { scheduleJson } from './clocks.js';
import { jsonObject, parseInput, uuid } from './input.js';
import { successPayload } from './payloads.js';
import { deleteAutoScheduledRuns, emitRunChanges, noRunChanges } from './scheduled-runs.js';

const groupIdInput = z.object({ flow_group_id: uuid });
const descriptionInput = z.object({ flow_group_id: uuid, description: z.string().nullish() });
const labelsInput = z.object({ flow_group_id: uuid, labels: z.array(z.string()).nullish() });
const runConfigInput = z.object({ flow_group_id: uuid, run_config: jsonObject.nullish() });
const defaultParametersInput = z.object({ flow_group_id: uuid, parameters: jsonObject });
const clockDefaults = jsonObject.nullish();
const scheduleInput = z.object({
  flow_group_id: uuid,
  cron_clocks: z.array(z.object({ cron: z.string(), parameter_defaults: clockDefaults })).nullish(),
  interval_clocks: z.array(z.object({ interval: z.number().int(), parameter_defaults: clockDefaults })).nullish(),
  timezone: z.string().nullish(),
});

/**
 * Updates one flow group of the tenant in one transaction, optionally deleting its
 * auto-scheduled runs not started yet; `success` says whether the tenant had the group.
 */
async function updateGroup(ctx: RequestContext, groupId: string, set: RowUpdate<'flow_group'>, dropAutoScheduled: boolean): Promise<unknown> {
  const runs = noRunChanges();
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await tx
      .updateTable('flow_group')
      .set({ ...set, updated: ctx.now() })
      .where('id', '=', groupId)
      .where('tenant_id', '=', ctx.tenantId)
      .returning('id')
      .executeTakeFirst();
    if (row !== undefined && dropAutoScheduled) await deleteAutoScheduledRuns(tx, ctx.tenantId, { flowGroupId: groupId }, runs);
    return row !== undefined;
  });
  if (updated) {
    ctx.events.emit({ table: 'flow_group', tenantId: ctx.tenantId, operation: 'update', ids: [groupId] });
    emitRunChanges(ctx, runs);
  }
  return successPayload(updated);
}

export const setFlowGroupDescription: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_group_description', descriptionInput, args);
  return updateGroup(ctx, input.flow_group_id, { description: input.description ?? null }, false);
};

/** `set_flow_group_labels`: duplicates dropped; null clears the labels (runs fall back to the run config's). */
export const setFlowGroupLabels: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_group_labels', labelsInput, args);
  const labels = input.labels === null || input.labels === undefined ? null : jsonb([...new Set(input.labels)]);
  return updateGroup(ctx, input.flow_group_id, { labels }, false);
};

export const setFlowGroupRunConfig: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_group_run_config', runConfigInput, args);
  return updateGroup(ctx, input.flow_group_id, { run_config: input.run_config ? jsonb(input.run_config as JsonValue) : null }, false);
};

export const setFlowGroupDefaultParameters: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_group_default_parameters', defaultParametersInput, args);
  return updateGroup(ctx, input.flow_group_id, { default_parameters: jsonb(input.parameters as JsonValue) }, false);
};

export const setFlowGroupSchedule: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_group_schedule', scheduleInput, args);
  const schedule = scheduleJson(input.cron_clocks ?? [], input.interval_clocks ?? [], input.timezone, ctx.now());
  return updateGroup(ctx, input.flow_group_id, { schedule: jsonb(schedule) }, true);
};

export const deleteFlowGroupSchedule: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_flow_group_schedule', groupIdInput, args);
  return updateGroup(ctx, input.flow_group_id, { schedule: null }, true);
};

/** `delete_flow_group`: the group with every flow of it and their runs. */
export const deleteFlowGroup: MutationResolver = async (args, ctx) => {
  const { flow_group_id: groupId } = parseInput('delete_flow_group', groupIdInput, args);
  const { tenantId } = ctx;
  const deleted = await ctx.db.transaction(async (tx) => {
    const cascade = await cascadeOf(tx, tenantId, { flowGroupId: groupId });
    const group = await tx.deleteFrom('flow_group').where('id', '=', groupId).where('tenant_id', '=', tenantId).returning('id').executeTakeFirst();
    return group === undefined ? undefined : cascade;
  });
  if (deleted === undefined) return successPayload(false);
  ctx.events.emit({ table: 'flow_group', tenantId, operation: 'delete', ids: [groupId] });
  emitCascade(ctx, deleted);
  return successPayload(true);
};
