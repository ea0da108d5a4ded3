import type { RequestContext } from '../graphql/context.js';
import { uuid } from './input.js';

/**
 * The agent named by `X-PREFECT-AGENT-ID` (sent by an agent on every request after it
 * registered), when the header holds a uuid. Anything else is ignored: the header only adds
 * bookkeeping (`agent.last_queried`, `flow_run.agent_id`), it never decides an answer.
 */
export function requestAgentId(ctx: Pick<RequestContext, 'agentId'>): string | undefined {
  const agentId = ctx.agentId?.toLowerCase();
  return agentId !== undefined && uuid.safeParse(agentId).success ? agentId : undefined;
}
