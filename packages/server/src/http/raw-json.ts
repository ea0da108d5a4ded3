/**
 * Sends the database's JSON as the response body for queries made only of table fields (see
 * `graphql/raw-query.ts`), instead of running GraphQL execution over it, with documented hooks
 * only: envelop's `onExecute` stops execution with the answer, and yoga's `onResultProcess`
 * chooses the result processor that writes the answer's text as it is.
 */
import type { ExecutionResult } from 'graphql';
import { processRegularResult, type FetchAPI, type Plugin } from 'graphql-yoga';
import type { RequestContext } from '../graphql/context.js';
import { repeatsOnRetry } from '../graphql/errors.js';
import { planRawQuery, runRawQuery } from '../graphql/raw-query.js';

/** The response text of each answer the database wrote. */
const rawTexts = new WeakMap<object, string>();

/**
 * An answer whose text is already written. Whoever reads its `data` (a WebSocket transport,
 * a plugin, a processor other than ours) gets the same answer, parsed then.
 */
function rawResult(text: string): ExecutionResult {
  let parsed: ExecutionResult | undefined;
  const result = {};
  Object.defineProperty(result, 'data', {
    enumerable: true,
    get: () => (parsed ??= JSON.parse(text) as ExecutionResult).data,
  });
  rawTexts.set(result, text);
  return result;
}

function rawText(result: unknown): string | undefined {
  return typeof result === 'object' && result !== null ? rawTexts.get(result) : undefined;
}

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
const JSON_TYPE = 'application/json';

function matches(asked: string, offered: string): boolean {
  const [askedType, askedSubtype] = asked.split('/');
  const [type, subtype] = offered.split('/');
  return (askedType === '*' || askedType === type) && (askedSubtype === '*' || askedSubtype === subtype);
}

/**
 * The JSON media type yoga's own processor answers this `Accept` header with (its rule: the
 * first type listed, in UTF-8, that either JSON type matches; `application/json` when both
 * do), or undefined when the client asks for no JSON (then yoga's choice stands: a stream, or
 * 406). The raw answer must carry the type an executed answer would.
 */
export function answeredJsonType(accept: string | null): string | undefined {
  for (const entry of (accept ?? '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [asked = '', ...params] = entry.split(';');
    const charset = params.find((param) => param.startsWith('charset='));
    if (charset !== undefined && charset !== 'charset=utf-8') continue;
    if (matches(asked, JSON_TYPE)) return JSON_TYPE;
    if (matches(asked, GRAPHQL_RESPONSE_JSON)) return GRAPHQL_RESPONSE_JSON;
  }
  return undefined;
}

type ProcessorInput = Parameters<typeof processRegularResult>[0];

/**
 * yoga's JSON processor, but an answer the database wrote is sent as its text. An answer with
 * no errors is a 200 in either JSON type, and a batch answers 200 whatever its members hold,
 * so the status is what yoga would give; members that ran through execution are written by
 * yoga's processor, internals stripped.
 */
async function processWithRawAnswers(result: ProcessorInput, fetchAPI: FetchAPI, mediaType: string): Promise<Response> {
  const headers = { 'Content-Type': `${mediaType}; charset=utf-8` };
  if (Array.isArray(result)) {
    const members = await Promise.all(result.map(async (member) => rawText(member) ?? processRegularResult(member, fetchAPI, mediaType).text()));
    return new fetchAPI.Response(`[${members.join(',')}]`, { status: 200, headers });
  }
  const text = rawText(result);
  return text === undefined ? processRegularResult(result, fetchAPI, mediaType) : new fetchAPI.Response(text, { status: 200, headers });
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
      setResultAndStopExecution(rawResult(text));
    },
    onResultProcess(payload) {
      const { request, result } = payload;
      const hasRaw = Array.isArray(result) ? result.some((member) => rawText(member) !== undefined) : rawText(result) !== undefined;
      if (!hasRaw) return;
      const mediaType = answeredJsonType(request.headers.get('accept'));
      if (mediaType !== undefined) payload.setResultProcessor(processWithRawAnswers, mediaType);
    },
  };
}
