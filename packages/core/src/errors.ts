/**
 * Every failure @runview/core reports is one of these classes: a discriminating `code`, a
 * message a person can act on, and the underlying `cause` when there is one. Nothing
 * surfaces as a bare `Error` or as a raw transport error.
 *
 * @module
 */

/** The discriminating codes of {@link RunviewError} subclasses. */
export type RunviewErrorCode =
  | 'NOT_FOUND'
  | 'AMBIGUOUS'
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'GRAPHQL_ERROR'
  | 'TRANSPORT'
  | 'INVALID_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'RESULT_UNAVAILABLE'
  | 'SCHEMA_DRIFT';

/** Options every error accepts: the underlying failure, kept for debugging. */
export interface RunviewErrorOptions {
  readonly cause?: unknown;
}

/** The base class of every error @runview/core throws. Narrow on `code` or with `instanceof`. */
export abstract class RunviewError extends Error {
  abstract readonly code: RunviewErrorCode;

  constructor(message: string, options: RunviewErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
  }
}

/**
 * An error and what caused it, outermost first, along `cause` (an `Error`'s or any object's):
 * runview's one walker of cause chains. A cause that is not an object (a string, a number) is
 * the last link; the walk also ends at `maxDepth` links and where the chain loops back.
 */
export function* causeChain(error: unknown, maxDepth = 8): Generator<unknown, void, undefined> {
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current) && seen.size < maxDepth;) {
    seen.add(current);
    yield current;
    if (typeof current !== 'object') return;
    current = (current as { cause?: unknown }).cause;
  }
}

/** True for any error @runview/core throws. */
export function isRunviewError(value: unknown): value is AnyRunviewError {
  return value instanceof RunviewError;
}

/** What kind of object a lookup was about. */
export type ResourceKind = 'flow run' | 'task run' | 'flow' | 'flow group' | 'flow or flow group';

/** A lookup (by id, name, slug...) matched nothing. */
export class NotFoundError extends RunviewError {
  readonly code = 'NOT_FOUND' as const;
  /** What was looked up. */
  readonly resource: ResourceKind;
  /** The criteria of the lookup, e.g. `{ id: '…' }` or `{ taskSlug: 'x', mapIndex: -1 }`. */
  readonly lookup: Readonly<Record<string, unknown>>;

  constructor(resource: ResourceKind, lookup: Record<string, unknown>, message?: string, options?: RunviewErrorOptions) {
    super(message ?? `No ${resource} found where ${describeLookup(lookup)}.`, options);
    this.resource = resource;
    this.lookup = Object.freeze({ ...lookup });
  }
}

/** One of the candidates of an ambiguous lookup. */
export interface AmbiguousMatch {
  readonly id: string;
  readonly name: string | null;
  /** A short distinguishing detail: the project, state or creation time. */
  readonly detail: string | null;
}

/** A lookup that must match one object matched several (a flow run name, a flow name). */
export class AmbiguousError extends RunviewError {
  readonly code = 'AMBIGUOUS' as const;
  readonly resource: ResourceKind;
  readonly lookup: Readonly<Record<string, unknown>>;
  /** The candidates (at most the first page of them), so the caller can say which one. */
  readonly matches: readonly AmbiguousMatch[];

  constructor(resource: ResourceKind, lookup: Record<string, unknown>, matches: readonly AmbiguousMatch[], hint: string) {
    const listed = matches.map((match) => `${match.id} (${match.name ?? 'unnamed'}${match.detail ? `, ${match.detail}` : ''})`).join('; ');
    super(`Found ${matches.length} ${resource}s where ${describeLookup(lookup)}: ${listed}. ${hint}`);
    this.resource = resource;
    this.lookup = Object.freeze({ ...lookup });
    this.matches = Object.freeze(matches.map((match) => Object.freeze({ ...match })));
  }
}

/** A bad argument (malformed uuid, missing or contradictory options), caught before any request. */
export class InvalidArgumentError extends RunviewError {
  readonly code = 'INVALID_ARGUMENT' as const;
  /** The name of the offending argument or option. */
  readonly argument: string;

  constructor(argument: string, message: string, options?: RunviewErrorOptions) {
    super(message, options);
    this.argument = argument;
  }
}

/** One error of a GraphQL response, as the server sent it. */
export interface GraphQLErrorInfo {
  readonly message: string;
  /** The response path of the failing field, e.g. `['flow_run', 0, 'logs']`. */
  readonly path: readonly (string | number)[] | null;
  /** `extensions.code` (`UNAUTHENTICATED`, `API_ERROR`, `GRAPHQL_VALIDATION_FAILED`...). */
  readonly code: string | null;
  readonly extensions: Readonly<Record<string, unknown>> | null;
}

/** Where a failed request went, for messages and debugging (never the credentials). */
export interface RequestInfo {
  readonly url: string;
  readonly operationName: string | null;
  /** The HTTP status when a response arrived. */
  readonly status: number | null;
}

/** Options of the errors that come from a request. */
export interface RequestErrorOptions extends RunviewErrorOptions {
  readonly request: RequestInfo;
  readonly errors?: readonly GraphQLErrorInfo[];
  /** The response's headers, when a response arrived. */
  readonly headers?: Readonly<Record<string, string>> | null;
}

/** Base of the errors raised by a request to the API. */
export abstract class RequestError extends RunviewError {
  readonly request: RequestInfo;
  /** The GraphQL errors of the response, when it had any. */
  readonly errors: readonly GraphQLErrorInfo[];
  /**
   * The response's headers (lower-case names, cookies left out) when a response arrived, e.g.
   * a gateway's request id beside a GraphQL error; null when none did.
   */
  readonly headers: Readonly<Record<string, string>> | null;

  constructor(message: string, options: RequestErrorOptions) {
    super(message, options);
    this.request = Object.freeze({ ...options.request });
    this.errors = Object.freeze([...(options.errors ?? [])]);
    this.headers = options.headers ? Object.freeze({ ...options.headers }) : null;
  }
}

/** The API refused the credentials (missing or wrong API key): `UNAUTHENTICATED` or HTTP 401. */
export class UnauthenticatedError extends RequestError {
  readonly code = 'UNAUTHENTICATED' as const;
}

/** The credentials are valid but not allowed to do this (`FORBIDDEN` or HTTP 403). */
export class ForbiddenError extends RequestError {
  readonly code = 'FORBIDDEN' as const;
}

/** The API answered HTTP 429 and the retries (if any) were used up. */
export class RateLimitedError extends RequestError {
  readonly code = 'RATE_LIMITED' as const;
  /** Seconds the server asked to wait (its `Retry-After`), or null when it did not say. */
  readonly retryAfter: number | null;

  constructor(message: string, options: RequestErrorOptions & { retryAfter: number | null }) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** The call took longer than its `timeoutMs` (all attempts included). */
export class TimeoutError extends RunviewError {
  readonly code = 'TIMEOUT' as const;
  readonly timeoutMs: number;

  constructor(message: string, options: RunviewErrorOptions & { timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. `cause` holds the signal's reason. */
export class AbortError extends RunviewError {
  readonly code = 'ABORTED' as const;
}

/**
 * The server answered with GraphQL errors (a validation error, a resolver error, Prefect's
 * `API_ERROR`...). `errors` keeps their messages and paths, `data` whatever partial data came
 * with them.
 */
export class GraphQLResponseError extends RequestError {
  readonly code = 'GRAPHQL_ERROR' as const;
  /** The partial data of the response (null fields where the errors are), or null. */
  readonly data: unknown;

  constructor(message: string, options: RequestErrorOptions & { data: unknown }) {
    super(message, options);
    this.data = options.data ?? null;
  }
}

/** The request did not get a usable HTTP answer: connection refused or reset, 5xx, a non-JSON body. */
export class TransportError extends RequestError {
  readonly code = 'TRANSPORT' as const;
}

/**
 * A response body grew past the client's `maxResponseBytes` (default 64 MiB): the client stopped
 * reading it there instead of holding all of it in memory. Never retried.
 */
export class ResponseTooLargeError extends RequestError {
  readonly code = 'RESPONSE_TOO_LARGE' as const;
  /** The client's limit, in bytes. */
  readonly limitBytes: number;
  /** The bytes seen when the client stopped: read so far, or the size the server announced. */
  readonly receivedBytes: number;

  constructor(message: string, options: RequestErrorOptions & { limitBytes: number; receivedBytes: number }) {
    super(message, options);
    this.limitBytes = options.limitBytes;
    this.receivedBytes = options.receivedBytes;
  }
}

/**
 * The response had a shape this version of runview does not understand: a drifted API, a body
 * that is JSON but not a GraphQL response (`{}`), or rows that break the order a query asked for.
 */
export class InvalidResponseError extends RunviewError {
  readonly code = 'INVALID_RESPONSE' as const;
  readonly operationName: string;
  /** What did not match, one line per problem with its path. */
  readonly problems: readonly string[];

  constructor(operationName: string, problems: readonly string[], options?: RunviewErrorOptions) {
    super(`The response to ${operationName} does not have the expected shape: ${problems.join('; ')}`, options);
    this.operationName = operationName;
    this.problems = Object.freeze([...problems]);
  }
}

/** Why a task run's result location cannot be given. */
export type ResultUnavailableReason = 'not-finished' | 'no-result' | 'no-location' | 'custom-result-type' | 'no-mapped-children' | 'mapped-child-not-finished';

/** A task run's result location is not available (Prefect's `get_result` preconditions). */
export class ResultUnavailableError extends RunviewError {
  readonly code = 'RESULT_UNAVAILABLE' as const;
  readonly reason: ResultUnavailableReason;

  constructor(reason: ResultUnavailableReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The live API no longer accepts operations this client sends (`createClient({ checkSchema: 'error' })`). */
export class SchemaDriftError extends RunviewError {
  readonly code = 'SCHEMA_DRIFT' as const;
  /** One line per problem: the operation, the field path and what changed. */
  readonly problems: readonly string[];
  /** The full drift report of `@runview/drift`. */
  readonly report: unknown;

  constructor(url: string, problems: readonly string[], report: unknown) {
    super(`The API at ${url} no longer accepts every operation runview sends:\n  ${problems.join('\n  ')}`);
    this.problems = Object.freeze([...problems]);
    this.report = report;
  }
}

/** Every concrete error class, for exhaustive handling on `code`. */
export type AnyRunviewError =
  | NotFoundError
  | AmbiguousError
  | InvalidArgumentError
  | UnauthenticatedError
  | ForbiddenError
  | RateLimitedError
  | TimeoutError
  | AbortError
  | GraphQLResponseError
  | TransportError
  | InvalidResponseError
  | ResponseTooLargeError
  | ResultUnavailableError
  | SchemaDriftError;

function describeLookup(lookup: Record<string, unknown>): string {
  const parts = Object.entries(lookup).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
  return parts.length > 0 ? parts.join(' and ') : 'nothing was given';
}
