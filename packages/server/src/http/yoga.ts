/**
 * The HTTP face of the server: graphql-yoga at `/graphql` (Prefect Server's path) with the
 * health endpoint, the body limit, the depth limit, authentication, error masking, and the
 * database's JSON sent as is for queries of table fields.
 */
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.js';
import type { ApiKey } from '../auth/keys.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { depthLimit } from '../graphql/depth-limit.js';
import type { ChangeEvents } from '../graphql/events.js';
import { useBodyLimit } from './body-limit.js';
import { INTERNAL_ERROR_MESSAGE, maskError, useRequestErrors } from './errors.js';
import { useHealth } from './health.js';
import { useRawTableQueries } from './raw-json.js';
import type { Logger } from './logger.js';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLHandlerOptions {
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly events: ChangeEvents;
  readonly keys: readonly ApiKey[];
  readonly maxLimit: number;
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly now: () => Date;
  readonly logger: Logger;
}

function useDepthLimit(maxDepth: number): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimit(maxDepth));
    },
  };
}

export type GraphQLHandler = YogaServerInstance<Record<string, unknown>, RequestContext>;

export function createGraphQLHandler(options: GraphQLHandlerOptions): GraphQLHandler {
  const { db, events, keys, maxLimit, now } = options;
  return createYoga<Record<string, unknown>, RequestContext>({
    schema: options.schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    batching: false,
    logging: options.logger,
    maskedErrors: { isDev: false, errorMessage: INTERNAL_ERROR_MESSAGE, maskError: maskError(options.logger) },
    plugins: [useHealth(db), useBodyLimit(options.maxBodyBytes), useDepthLimit(options.maxDepth), useRequestErrors(), useRawTableQueries()],
    context: ({ request }) => {
      const grant = authenticate(keys, request.headers);
      if (grant instanceof Error) throw grant;
      return { db, events, maxLimit, now, tenantId: grant.tenantId, canWrite: grant.canWrite };
    },
  });
}
