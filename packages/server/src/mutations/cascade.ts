/**
 * Deleting a project, a flow group or a flow removes their flows and the flows' runs through
 * the foreign keys' cascades. These helpers collect what a cascade is about to remove, so the
 * change events name it once the transaction commits.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import type { RequestContext } from '../graphql/context.js';

export interface Cascade {
  readonly flowIds: readonly string[];
  readonly runIds: readonly string[];
}

/** The tenant's flows of a project, a flow group or by id, and their runs. */
export async function cascadeOf(
  tx: Kysely<Tables>,
  tenantId: string,
  owner: { readonly projectId: string } | { readonly flowGroupId: string } | { readonly flowId: string },
): Promise<Cascade> {
  let flows = tx.selectFrom('flow').select('id').where('tenant_id', '=', tenantId);
  if ('projectId' in owner) flows = flows.where('project_id', '=', owner.projectId);
  else if ('flowGroupId' in owner) flows = flows.where('flow_group_id', '=', owner.flowGroupId);
  else flows = flows.where('id', '=', owner.flowId);
  const flowIds = (await flows.execute()).map((flow) => flow.id);
  const runs =
    flowIds.length === 0 ? [] : await tx.selectFrom('flow_run').select('id').where('flow_id', 'in', flowIds).where('tenant_id', '=', tenantId).execute();
  return { flowIds, runIds: runs.map((run) => run.id) };
}

/** The delete events of the flows and runs a cascade removed. */
export function emitCascade(ctx: RequestContext, cascade: Cascade): void {
  const { tenantId } = ctx;
  if (cascade.flowIds.length > 0) ctx.events.emit({ table: 'flow', tenantId, operation: 'delete', ids: [...cascade.flowIds] });
  for (const id of cascade.runIds) ctx.events.emit({ table: 'flow_run', tenantId, operation: 'delete', flowRunId: id, ids: [id] });
}
