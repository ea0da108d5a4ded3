import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import type { RequestContext } from '../graphql/context.js';
import { cancelManualScheduledRuns, deleteAutoScheduledRuns, type RunChanges } from './scheduled-runs.js';

/**
 * Archives flows of the caller's tenant as Prefect Server does: the flow can no longer run,
 * its auto-scheduled runs not started yet are deleted and the ones scheduled by hand are
 * cancelled ("Flow <id> was archived."). Returns the ids archived (unknown ids are skipped).
 */
export async function archiveFlows(tx: Kysely<Tables>, ctx: RequestContext, flowIds: readonly string[], changes: RunChanges): Promise<string[]> {
  if (flowIds.length === 0) return [];
  const rows = await tx
    .updateTable('flow')
    .set({ archived: true, updated: ctx.now() })
    .where('id', 'in', [...flowIds])
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .execute();
  for (const { id } of rows) {
    await deleteAutoScheduledRuns(tx, ctx.tenantId, { flowIds: [id] }, changes);
    await cancelManualScheduledRuns(tx, ctx, { flowIds: [id] }, `Flow ${id} was archived.`, changes);
  }
  return rows.map((row) => row.id);
}
