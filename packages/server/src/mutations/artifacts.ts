/**
 * Task run artifacts (`create_link_artifact`, `create_markdown_artifact`, `StartFlowRun`'s
 * link): created for a task run of the caller's tenant, updated and deleted by id.
 */
import { z } from 'zod';
import { jsonb, type JsonValue } from '../db/tables.js';
import type { MutationResolver } from '../graphql/context.js';
import { badUserInput } from '../graphql/errors.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { storableJson, storableText } from './storable.js';
import { callerTenant } from './tenant-scope.js';
import { updatePayload } from './payloads.js';

/** Prefect Server's `artifacts_max_payload_bytes`: the largest `data` a new artifact may carry. */
export const MAX_ARTIFACT_BYTES = 1_000_000;

const createInput = z.object({ task_run_id: uuid, kind: storableText, data: storableJson, tenant_id: uuid.nullish() });
const updateInput = z.object({ task_run_artifact_id: uuid, data: storableJson });
const deleteInput = z.object({ task_run_artifact_id: uuid });

/**
 * `create_task_run_artifact`. An unknown task run is "Task run X not found" (Prefect Core
 * retries its create for a while on "not found", as a task run may be moments old).
 */
export const createTaskRunArtifact: MutationResolver = async (args, ctx) => {
  const input = parseInput('create_task_run_artifact', createInput, args);
  const tenantId = callerTenant(ctx, input.tenant_id);
  const data = (input.data ?? null) as JsonValue;
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_ARTIFACT_BYTES) {
    throw badUserInput(`Artifact data payload exceeds ${String(MAX_ARTIFACT_BYTES)} bytes limit.`);
  }
  const created = await ctx.db.transaction(async (tx) => {
    const taskRun = await tx
      .selectFrom('task_run')
      .select(['id', 'flow_run_id'])
      .where('id', '=', input.task_run_id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!taskRun) throw notFound(`Task run ${input.task_run_id} not found`);
    const artifact = await tx
      .insertInto('task_run_artifact')
      .values({ tenant_id: tenantId, task_run_id: taskRun.id, kind: input.kind, data: jsonb(data) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: artifact.id, flowRunId: taskRun.flow_run_id };
  });
  ctx.events.emit({ table: 'task_run_artifact', tenantId, operation: 'insert', flowRunId: created.flowRunId, taskRunId: input.task_run_id, ids: [created.id] });
  return { id: created.id };
};

export const updateTaskRunArtifact: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_task_run_artifact', updateInput, args);
  const updated = await ctx.db.kysely
    .updateTable('task_run_artifact')
    .set({ data: jsonb((input.data ?? null) as JsonValue), updated: ctx.now() })
    .where('id', '=', input.task_run_artifact_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning(['id', 'task_run_id'])
    .executeTakeFirst();
  if (updated) ctx.events.emit({ table: 'task_run_artifact', tenantId: ctx.tenantId, operation: 'update', taskRunId: updated.task_run_id, ids: [updated.id] });
  return updatePayload(updated !== undefined, `Task run artifact ${input.task_run_artifact_id} not found.`);
};

export const deleteTaskRunArtifact: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_task_run_artifact', deleteInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('task_run_artifact')
    .where('id', '=', input.task_run_artifact_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning(['id', 'task_run_id'])
    .executeTakeFirst();
  if (deleted) ctx.events.emit({ table: 'task_run_artifact', tenantId: ctx.tenantId, operation: 'delete', taskRunId: deleted.task_run_id, ids: [deleted.id] });
  return updatePayload(deleted !== undefined, `Task run artifact ${input.task_run_artifact_id} not found.`);
};
