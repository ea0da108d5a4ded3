/**
 * Why a drift check could not run at all (as opposed to finding drift, which is a report):
 * - `INVALID_OPTIONS`: not exactly one of `endpoint`, `schema`, `introspection` was given.
 * - `UNREACHABLE`: the endpoint could not be reached (DNS, refused connection, TLS, abort).
 * - `HTTP_STATUS`: the endpoint answered with a non-2xx status.
 * - `BAD_RESPONSE`: the endpoint answered 2xx with something that is not GraphQL JSON.
 * - `INTROSPECTION_FAILED`: the endpoint answered the introspection query with GraphQL errors
 *   (introspection disabled, missing credentials).
 * - `BAD_INTROSPECTION`: the introspection result does not describe a schema.
 * - `BAD_SDL`: the SDL does not parse or does not describe a valid schema.
 * - `INVALID_SCHEMA`: a given `GraphQLSchema` object fails graphql-js validation.
 */
export type DriftCheckErrorCode =
  'INVALID_OPTIONS' | 'UNREACHABLE' | 'HTTP_STATUS' | 'BAD_RESPONSE' | 'INTROSPECTION_FAILED' | 'BAD_INTROSPECTION' | 'BAD_SDL' | 'INVALID_SCHEMA';

/** The target schema could not be obtained or understood; `cause` holds the underlying failure. */
export class DriftCheckError extends Error {
  override readonly name = 'DriftCheckError';
  readonly code: DriftCheckErrorCode;

  constructor(code: DriftCheckErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The message of whatever was thrown, following `cause` one level (Node's fetch hides the reason there). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) return `${error.message}: ${cause.message}`;
  return error.message;
}
