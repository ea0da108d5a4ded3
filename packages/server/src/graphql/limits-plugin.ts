/**
 * The query limits on graphql-yoga: query text nested too deep is refused before it is parsed,
 * the depth rule validates, and the cost model admits each operation before it runs (queries
 * and mutations in `onExecute`, subscriptions in `onSubscribe`), refusing it with HTTP 400 or
 * giving its root fields a row budget. The WebSocket server applies the same functions.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from './context.js';
import { admitOperation, type CostRequest } from './cost.js';
import { depthLimit } from './depth-limit.js';
import type { QueryLimits } from './limits.js';
import { parseWithinLimits } from './parse-guard.js';

/** A refusal before anything ran: no `data`, HTTP 400 as for a validation failure. */
function refusal(error: GraphQLError): ExecutionResult {
  return { errors: [error], extensions: { http: { status: 400 } } };
}

export function useQueryLimits(limits: QueryLimits): Plugin<RequestContext> {
  const admit = (
    args: CostRequest & { contextValue: RequestContext },
    extendContext: (extension: Partial<RequestContext>) => void,
  ): ExecutionResult | undefined => {
    const admission = admitOperation(args, limits, args.contextValue.maxLimit);
    if ('refused' in admission) return refusal(admission.refused);
    if (admission.rowBudget !== undefined) extendContext({ rowBudget: admission.rowBudget });
    return undefined;
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithinLimits);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimit(limits.maxDepth));
    },
    onExecute({ args, extendContext, setResultAndStopExecution }) {
      const refused = admit(args, extendContext);
      if (refused !== undefined) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, extendContext, setResultAndStopExecution }) {
      const refused = admit(args, extendContext);
      if (refused !== undefined) setResultAndStopExecution(refused);
    },
  };
}
