/**
 * The HTTP face of the server: graphql-yoga answering GraphQL on every path, as Prefect
 * Server's Apollo (mounted at `/`) does (`/` is Prefect Core's default endpoint, `/graphql` the
 * UI's), with the health endpoint, cross-origin rules, authentication before the body is read,
 * Apollo 2's request format and batches, the body limit, the depth limit, error masking, and
 * the database's JSON sent as is for queries of table fields.
 */
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { ApiKey } from '../auth/keys.js';
import { AGENT_HEADER, CORE_VERSION_HEADER, optionalHeader } from '../auth/headers.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import type { ChangeEvents } from '../graphql/events.js';
import type { QueryLimits } from '../graphql/limits.js';
import { useQueryLimits } from '../graphql/limits-plugin.js';
import { useApolloRequests } from './apollo-requests.js';
import { requestAuthentication } from './authentication.js';
import { useCrossOrigin, type CrossOriginPolicy } from './cors.js';
import { INTERNAL_ERROR_MESSAGE, maskError, useRequestErrors } from './errors.js';
import { useHealth } from './health.js';
import { useRawTableQueries } from './raw-json.js';
import type { Logger } from './logger.js';

/** The path the listening address names (the UI's); every other path but `/health` answers GraphQL too. */
export const GRAPHQL_PATH = '/graphql';

/** The default largest batch: the Prefect UI batches at most 25 operations. */
export const DEFAULT_MAX_BATCH = 100;

export interface GraphQLHandlerOptions {
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly events: ChangeEvents;
  readonly keys: readonly ApiKey[];
  readonly maxLimit: number;
  readonly maxBodyBytes: number;
  readonly queryLimits: QueryLimits;
  readonly maxBatch: number;
  readonly crossOrigin: CrossOriginPolicy;
  readonly now: () => Date;
  readonly logger: Logger;
}

export type GraphQLHandler = YogaServerInstance<Record<string, unknown>, RequestContext>;

export function createGraphQLHandler(options: GraphQLHandlerOptions): GraphQLHandler {
  const { db, events, keys, maxLimit, now } = options;
  const authentication = requestAuthentication(keys);
  return createYoga<Record<string, unknown>, RequestContext>({
    schema: options.schema,
    // Every path: yoga matches the endpoint as a URL pattern.
    graphqlEndpoint: '*',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // yoga's GraphiQL page loads its scripts from a CDN: never served.
    graphiql: false,
    cors: false,
    multipart: false,
    batching: { limit: options.maxBatch },
    // The body is read and capped by `useApolloRequests`.
    maxRequestBodySize: false,
    logging: options.logger,
    maskedErrors: { isDev: false, errorMessage: INTERNAL_ERROR_MESSAGE, maskError: maskError(options.logger) },
    plugins: [
      useCrossOrigin(options.crossOrigin),
      useHealth(db),
      authentication.plugin,
      useApolloRequests({ maxBodyBytes: options.maxBodyBytes, maxBatch: options.maxBatch }),
      useQueryLimits(options.queryLimits),
      useRequestErrors(),
      useRawTableQueries(),
    ],
    context: ({ request }) => {
      const grant = authentication.grantOf(request);
      const agentId = optionalHeader(request.headers, AGENT_HEADER);
      const coreVersion = optionalHeader(request.headers, CORE_VERSION_HEADER);
      return {
        db,
        events,
        maxLimit,
        now,
        tenantId: grant.tenantId,
        canWrite: grant.canWrite,
        signal: request.signal,
        ...(agentId === undefined ? {} : { agentId }),
        ...(coreVersion === undefined ? {} : { coreVersion }),
      };
    },
  });
}
