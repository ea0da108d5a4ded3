/**
 * What Prefect Server does to a flow's runs that have not started when its schedule or the
 * flow itself goes away: auto-scheduled runs still Scheduled are deleted, runs scheduled by
 * hand are cancelled (archiving only). Run inside the caller's transaction.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import type { RequestContext } from '../graphql/context.js';
import { parseState, serializeState } from '../states/index.js';
import { writeRunState, writeRunStates } from './state-writer.js';

/** Flow runs touched, for the change events sent after the transaction commits. */
export interface RunChanges {
  readonly deleted: string[];
  readonly cancelled: string[];
}

export function noRunChanges(): RunChanges {
  return { deleted: [], cancelled: [] };
}

/** Which flows' runs: some flows by id, or every flow of a flow group. */
export type FlowsSelector = { readonly flowIds: readonly string[] } | { readonly flowGroupId: string };

/** Ids of the runs of `flows` still Scheduled, auto-scheduled or scheduled by hand. */
async function scheduledRunIds(tx: Kysely<Tables>, tenantId: string, flows: FlowsSelector, autoScheduled: boolean): Promise<string[]> {
  if ('flowIds' in flows && flows.flowIds.length === 0) return [];
  const rows = await tx
    .selectFrom('flow_run')
    .select('flow_run.id')
    .where('flow_run.tenant_id', '=', tenantId)
    .where('flow_run.state', '=', 'Scheduled')
    .where('flow_run.auto_scheduled', '=', autoScheduled)
    .where('flow_run.flow_id', 'in', (eb) =>
      'flowIds' in flows
        ? eb
            .selectFrom('flow')
            .select('flow.id')
            .where('flow.id', 'in', [...flows.flowIds])
        : eb.selectFrom('flow').select('flow.id').where('flow.flow_group_id', '=', flows.flowGroupId),
    )
    .execute();
  return rows.map((row) => row.id);
}

/** Deletes the auto-scheduled runs that are still Scheduled (with their task runs, states and logs). */
export async function deleteAutoScheduledRuns(tx: Kysely<Tables>, tenantId: string, flows: FlowsSelector, changes: RunChanges): Promise<void> {
  const ids = await scheduledRunIds(tx, tenantId, flows, true);
  if (ids.length === 0) return;
  await tx.deleteFrom('flow_run').where('id', 'in', ids).where('tenant_id', '=', tenantId).execute();
  changes.deleted.push(...ids);
}

/** Cancels the runs scheduled by hand that are still Scheduled, and their unfinished task runs. */
export async function cancelManualScheduledRuns(
  tx: Kysely<Tables>,
  ctx: RequestContext,
  flows: FlowsSelector,
  message: string,
  changes: RunChanges,
): Promise<void> {
  const ids = await scheduledRunIds(tx, ctx.tenantId, flows, false);
  if (ids.length === 0) return;
  const cancelled = parseState(serializeState('Cancelled', { message }));
  const now = ctx.now();
  for (const id of ids) {
    await writeRunState(tx, 'flow_run', { id, tenantId: ctx.tenantId }, cancelled, now);
    await writeRunStates(tx, 'task_run', ctx.tenantId, { flowRunId: id, unfinishedOnly: true }, cancelled, now);
  }
  changes.cancelled.push(...ids);
}

/** The change events of {@link RunChanges}, once the transaction committed. */
export function emitRunChanges(ctx: RequestContext, changes: RunChanges): void {
  const { tenantId } = ctx;
  for (const id of changes.deleted) ctx.events.emit({ table: 'flow_run', tenantId, operation: 'delete', flowRunId: id, ids: [id] });
  for (const id of changes.cancelled) {
    const scope = { tenantId, flowRunId: id } as const;
    ctx.events.emit({ table: 'flow_run', operation: 'update', ids: [id], ...scope });
    ctx.events.emit({ table: 'flow_run_state', operation: 'insert', ...scope });
    ctx.events.emit({ table: 'task_run', operation: 'update', ...scope });
    ctx.events.emit({ table: 'task_run_state', operation: 'insert', ...scope });
  }
}
