/**
 * `createClient({ checkSchema })`: once per client, before its first query, introspect the
 * API and check that it still accepts every operation runview sends (`@runview/drift`, loaded
 * only by the clients that ask for the check, so browsers that do not never fetch it).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type * as Drift from '@runview/drift';
import { getIntrospectionQuery, parse, type IntrospectionQuery } from 'graphql';
import { InvalidArgumentError, InvalidResponseError, SchemaDriftError } from '../errors.js';
import type { CallOptions, SendQuery } from './call.js';

let introspection: TypedDocumentNode<IntrospectionQuery, Record<string, never>> | null = null;

/** graphql-js's standard introspection query, parsed once. */
function introspectionDocument(): TypedDocumentNode<IntrospectionQuery, Record<string, never>> {
  introspection ??= parse(getIntrospectionQuery()) as TypedDocumentNode<IntrospectionQuery, Record<string, never>>;
  return introspection;
}

/** `@runview/drift`, an optional peer: only the schema check needs it. */
async function loadDrift(): Promise<typeof Drift> {
  try {
    return await import('@runview/drift');
  } catch (cause) {
    throw new InvalidArgumentError(
      'checkSchema',
      'checkSchema needs @runview/drift, an optional peer of @runview/core: install it (npm install @runview/drift)',
      { cause },
    );
  }
}

/**
 * Introspects the API at `url` and compares it with the shipped operations. In `error` mode a
 * problem that would break a request throws a {@link SchemaDriftError}; every other problem
 * (and every problem in `warn` mode) is reported with `console.warn`.
 */
export async function checkSchemaOnce(url: string, mode: 'warn' | 'error', send: SendQuery, options: CallOptions): Promise<void> {
  const drift = await loadDrift();
  const data = await send(introspectionDocument(), options);
  let problems: Awaited<ReturnType<typeof drift.compareWithOperations>>;
  try {
    problems = await drift.compareWithOperations(drift.schemaFromIntrospection({ data }, `The introspection result of ${url}`));
  } catch (error) {
    if (error instanceof drift.DriftCheckError) throw new InvalidResponseError('IntrospectionQuery', [error.message], { cause: error });
    throw error;
  }
  const lines = problems.map((problem) => drift.describeProblem(problem));
  const breaking = problems.filter((problem) => problem.severity === 'error');
  if (mode === 'error' && breaking.length > 0) {
    throw new SchemaDriftError(
      url,
      breaking.map((problem) => drift.describeProblem(problem)),
      problems,
    );
  }
  if (lines.length > 0) console.warn(`runview: the API at ${url} differs from what this client was built for:\n  ${lines.join('\n  ')}`);
}
