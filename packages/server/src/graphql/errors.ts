/**
 * Expected errors, with the `extensions.code` clients switch on. Their messages reach the caller
 * even when the server masks unexpected errors.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'NOT_IMPLEMENTED'
  | 'QUERY_TOO_COMPLEX'
  | 'STATEMENT_TIMEOUT'
  | 'CANCELLED'
  | 'DATABASE_BUSY'
  | 'DATABASE_UNAVAILABLE';

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

function errorField(error: unknown, name: 'code' | 'message'): string {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Node's socket errors: the database's address went away or never answered. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres' own words for a connection that broke or a pool with no client to give. */
const CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end)/;
const POOL_EXHAUSTED = 'timeout exceeded when trying to connect';

/**
 * A database failure the caller can act on, as a typed error whose message names no address,
 * user or statement: a statement timeout, a cancelled statement, a busy or unreachable
 * database, a value the database refused (class 22), a statement past the database's own limits
 * (class 54). Undefined for anything else: a bug, masked and logged as such.
 */
export function databaseError(error: unknown): GraphQLError | undefined {
  if (error instanceof GraphQLError) return undefined;
  const code = errorField(error, 'code');
  const message = errorField(error, 'message');
  if (code === '57014') {
    return message.includes('statement timeout')
      ? graphQLError('The operation ran longer than the server allows for one statement and was stopped.', 'STATEMENT_TIMEOUT')
      : graphQLError('The operation was cancelled.', 'CANCELLED');
  }
  if (code.startsWith('22')) return badUserInput(message);
  // Class 54 (e.g. stack depth) and out of memory: the statement itself is too large.
  if (code.startsWith('54') || code === '53200') return graphQLError('The operation is too complex for the database.', 'QUERY_TOO_COMPLEX');
  if (code === '53300' || message.startsWith(POOL_EXHAUSTED)) {
    return graphQLError('Every database connection is busy; try again shortly.', 'DATABASE_BUSY');
  }
  if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || CONNECTION_ERRNOS.has(code) || CONNECTION_LOST.test(message)) {
    return graphQLError('The database is unavailable; try again shortly.', 'DATABASE_UNAVAILABLE');
  }
  return undefined;
}

/** The codes of failures that running the same statements again would only repeat. */
const REPEATING_CODES = new Set<ErrorCode>(['QUERY_TOO_COMPLEX', 'STATEMENT_TIMEOUT', 'CANCELLED', 'DATABASE_BUSY', 'DATABASE_UNAVAILABLE']);

/** Whether `error` is a typed failure that running the same statements again would only repeat. */
export function repeatsOnRetry(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && REPEATING_CODES.has(error.extensions['code'] as ErrorCode);
}
