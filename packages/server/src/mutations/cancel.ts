import type { MutationResolver } from '../graphql/context.js';
import { isFinishedState, isRunningState, isStateType, parseState, serializeState } from '../states/index.js';
import { notFound } from './errors.js';
import { flowRunIdInput, parseInput } from './input.js';
import { writeRunState, writeRunStates } from './state-writer.js';

const CANCELLED_MESSAGE = 'Flow run is cancelled';
const CANCELLING_MESSAGE = 'Flow run is cancelling';

/**
 * `cancel_flow_run`, as Prefect Server does it: a running run (Running or Cancelling) moves to
 * Cancelling, for its flow runner to notice and stop its tasks; any other unfinished run moves
 * to Cancelled and, in the same transaction, every unfinished task run of it. A finished run is
 * left as it is. The answer is the run's state afterwards.
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
    if (!run) throw notFound(`Invalid flow run ID: ${input.flow_run_id}.`);
    const current = run.state !== null && isStateType(run.state) ? run.state : undefined;
    if (current !== undefined && isFinishedState(current)) return { state: current, taskRunIds: undefined };
    if (current !== undefined && isRunningState(current)) {
      const cancelling = parseState(serializeState('Cancelling', { message: CANCELLING_MESSAGE }));
      await writeRunState(tx, 'flow_run', { id: run.id, tenantId }, cancelling, now);
      return { state: cancelling.type, taskRunIds: [] };
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
