import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';
import { isRunviewError, type AnyRunviewError } from '@runview/core';

/** What went wrong, in words a person can act on. */
export interface ErrorExplanation {
  readonly title: string;
  readonly detail: string;
  readonly hint: string;
}

const REFUSED_HINT = 'Check the API key (VITE_RUNVIEW_API_KEY, or apiKey in config.js).';
const UNREACHABLE_HINT = 'Is the server running (runview serve)? The dashboard reads its address from VITE_RUNVIEW_API_URL or config.js.';
const DRIFT_HINT = 'The server may run a different Prefect version than this dashboard expects (see runview schema check).';

/**
 * Explains a failed request. The three cases a person can act on differently: the API cannot
 * be reached, the API refuses the key, and the API rejects the question (e.g. a schema the
 * server does not have).
 */
export function explainError(error: unknown, apiUrl: string): ErrorExplanation {
  if (isRunviewError(error)) return explainRunviewError(error, apiUrl);
  if (ServerError.is(error)) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      return {
        title: 'The API refused the request',
        detail: `${apiUrl} answered ${error.statusCode}.`,
        hint: REFUSED_HINT,
      };
    }
    return {
      title: `The API answered ${error.statusCode}`,
      detail: firstGraphQLMessage(error.bodyText) ?? error.message,
      hint: 'The server may be restarting or overloaded; try again in a moment.',
    };
  }
  if (CombinedGraphQLErrors.is(error)) {
    return {
      title: 'The API rejected the query',
      detail: error.errors.map((e) => e.message).join('; '),
      hint: DRIFT_HINT,
    };
  }
  if (ServerParseError.is(error)) {
    return {
      title: 'The API answered with something that is not GraphQL',
      detail: `${apiUrl} did not return JSON.`,
      hint: 'Check that the API URL points at the GraphQL endpoint (it usually ends in /graphql).',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: 'Cannot reach the API',
    detail: `${apiUrl}: ${message}`,
    hint: UNREACHABLE_HINT,
  };
}

/** The errors of core's client (the log stream), which already say what happened. */
function explainRunviewError(error: AnyRunviewError, apiUrl: string): ErrorExplanation {
  switch (error.code) {
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return { title: 'The API refused the request', detail: error.message, hint: REFUSED_HINT };
    case 'TRANSPORT':
    case 'TIMEOUT':
      return { title: 'Cannot reach the API', detail: `${apiUrl}: ${error.message}`, hint: UNREACHABLE_HINT };
    case 'RATE_LIMITED':
      return { title: 'The API is busy', detail: error.message, hint: 'It asked to slow down; the dashboard tries again on its own.' };
    case 'GRAPHQL_ERROR':
    case 'INVALID_RESPONSE':
    case 'SCHEMA_DRIFT':
      return { title: 'The API rejected the query', detail: error.message, hint: DRIFT_HINT };
    default:
      return { title: 'The request failed', detail: error.message, hint: 'Try again; if it keeps failing, the message above says why.' };
  }
}

function firstGraphQLMessage(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as { errors?: { message?: unknown }[] };
    const message = body.errors?.[0]?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
