/**
 * Sends the database's JSON as the response body for queries made only of table fields (see
 * `graphql/raw-query.ts`), instead of running GraphQL execution over it.
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../graphql/context.js';
import { repeatsOnRetry } from '../graphql/errors.js';
import { planRawQuery, runRawQuery } from '../graphql/raw-query.js';

/**
 * An execution result whose body is already written. yoga serializes a result with its own
 * `stringify` when it has one; `data` is parsed only if something reads it (a WebSocket
 * transport, a plugin), so whoever looks sees the same answer.
 */
function preserializedResult(text: string): ExecutionResult {
  let parsed: ExecutionResult | undefined;
  const result = {};
  Object.defineProperty(result, 'data', {
    enumerable: true,
    get: () => (parsed ??= JSON.parse(text) as ExecutionResult).data,
  });
  Object.defineProperty(result, 'stringify', { enumerable: false, value: () => text });
  return result;
}

export function useRawTableQueries(): Plugin<RequestContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue;
      const plan = planRawQuery(args, ctx);
      if (plan === undefined) return;
      let text: string;
      try {
        text = await runRawQuery(plan, ctx);
      } catch (error) {
        // Running again would only be stopped again (the row budget, a timeout, a gone client or database).
        if (repeatsOnRetry(error)) {
          setResultAndStopExecution({ data: null, errors: [error] });
          return;
        }
        // Execution runs the same statements again and reports the failure with its path.
        return;
      }
      setResultAndStopExecution(preserializedResult(text));
    },
  };
}
