import { z } from 'zod';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver } from '../graphql/context.js';
import { isRunningState, isStateType, parseState, type ParsedState } from '../states/index.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { writeRunState } from './state-writer.js';

/** What `set_*_run_states` answers per state: the run's id and SUCCESS (Server never queues). */
interface StatePayload {
  readonly id: string;
  readonly status: 'SUCCESS';
  readonly message: null;
}

// `version` and `flow_run_version` are accepted and ignored, as Prefect Server does ("for
// Cloud API compatibility"); Cloud's version locking is not emulated.
const flowRunStatesInput = z.object({
  states: z.array(z.object({ flow_run_id: uuid, version: z.int().nullish(), state: z.unknown() })),
});

const taskRunStatesInput = z.object({
  states: z.array(
    z.object({ task_run_id: uuid, version: z.int().nullish(), state: z.unknown(), flow_run_version: z.int().nullish() }),
  ),
});

/** Parses every state before anything is written: one bad state rejects the whole request. */
function parseStates(ids: readonly string[], states: readonly unknown[], what: string): ParsedState[] {
  return states.map((state, index) => {
    try {
      return parseState(state);
    } catch (error) {
      if (error instanceof Error) {
        throw badUserInput(`State update failed for ${what} ID ${String(ids[index])}: ${error.message}`);
      }
      throw error;
    }
  });
}

export const setFlowRunStates: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_run_states', flowRunStatesInput, args);
  const ids = input.states.map((entry) => entry.flow_run_id);
  const states = parseStates(ids, input.states.map((entry) => entry.state), 'flow run');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    for (const [index, state] of states.entries()) {
      const id = ids[index] ?? '';
      const written = await writeRunState(tx, 'flow_run', { id, tenantId: ctx.tenantId }, state, now);
      if (!written) throw notFound(`State update failed for flow run ID ${id}: flow run not found.`);
    }
  });
  for (const id of new Set(ids)) {
    ctx.events.emit({ table: 'flow_run', tenantId: ctx.tenantId, operation: 'update', flowRunId: id, ids: [id] });
    ctx.events.emit({ table: 'flow_run_state', tenantId: ctx.tenantId, operation: 'insert', flowRunId: id });
  }
  return { states: ids.map((id): StatePayload => ({ id, status: 'SUCCESS', message: null })) };
};

export const setTaskRunStates: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_task_run_states', taskRunStatesInput, args);
  const ids = input.states.map((entry) => entry.task_run_id);
  const states = parseStates(ids, input.states.map((entry) => entry.state), 'task run');
  if (ids.length === 0) return { states: [] };
  const now = ctx.now();
  const runs = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .selectFrom('task_run')
      .innerJoin('flow_run', 'flow_run.id', 'task_run.flow_run_id')
      .select(['task_run.id as id', 'task_run.flow_run_id as flow_run_id', 'flow_run.state as flow_run_state'])
      .where('task_run.id', 'in', [...new Set(ids)])
      .where('task_run.tenant_id', '=', ctx.tenantId)
      .forUpdate('task_run')
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [index, state] of states.entries()) {
      const id = ids[index] ?? '';
      const run = byId.get(id);
      if (!run) throw notFound(`State update failed for task run ID ${id}: task run not found.`);
      // As Prefect Server: a task run may only start while its flow run is running.
      const flowRunState = run.flow_run_state ?? '';
      if (isRunningState(state.type) && !(isStateType(flowRunState) && isRunningState(flowRunState))) {
        throw badUserInput(
          `State update failed for task run ID ${id}: provided a running state but associated flow run ${run.flow_run_id} is not in a running state.`,
        );
      }
      await writeRunState(tx, 'task_run', { id, tenantId: ctx.tenantId }, state, now);
    }
    return byId;
  });
  for (const id of new Set(ids)) {
    const flowRunId = runs.get(id)?.flow_run_id;
    const scope = { tenantId: ctx.tenantId, taskRunId: id, ...(flowRunId === undefined ? {} : { flowRunId }) };
    ctx.events.emit({ table: 'task_run', operation: 'update', ids: [id], ...scope });
    ctx.events.emit({ table: 'task_run_state', operation: 'insert', ...scope });
  }
  return { states: ids.map((id): StatePayload => ({ id, status: 'SUCCESS', message: null })) };
};
