/**
 * Database refusals turned into the errors Prefect Server answers with. Prefect Server
 * rewrites Hasura's constraint errors to `Uniqueness violation.`, which Prefect Core's
 * `create_project` looks for to fall back to the existing project.
 */
import { GraphQLError } from 'graphql';
import { badUserInput } from '../graphql/errors.js';

function sqlState(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `fn`, answering a unique violation with `Uniqueness violation.` and a bad value (class 22) as bad input. */
export async function withConstraintErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    const code = sqlState(error);
    if (code === '23505') throw badUserInput('Uniqueness violation.');
    if (code?.startsWith('22') === true && error instanceof Error) throw badUserInput(error.message);
    throw error;
  }
}
