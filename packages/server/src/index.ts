/**
 * @runview/server: Prefect Server's GraphQL API (Hasura semantics, the Prefect layer's run
 * mutations) served from PGlite in process or from PostgreSQL.
 *
 * @packageDocumentation
 */
export { checkPort, createServer, DEFAULT_MAX_LIMIT, ServerListenError, type ListeningAddress, type RunviewServer, type ServerOptions } from './http/server.js';
export type { Logger } from './http/logger.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SIMULATE_EVERY_SECONDS,
  describeDatabase,
  describeUsageError,
  readServeConfig,
  ServeUsageError,
  serveUsage,
  type CommandConfig,
  type ServeConfig,
  type SimulateConfig,
} from './config.js';
export { SERVER_VERSION } from './graphql/version.js';
export { MAX_BODY_BYTES } from './http/body-limit.js';
export { DEFAULT_MAX_BATCH, GRAPHQL_PATH } from './http/yoga.js';
export { CorsOriginConfigError, DEFAULT_CORS_ORIGINS } from './http/cors.js';
export { UiDirectoryError } from './http/ui.js';
export { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS, type ConnectionStats } from './http/connections.js';
export { openDatabase, DatabaseOpenError, DEFAULT_TENANT_ID, jsonb } from './db/index.js';
export { KeyTenantError } from './db/key-tenants.js';
export type { CompiledStatement, Database, DialectName, JsonValue, NewRow, Row, RowUpdate, TableName, Tables } from './db/index.js';
export type { MutationResolver, MutationResolvers, RequestContext } from './graphql/context.js';
export { ChangeEvents, type ChangeEvent, type ChangeListener } from './graphql/events.js';
export { compileRootField, executeRootField, type RootFieldInfo } from './graphql/execute.js';
export { MAX_QUERY_DEPTH } from './graphql/depth-limit.js';
export { DEFAULT_QUERY_LIMITS, QUERY_TOO_COMPLEX, type QueryLimits } from './graphql/limits.js';
export { DEFAULT_POOL_TIMEOUTS, type PoolTimeouts } from './db/postgres-pool.js';
export { DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from './live/websocket.js';
export { ApiKeyConfigError, parseApiKey, parseApiKeyList } from './auth/keys.js';
export { DEMO, generateSynthetic, seedDemo, type SeedDemoOptions, type SyntheticDataSet, type SyntheticOptions } from './seed/index.js';
export {
  describeCalls,
  runSimulateCommand,
  runSimulationLoop,
  simulateFlowRun,
  simulateWhileServing,
  SimulationError,
  startSimulatedFlowRun,
  type FinalState,
  type SimulatedFlowRun,
  type SimulateOptions,
  type SimulationLoopOptions,
} from './simulate/index.js';
