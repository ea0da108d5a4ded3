/**
 * How errors leave the server: expected errors (GraphQL errors we raise, parse and validation
 * failures) keep their message and code; anything else is logged and answered with a generic
 * message, never a stack trace. A request that ran nothing answers HTTP 400, as Apollo 2 does.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { databaseError } from '../graphql/errors.js';
import type { Logger } from './logger.js';

export const INTERNAL_ERROR_MESSAGE = 'Unexpected error.';

/**
 * An answer of one operation that never reached execution (a bad body, bad GraphQL text, an
 * invalid operation, variables that do not coerce): errors and no `data`. An unexpected error
 * keeps the 500 yoga gives it.
 */
function isRequestFailure(result: unknown): result is { errors: readonly GraphQLError[]; extensions?: Record<string, unknown> } {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || 'data' in result) return false;
  const errors = (result as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((error: unknown) => error instanceof GraphQLError && error.extensions['code'] !== 'INTERNAL_SERVER_ERROR')
  );
}

/**
 * Answers a single operation that ran nothing with HTTP 400 whatever the `Accept` header, as
 * Apollo 2 (Prefect Server) does; yoga would answer 200 to `application/json`. An error that
 * names its own status (413, 415, 405) keeps it. A batch answers 200, each operation with its
 * own errors, as Apollo 2 answers it.
 */
export function useRequestErrors(): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (isRequestFailure(result)) payload.setResult({ ...result, extensions: { ...result.extensions, http: { status: 400 } } });
    },
  };
}

function isExpected(error: GraphQLError): boolean {
  const original = error.originalError;
  return original === undefined || original instanceof GraphQLError;
}

/** yoga's `maskError`: keeps expected errors, logs and masks the rest. */
export function maskError(logger: Logger): (error: unknown, message: string) => Error {
  return (error, message) => {
    if (error instanceof GraphQLError && isExpected(error)) {
      const original = error.originalError;
      if (!(original instanceof GraphQLError)) return error;
      return new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...original.extensions, ...error.extensions },
      });
    }
    const where = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path, positions: error.positions, source: error.source } : {};
    // A database failure the caller can act on (timeout, busy, unavailable, a refused value) keeps its type.
    const typed = databaseError(error instanceof GraphQLError ? error.originalError : error);
    if (typed !== undefined) return new GraphQLError(typed.message, { ...where, extensions: typed.extensions });
    logger.error(error instanceof GraphQLError ? (error.originalError ?? error) : error);
    return new GraphQLError(message, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path, positions: error.positions, source: error.source } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
