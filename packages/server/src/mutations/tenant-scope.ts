import type { RequestContext } from '../graphql/context.js';
import { forbidden } from '../graphql/errors.js';

/**
 * The tenant a Prefect-layer input names (`tenant_id` of `register_agent`,
 * `get_runs_in_queue`, `create_agent_config`, `create_task_run_artifact`): none means the
 * caller's tenant, and any other than the caller's is refused before anything is read or
 * written. Prefect Server has no keys and serves whichever tenant is named; here a tenant is
 * chosen by the API key or `X-PREFECT-TENANT-ID`, never by an input field.
 */
export function callerTenant(ctx: Pick<RequestContext, 'tenantId'>, tenantId: string | null | undefined): string {
  if (tenantId === null || tenantId === undefined || tenantId.toLowerCase() === ctx.tenantId) return ctx.tenantId;
  throw forbidden(`Invalid tenant ID: ${tenantId} is not the tenant of this request.`);
}
