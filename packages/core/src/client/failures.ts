/**
 * Turns whatever a request ended with (an HTTP status, GraphQL errors, a body that is not a
 * GraphQL answer, a network failure) into one of runview's error classes, and says whether a
 * query may retry it.
 */
import {
  causeChain,
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

/** The response headers a failure keeps (what `Headers` offers, or none when no answer came). */
export interface ResponseHeaders {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
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

/** The headers an error keeps: all of the answer's but its cookies. */
function keptHeaders(headers: ResponseHeaders): Readonly<Record<string, string>> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') kept[name] = value;
  });
  return kept;
}

function summarize(errors: readonly GraphQLErrorInfo[]): string {
  return errors
    .slice(0, 3)
    .map((error) => (error.path ? `${error.message} (at ${error.path.join('.')})` : error.message))
    .join('; ');
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (const link of causeChain(cause, 4)) {
    if (!isRecord(link)) break;
    const message = typeof link['message'] === 'string' ? link['message'] : null;
    const code = typeof link['code'] === 'string' ? link['code'] : null;
    const text = [code, message].filter((part) => part !== null && part !== '').join(' ');
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(': ') || String(cause);
}

/**
 * Classifies a response that arrived: its HTTP status, headers and GraphQL errors. Returns
 * null when nothing is wrong.
 */
export function classifyResponse(
  request: RequestInfo,
  headers: ResponseHeaders,
  errors: readonly GraphQLErrorInfo[],
  data: unknown,
  cause: unknown,
): Failure | null {
  const { status, url } = request;
  const codes = new Set(errors.map((error) => error.code));
  const detail = errors.length > 0 ? `: ${summarize(errors)}` : '';
  const options = { request, errors, cause, headers: keptHeaders(headers) };
  if (status === 401 || codes.has('UNAUTHENTICATED')) {
    return {
      error: new UnauthenticatedError(`The API at ${url} refused the credentials${detail || ` (HTTP ${status ?? '?'})`}`, options),
      retryable: false,
      retryAfterMs: null,
    };
  }
  if (status === 403 || codes.has('FORBIDDEN')) {
    return {
      error: new ForbiddenError(`The API at ${url} does not allow this${detail || ` (HTTP ${status ?? '?'})`}`, options),
      retryable: false,
      retryAfterMs: null,
    };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
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
      retryAfterMs: RETRYABLE_STATUS.has(status) ? parseRetryAfter(headers.get('retry-after')) : null,
    };
  }
  return null;
}

/**
 * Classifies a body that arrived whole: a GraphQL answer (`data`, `errors`), JSON that is not
 * one, or no JSON at all. Returns the data when nothing is wrong.
 */
export function classifyBody(request: RequestInfo & { status: number }, headers: ResponseHeaders, text: string): { data: unknown } | Failure {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    // Not JSON (a proxy's HTML page, a plain-text 503): the status says what it can.
    const failure = classifyResponse(request, headers, [], null, cause);
    if (failure) return failure;
    return {
      error: new TransportError(`The API at ${request.url} answered HTTP ${request.status} with a body that is not JSON`, {
        request,
        cause,
        headers: keptHeaders(headers),
      }),
      retryable: false,
      retryAfterMs: null,
    };
  }
  const answer = isRecord(body) && ('data' in body || 'errors' in body) ? body : null;
  const errors = toErrorInfos(answer?.['errors']);
  const data = answer?.['data'] ?? null;
  const failure = classifyResponse(request, headers, errors, data, null);
  if (failure) return failure;
  if (answer === null) {
    // A 2xx with JSON that is neither data nor errors (`{}`): the server answered, wrongly.
    return {
      error: new InvalidResponseError(request.operationName ?? 'the request', [
        `HTTP ${request.status} from ${request.url} with a JSON body that has neither "data" nor "errors"`,
      ]),
      retryable: false,
      retryAfterMs: null,
    };
  }
  if (data === null) {
    const missing = classifyResponse(request, headers, toErrorInfos([{ message: 'The response has no data' }]), null, null);
    if (missing) return missing;
  }
  return { data };
}

/** The response-size error in a cause chain, however the body's reader wrapped it. */
function responseTooLarge(error: unknown): ResponseTooLargeError | null {
  for (const link of causeChain(error, 4)) if (link instanceof ResponseTooLargeError) return link;
  return null;
}

/**
 * Classifies what `fetch` or the body's read threw: the response-size cap (never retried:
 * reading the same answer again would only be as large), else the network (refused, reset,
 * DNS, a socket closed mid-response), retried.
 */
export function classifyThrown(request: Omit<RequestInfo, 'status'>, status: number | null, error: unknown): Failure {
  const tooLarge = responseTooLarge(error);
  if (tooLarge) return { error: tooLarge, retryable: false, retryAfterMs: null };
  return {
    error: new TransportError(`Could not reach the API at ${request.url}: ${describeCause(error)}`, {
      request: { ...request, status },
      cause: error,
    }),
    retryable: true,
    retryAfterMs: null,
  };
}
