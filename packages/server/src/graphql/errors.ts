/**
 * Expected errors, with the `extensions.code` clients switch on. Their messages reach the caller
 * even when the server masks unexpected errors.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'GRAPHQL_VALIDATION_FAILED' | 'NOT_FOUND' | 'NOT_IMPLEMENTED';

export function graphQLError(message: string, code: ErrorCode, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** The input is wrong: a bad uuid, timestamp, unknown state type, a limit above the maximum. */
export function badUserInput(message: string): GraphQLError {
  return graphQLError(message, 'BAD_USER_INPUT');
}

/**
 * A missing or unknown API key. Answered with HTTP 200 and the code in the body, as Prefect
 * Cloud's clients look for `UNAUTHENTICATED` in `errors`.
 */
export function unauthenticated(message: string): GraphQLError {
  return graphQLError(message, 'UNAUTHENTICATED');
}

/** The key may not do this: a read-only key writing, or a tenant header of another tenant. */
export function forbidden(message: string): GraphQLError {
  return graphQLError(message, 'FORBIDDEN');
}
