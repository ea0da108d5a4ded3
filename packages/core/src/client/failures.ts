/**
 * Turns whatever a request ended with (an HTTP status, GraphQL errors, a network failure, an
 * Apollo error) into one of runview's error classes, and says whether a query may retry it.
 */
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import {
  ForbiddenError,
  GraphQLResponseError,
  InvalidResponseError,
  RateLimitedError,
  ResponseTooLargeError,
  TransportError,
  UnauthenticatedError,
  type GraphQLErrorInfo,
  type RequestInfo,
  type RunviewError,
} from '../errors.js';
import { parseRetryAfter } from './retry.js';

/** A classified failure: the error to throw and whether (and after how long) to retry. */
export interface Failure {
  readonly error: RunviewError;
  readonly retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | null;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads the `errors` array of a GraphQL response into plain records. */
export function toErrorInfos(errors: unknown): GraphQLErrorInfo[] {
  if (!Array.isArray(errors)) return [];
  return errors.filter(isRecord).map((error) => {
    const extensions = isRecord(error['extensions']) ? error['extensions'] : null;
    const path = Array.isArray(error['path'])
      ? error['path'].filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
      : null;
    const code = extensions && typeof extensions['code'] === 'string' ? extensions['code'] : null;
    return Object.freeze({
      message: typeof error['message'] === 'string' ? error['message'] : 'Unknown error',
      path: path ? Object.freeze(path) : null,
      code,
      extensions: extensions ? Object.freeze({ ...extensions }) : null,
    });
  });
}

function parseBody(bodyText: string): { errors: GraphQLErrorInfo[]; data: unknown } {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isRecord(body)) return { errors: toErrorInfos(body['errors']), data: body['data'] ?? null };
  } catch {
    // Not JSON (a proxy's HTML page, a plain-text 503): the status says enough.
  }
  return { errors: [], data: null };
}

function summarize(errors: readonly GraphQLErrorInfo[]): string {
  return errors
    .slice(0, 3)
    .map((error) => (error.path ? `${error.message} (at ${error.path.join('.')})` : error.message))
    .join('; ');
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    const message = typeof current['message'] === 'string' ? current['message'] : null;
    const code = typeof current['code'] === 'string' ? current['code'] : null;
    const text = [code, message].filter((part) => part !== null && part !== '').join(' ');
    if (text && !parts.includes(text)) parts.push(text);
    current = current['cause'];
  }
  return parts.join(': ') || String(cause);
}

/**
 * Classifies a response that arrived: its HTTP status, headers and GraphQL errors. Returns
 * null when nothing is wrong.
 */
export function classifyResponse(
  request: RequestInfo,
  headers: { get(name: string): string | null } | null,
  errors: readonly GraphQLErrorInfo[],
  data: unknown,
  cause: unknown,
): Failure | null {
  const { status, url } = request;
  const codes = new Set(errors.map((error) => error.code));
  const detail = errors.length > 0 ? `: ${summarize(errors)}` : '';
  const options = { request, errors, cause };
  if (status === 401 || codes.has('UNAUTHENTICATED')) {
    return { error: new UnauthenticatedError(`The API at ${url} refused the credentials${detail || ` (HTTP ${status ?? '?'})`}`, options), retryable: false, retryAfterMs: null };
  }
  if (status === 403 || codes.has('FORBIDDEN')) {
    return { error: new ForbiddenError(`The API at ${url} does not allow this${detail || ` (HTTP ${status ?? '?'})`}`, options), retryable: false, retryAfterMs: null };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers?.get('retry-after'));
    const retryAfter = retryAfterMs === null ? null : retryAfterMs / 1000;
    const wait = retryAfter === null ? '' : ` (Retry-After: ${retryAfter} s)`;
    return {
      error: new RateLimitedError(`The API at ${url} is rate limiting requests${wait}`, { ...options, retryAfter }),
      retryable: true,
      retryAfterMs,
    };
  }
  if (errors.length > 0) {
    return {
      error: new GraphQLResponseError(`The API at ${url} answered ${request.operationName ?? 'the request'} with errors${detail}`, { ...options, data }),
      retryable: codes.has('API_ERROR'),
      retryAfterMs: null,
    };
  }
  if (status !== null && (status < 200 || status >= 300)) {
    return {
      error: new TransportError(`The API at ${url} answered HTTP ${status}`, options),
      retryable: RETRYABLE_STATUS.has(status),
      retryAfterMs: RETRYABLE_STATUS.has(status) ? parseRetryAfter(headers?.get('retry-after')) : null,
    };
  }
  return null;
}

/** The response-size error in a cause chain, however the link wrapped it. */
function responseTooLarge(error: unknown): ResponseTooLargeError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (current instanceof ResponseTooLargeError) return current;
    current = current['cause'];
  }
  return null;
}

/** Classifies an error thrown by, or returned from, Apollo Client. */
export function classifyError(request: Omit<RequestInfo, 'status'>, error: unknown): Failure {
  // Reading the same answer again would only be as large: never retried.
  const tooLarge = responseTooLarge(error);
  if (tooLarge) return { error: tooLarge, retryable: false, retryAfterMs: null };
  if (ServerError.is(error)) {
    const { errors, data } = parseBody(error.bodyText);
    const failure = classifyResponse({ ...request, status: error.statusCode }, error.response.headers, errors, data, error);
    if (failure) return failure;
    // A 2xx with JSON that is neither data nor errors (`{}`): the server answered, wrongly.
    return {
      error: new InvalidResponseError(request.operationName ?? 'the request', [`HTTP ${error.statusCode} from ${request.url} with a JSON body that has neither "data" nor "errors"`], {
        cause: error,
      }),
      retryable: false,
      retryAfterMs: null,
    };
  }
  if (ServerParseError.is(error)) {
    const status = error.statusCode;
    const failure = classifyResponse({ ...request, status }, error.response.headers, [], null, error);
    if (failure) return failure;
    return {
      error: new TransportError(`The API at ${request.url} answered HTTP ${status} with a body that is not JSON`, {
        request: { ...request, status },
        cause: error,
      }),
      retryable: false,
      retryAfterMs: null,
    };
  }
  if (CombinedGraphQLErrors.is(error)) {
    const errors = toErrorInfos(error.errors);
    const failure = classifyResponse({ ...request, status: null }, null, errors, error.data ?? null, error);
    if (failure) return failure;
  }
  // Anything else is the network: refused, reset, DNS, a socket closed mid-response.
  return {
    error: new TransportError(`Could not reach the API at ${request.url}: ${describeCause(error)}`, {
      request: { ...request, status: null },
      cause: error,
    }),
    retryable: true,
    retryAfterMs: null,
  };
}
