import type { GraphQLError } from 'graphql';
import { graphQLError } from '../graphql/errors.js';

/** A run, flow or task that does not exist in the caller's tenant (other tenants' rows never show). */
export function notFound(message: string): GraphQLError {
  return graphQLError(message, 'NOT_FOUND');
}
