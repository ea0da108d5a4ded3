import type { MutationResolver } from '../graphql/context.js';
import { flowRunIdInput, parseInput } from './input.js';
import { successPayload, updatePayload } from './payloads.js';

/**
 * `delete_flow_run`: deletes a flow run of the caller's tenant with its task runs, states
 * and logs. A run that does not exist (or belongs to another tenant) is reported in the
 * payload, as Prefect's `success_payload` does, and nothing is touched.
 */
export const deleteFlowRun: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_flow_run', flowRunIdInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('flow_run')
    .where('id', '=', input.flow_run_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (!deleted) return updatePayload(false, `Flow run ${input.flow_run_id} not found.`);
  ctx.events.emit({
    table: 'flow_run',
    tenantId: ctx.tenantId,
    operation: 'delete',
    flowRunId: deleted.id,
    ids: [deleted.id],
  });
  return successPayload(true);
};
