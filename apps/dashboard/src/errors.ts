import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';

/** What went wrong, in words a person can act on. */
export interface ErrorExplanation {
  readonly title: string;
  readonly detail: string;
  readonly hint: string;
}

/**
 * Explains a failed request. The three cases a person can act on differently: the API cannot
 * be reached, the API refuses the key, and the API rejects the question (e.g. a schema the
 * server does not have).
 */
export function explainError(error: unknown, apiUrl: string): ErrorExplanation {
  if (ServerError.is(error)) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      return {
        title: 'The API refused the request',
        detail: `${apiUrl} answered ${error.statusCode}.`,
        hint: 'Check the API key (VITE_RUNVIEW_API_KEY, or apiKey in config.js).',
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
      hint: 'The server may run a different Prefect version than this dashboard expects (`runview schema check`).',
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
    hint: 'Is the server running (`runview serve`)? The dashboard keeps its settings in VITE_RUNVIEW_API_URL or config.js.',
  };
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
