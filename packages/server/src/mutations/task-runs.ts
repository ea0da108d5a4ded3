import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { JsonValue, Tables } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { parseState, serializeState } from '../states/index.js';
import { TASK_RUN_CREATED_MESSAGE } from './create-flow-run.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { writeRunState } from './state-writer.js';

const taskRunKeyInput = z.object({
  flow_run_id: uuid,
  task_id: uuid,
  map_index: z.int().min(-1).nullish(),
});

type TaskRunKey = z.output<typeof taskRunKeyInput>;

/** A task run as the task runner starts from it. */
interface TaskRunInfo {
  readonly id: string;
  readonly version: number;
  readonly state: string | null;
  readonly serialized_state: JsonValue | null;
}

async function findTaskRun(tx: Kysely<Tables>, flowRunId: string, taskId: string, mapIndex: number): Promise<TaskRunInfo | undefined> {
  return tx
    .selectFrom('task_run')
    .select(['id', 'version', 'state', 'serialized_state'])
    .where('flow_run_id', '=', flowRunId)
    .where('task_id', '=', taskId)
    .where('map_index', '=', mapIndex)
    .executeTakeFirst();
}

/**
 * The task run of a flow run for a task and map index (-1: an unmapped task or a mapped
 * parent), created when missing as Prefect Server creates it: version 0, one Pending ("Task
 * run created") state. This is how mapped children come into existence. Safe against
 * concurrent calls: the unique (flow run, task, map index) key makes the loser read the
 * winner's row.
 */
async function getOrCreateTaskRunInfo(ctx: RequestContext, input: TaskRunKey): Promise<{ info: TaskRunInfo; created: boolean }> {
  const { tenantId } = ctx;
  const mapIndex = input.map_index ?? -1;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const flowRun = await tx
      .selectFrom('flow_run')
      .select(['id', 'flow_id'])
      .where('id', '=', input.flow_run_id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!flowRun) throw notFound('Invalid flow run ID');
    const existing = await findTaskRun(tx, flowRun.id, input.task_id, mapIndex);
    if (existing) return { info: existing, created: false };
    const task = await tx
      .selectFrom('task')
      .select(['id', 'flow_id', 'cache_key'])
      .where('id', '=', input.task_id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!task) throw notFound('Invalid task ID');
    if (task.flow_id !== flowRun.flow_id) {
      throw badUserInput(`Task ${task.id} does not belong to the flow of flow run ${flowRun.id}.`);
    }
    const inserted = await tx
      .insertInto('task_run')
      .values({ tenant_id: tenantId, flow_run_id: flowRun.id, task_id: task.id, map_index: mapIndex, cache_key: task.cache_key })
      .onConflict((oc) => oc.columns(['flow_run_id', 'task_id', 'map_index']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const winner = await findTaskRun(tx, flowRun.id, task.id, mapIndex);
      if (!winner) throw notFound('Invalid task ID');
      return { info: winner, created: false };
    }
    const pending = parseState(serializeState('Pending', { message: TASK_RUN_CREATED_MESSAGE }));
    await writeRunState(tx, 'task_run', { id: inserted.id, tenantId }, pending, now, { initial: true });
    return { info: { id: inserted.id, version: 0, state: pending.type, serialized_state: pending.serialized as JsonValue }, created: true };
  });
}

function announceCreated(ctx: RequestContext, flowRunId: string, taskRunId: string): void {
  const scope = { tenantId: ctx.tenantId, operation: 'insert', flowRunId, taskRunId } as const;
  ctx.events.emit({ table: 'task_run', ids: [taskRunId], ...scope });
  ctx.events.emit({ table: 'task_run_state', ...scope });
}

/** `get_or_create_task_run`: the task run's id (see {@link getOrCreateTaskRunInfo}). */
export const getOrCreateTaskRun: MutationResolver = async (args, ctx) => {
  const input = parseInput('get_or_create_task_run', taskRunKeyInput, args);
  const { info, created } = await getOrCreateTaskRunInfo(ctx, input);
  if (created) announceCreated(ctx, input.flow_run_id, info.id);
  return { id: info.id };
};

/**
 * `get_or_create_task_run_info`: what the task runner calls before every task run (each
 * mapped child and retry included): `{id, version, state, serialized_state}`.
 */
export const getOrCreateTaskRunInfoResolver: MutationResolver = async (args, ctx) => {
  const input = parseInput('get_or_create_task_run_info', taskRunKeyInput, args);
  const { info, created } = await getOrCreateTaskRunInfo(ctx, input);
  if (created) announceCreated(ctx, input.flow_run_id, info.id);
  return info;
};
