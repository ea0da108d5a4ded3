/**
 * `get_runs_in_queue`: what an agent polls for. A Mutation in Prefect Server, because it
 * records when the agent (named by `X-PREFECT-AGENT-ID`) last asked.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { MutationResolver } from '../graphql/context.js';
import { formatTimestamp, SCHEDULED_STATE_TYPES } from '../states/index.js';
import { parseInput, timestamp, uuid } from './input.js';
import { requestAgentId } from './request-agent.js';
import { storableText } from './storable.js';
import { callerTenant } from './tenant-scope.js';

/** Prefect Server's `queued_runs_returned_limit`: at most this many ids per poll. */
export const QUEUED_RUNS_LIMIT = 25;
/** Candidates read per poll: three times the limit, in case labelled runs come first. */
const CANDIDATES = QUEUED_RUNS_LIMIT * 3;

const runsInQueueInput = z.object({
  tenant_id: uuid,
  before: timestamp.nullish(),
  labels: z.array(storableText).nullish(),
});

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Whether an agent with `agentLabels` may run a flow run with `runLabels`: every run label is
 * one of the agent's, and an agent with labels takes no unlabelled run.
 */
export function agentMayRun(agentLabels: ReadonlySet<string>, runLabels: readonly string[]): boolean {
  if (runLabels.length === 0) return agentLabels.size === 0;
  return runLabels.every((label) => agentLabels.has(label));
}

/**
 * The ids of the runs of the tenant that are ready: a Scheduled-like state (Scheduled, Paused,
 * Resume, Retrying, Queued) whose start time is at or before `before` (default now), or a
 * Running run with a task run in such a state (a retry waiting). The earliest first; labels as
 * {@link agentMayRun}; at most {@link QUEUED_RUNS_LIMIT}.
 */
export const getRunsInQueue: MutationResolver = async (args, ctx) => {
  const input = parseInput('get_runs_in_queue', runsInQueueInput, args);
  const tenantId = callerTenant(ctx, input.tenant_id);
  const now = ctx.now();
  // Bound as text so its microseconds survive (a Date keeps milliseconds).
  const before = sql<Date>`cast(${input.before ?? formatTimestamp(now)} as timestamptz)`;
  const scheduled = [...SCHEDULED_STATE_TYPES];
  const candidates = await ctx.db.kysely
    .selectFrom('flow_run')
    .select(['flow_run.id', 'flow_run.labels'])
    .where('flow_run.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('flow_run.state', 'in', scheduled), eb('flow_run.state_start_time', '<=', before)]),
        eb.and([
          eb('flow_run.state', '=', 'Running'),
          eb.exists(
            eb
              .selectFrom('task_run')
              .select('task_run.id')
              .whereRef('task_run.flow_run_id', '=', 'flow_run.id')
              .where('task_run.tenant_id', '=', tenantId)
              .where('task_run.state', 'in', scheduled)
              .where('task_run.state_start_time', '<=', before),
          ),
        ]),
      ]),
    )
    .orderBy('flow_run.state_start_time', (order) => order.asc().nullsLast())
    .orderBy('flow_run.id')
    .limit(CANDIDATES)
    .execute();
  const agentLabels = new Set(input.labels ?? []);
  const ready = candidates
    .filter((run) => agentMayRun(agentLabels, isStringArray(run.labels) ? run.labels : []))
    .slice(0, QUEUED_RUNS_LIMIT)
    .map((run) => run.id);
  const agentId = requestAgentId(ctx);
  if (agentId !== undefined) {
    const agent = await ctx.db.kysely
      .updateTable('agent')
      .set({ last_queried: now, updated: now })
      .where('id', '=', agentId)
      .where('tenant_id', '=', tenantId)
      .returning('id')
      .executeTakeFirst();
    if (agent) ctx.events.emit({ table: 'agent', tenantId, operation: 'update', ids: [agent.id] });
  }
  return { flow_run_ids: ready };
};
