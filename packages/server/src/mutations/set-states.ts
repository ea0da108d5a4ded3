import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { isRunningState, parseState, type ParsedState } from '../states/index.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { requestAgentId } from './request-agent.js';
import { writeRunState, writeRunStates } from './state-writer.js';

/** What `set_*_run_states` answers per state: the run's id and SUCCESS (Server never queues). */
interface StatePayload {
  readonly id: string;
  readonly status: 'SUCCESS';
  readonly message: null;
}

// `version` and `flow_run_version` are accepted and ignored, as Prefect Server does ("for
// Cloud API compatibility"): a stale version is written like any other. Cloud's version
// locking (`VERSION_LOCKING_ERROR`) is not emulated, and Prefect Core expects it from Cloud only.
const flowRunStatesInput = z.object({
  states: z.array(z.object({ flow_run_id: uuid, version: z.int().nullish(), state: z.unknown() })),
});

const taskRunStatesInput = z.object({
  states: z.array(z.object({ task_run_id: uuid, version: z.int().nullish(), state: z.unknown(), flow_run_version: z.int().nullish() })),
});

/** How long a Submitted flow run state blocks the next one (Prefect Server's submission lock). */
const SUBMITTED_LOCK_SECONDS = 30;

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

/**
 * Two agents must not both start a run: a Submitted state is refused while the run entered
 * Submitted less than 30 seconds ago. Prefect Server keeps this lock in its process memory;
 * here it is read from the run's history, under the run's row lock, so it holds across
 * processes sharing one database too.
 */
async function assertNotJustSubmitted(tx: Kysely<Tables>, flowRunId: string, now: Date): Promise<void> {
  const recent = await tx
    .selectFrom('flow_run_state')
    .select('id')
    .where('flow_run_id', '=', flowRunId)
    .where('state', '=', 'Submitted')
    .where('timestamp', '>', sql<Date>`cast(${now.toISOString()} as timestamptz) - make_interval(secs => ${SUBMITTED_LOCK_SECONDS})`)
    .limit(1)
    .executeTakeFirst();
  if (recent) throw badUserInput('State update failed: this run has already been submitted.');
}

/** The agent named by `X-PREFECT-AGENT-ID`, when it is an agent of the caller's tenant. */
async function submittingAgent(tx: Kysely<Tables>, ctx: RequestContext): Promise<string | undefined> {
  const agentId = requestAgentId(ctx);
  if (agentId === undefined) return undefined;
  const agent = await tx.selectFrom('agent').select('id').where('id', '=', agentId).where('tenant_id', '=', ctx.tenantId).executeTakeFirst();
  return agent?.id;
}

/**
 * `set_flow_run_states`, with Prefect Server's rules: a Submitted state takes the 30-second
 * submission lock and records the agent of `X-PREFECT-AGENT-ID`; a Cancelled state cancels
 * the run's unfinished task runs; the state writer keeps start, end and heartbeat. All states
 * of a request are written in one transaction, or none.
 */
export const setFlowRunStates: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_run_states', flowRunStatesInput, args);
  const ids = input.states.map((entry) => entry.flow_run_id);
  const states = parseStates(
    ids,
    input.states.map((entry) => entry.state),
    'flow run',
  );
  const now = ctx.now();
  const cancelledTaskRuns = await ctx.db.transaction(async (tx) => {
    const cancelled = new Map<string, string[]>();
    for (const [index, state] of states.entries()) {
      const id = ids[index] ?? '';
      const run = await tx.selectFrom('flow_run').select('id').where('id', '=', id).where('tenant_id', '=', ctx.tenantId).forUpdate().executeTakeFirst();
      if (!run) throw notFound(`State update failed for flow run ID ${id}: flow run not found.`);
      if (state.type === 'Submitted') await assertNotJustSubmitted(tx, id, now);
      if (state.type === 'Cancelled') {
        const taskRuns = await writeRunStates(tx, 'task_run', ctx.tenantId, { flowRunId: id, unfinishedOnly: true }, state, now);
        cancelled.set(id, [...(cancelled.get(id) ?? []), ...taskRuns.map((written) => written.runId)]);
      }
      await writeRunState(tx, 'flow_run', { id, tenantId: ctx.tenantId }, state, now);
      const agentId = state.type === 'Submitted' ? await submittingAgent(tx, ctx) : undefined;
      if (agentId !== undefined) await tx.updateTable('flow_run').set({ agent_id: agentId }).where('id', '=', id).execute();
    }
    return cancelled;
  });
  for (const id of new Set(ids)) {
    const scope = { tenantId: ctx.tenantId, flowRunId: id } as const;
    ctx.events.emit({ table: 'flow_run', operation: 'update', ids: [id], ...scope });
    ctx.events.emit({ table: 'flow_run_state', operation: 'insert', ...scope });
    const taskRunIds = cancelledTaskRuns.get(id) ?? [];
    if (taskRunIds.length > 0) {
      ctx.events.emit({ table: 'task_run', operation: 'update', ids: taskRunIds, ...scope });
      ctx.events.emit({ table: 'task_run_state', operation: 'insert', ...scope });
    }
  }
  return { states: ids.map((id): StatePayload => ({ id, status: 'SUCCESS', message: null })) };
};

/**
 * `set_task_run_states`, with Prefect Server's rules: a running state needs the flow run to be
 * `Running` (not Cancelling), and a state without cached inputs keeps the stored ones (the
 * state writer). All states of a request are written in one transaction, or none.
 */
export const setTaskRunStates: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_task_run_states', taskRunStatesInput, args);
  const ids = input.states.map((entry) => entry.task_run_id);
  const states = parseStates(
    ids,
    input.states.map((entry) => entry.state),
    'task run',
  );
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
      if (isRunningState(state.type) && run.flow_run_state !== 'Running') {
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
