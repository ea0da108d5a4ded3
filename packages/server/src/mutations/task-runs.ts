import { z } from 'zod';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver } from '../graphql/context.js';
import { parseState, serializeState } from '../states/index.js';
import { TASK_RUN_CREATED_MESSAGE } from './create-flow-run.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { writeRunState } from './state-writer.js';

const getOrCreateTaskRunInput = z.object({
  flow_run_id: uuid,
  task_id: uuid,
  map_index: z.int().min(-1).nullish(),
});

/**
 * `get_or_create_task_run`: the task run of a flow run for a task and map index (-1: an
 * unmapped task or a mapped parent), created Pending ("Task run created") when missing.
 * Idempotent: calling it again returns the same id and writes nothing.
 */
export const getOrCreateTaskRun: MutationResolver = async (args, ctx) => {
  const input = parseInput('get_or_create_task_run', getOrCreateTaskRunInput, args);
  const { tenantId } = ctx;
  const mapIndex = input.map_index ?? -1;
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const flowRun = await tx
      .selectFrom('flow_run')
      .select(['id', 'flow_id'])
      .where('id', '=', input.flow_run_id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!flowRun) throw notFound(`Flow run ${input.flow_run_id} not found.`);
    const task = await tx
      .selectFrom('task')
      .select(['id', 'flow_id', 'cache_key'])
      .where('id', '=', input.task_id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!task) throw notFound(`Task ${input.task_id} not found.`);
    if (task.flow_id !== flowRun.flow_id) {
      throw badUserInput(`Task ${task.id} does not belong to the flow of flow run ${flowRun.id}.`);
    }
    const inserted = await tx
      .insertInto('task_run')
      .values({ tenant_id: tenantId, flow_run_id: flowRun.id, task_id: task.id, map_index: mapIndex, cache_key: task.cache_key })
      .onConflict((oc) => oc.columns(['flow_run_id', 'task_id', 'map_index']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      const pending = parseState(serializeState('Pending', { message: TASK_RUN_CREATED_MESSAGE }));
      await writeRunState(tx, 'task_run', { id: inserted.id, tenantId }, pending, now);
      return { id: inserted.id, created: true };
    }
    const existing = await tx
      .selectFrom('task_run')
      .select('id')
      .where('flow_run_id', '=', flowRun.id)
      .where('task_id', '=', task.id)
      .where('map_index', '=', mapIndex)
      .executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  });
  if (result.created) {
    const scope = { tenantId, operation: 'insert', flowRunId: input.flow_run_id, taskRunId: result.id } as const;
    ctx.events.emit({ table: 'task_run', ids: [result.id], ...scope });
    ctx.events.emit({ table: 'task_run_state', ...scope });
  }
  return { id: result.id };
};
