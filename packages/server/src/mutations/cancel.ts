import type { MutationResolver } from '../graphql/context.js';
import { isFinishedState, isStateType, parseState, serializeState } from '../states/index.js';
import { notFound } from './errors.js';
import { flowRunIdInput, parseInput } from './input.js';
import { writeRunState, writeRunStates } from './state-writer.js';

const CANCELLED_MESSAGE = 'Flow run is cancelled';

/**
 * `cancel_flow_run`: moves an unfinished flow run to Cancelled and, in the same
 * transaction, every unfinished task run of it. A finished run is left as it is; either
 * way the answer is the run's state afterwards.
 */
export const cancelFlowRun: MutationResolver = async (args, ctx) => {
  const input = parseInput('cancel_flow_run', flowRunIdInput, args);
  const { tenantId } = ctx;
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const run = await tx
      .selectFrom('flow_run')
      .select(['id', 'state'])
      .where('id', '=', input.flow_run_id)
      .where('tenant_id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!run) throw notFound(`Flow run ${input.flow_run_id} not found.`);
    if (run.state !== null && isStateType(run.state) && isFinishedState(run.state)) {
      return { state: run.state, taskRunIds: undefined };
    }
    const cancelled = parseState(serializeState('Cancelled', { message: CANCELLED_MESSAGE }));
    await writeRunState(tx, 'flow_run', { id: run.id, tenantId }, cancelled, now);
    const taskRuns = await writeRunStates(tx, 'task_run', tenantId, { flowRunId: run.id, unfinishedOnly: true }, cancelled, now);
    return { state: cancelled.type, taskRunIds: taskRuns.map((written) => written.runId) };
  });
  if (outcome.taskRunIds) {
    const scope = { tenantId, flowRunId: input.flow_run_id } as const;
    ctx.events.emit({ table: 'flow_run', operation: 'update', ids: [input.flow_run_id], ...scope });
    ctx.events.emit({ table: 'flow_run_state', operation: 'insert', ...scope });
    if (outcome.taskRunIds.length > 0) {
      ctx.events.emit({ table: 'task_run', operation: 'update', ids: outcome.taskRunIds, ...scope });
      ctx.events.emit({ table: 'task_run_state', operation: 'insert', ...scope });
    }
  }
  return { state: outcome.state };
};
