/**
 * `createServer`: the whole server in one object, for tests, apps that embed it and the bin.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { parseApiKey, type ApiKey } from '../auth/keys.js';
import { openDatabase, type Database } from '../db/database.js';
import { ensureKeyTenants } from '../db/key-tenants.js';
import { startCloudHooks } from '../cloud-hooks/dispatcher.js';
import type { PoolTimeouts } from '../db/postgres-pool.js';
import { resolveQueryLimits, type QueryLimits } from '../graphql/limits.js';
import { ChangeEvents } from '../graphql/events.js';
import { buildExecutableSchema } from '../graphql/schema.js';
import { mutationResolvers } from '../mutations/index.js';
import { seedDemo } from '../seed/index.js';
import { readSchemaSource } from '../graphql/schema-source.js';
import { MAX_BODY_BYTES } from './body-limit.js';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  guardConnections,
  httpServerTimeouts,
  type ConnectionStats,
} from './connections.js';
import { DEFAULT_CORS_ORIGINS, parseCorsOrigins, refuseForeignUpgrades } from './cors.js';
import { quietLogger, silentLogger, type Logger } from './logger.js';
import { createGraphQLHandler, DEFAULT_MAX_BATCH, GRAPHQL_PATH, type GraphQLHandler } from './yoga.js';
import { checkUiDirectory, createUiSite } from './ui.js';
import { createLive, DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from '../live/index.js';

/** The default maximum `limit` of a list field. */
export const DEFAULT_MAX_LIMIT = 10_000;

export interface ServerOptions {
  /**
   * `memory` (default: PGlite in memory), a directory (PGlite data directory), a
   * `postgres://` URL, or an already open {@link Database} (then `close()` leaves it open).
   */
  readonly database?: string | Database;
  /** API key specs `KEY[:TENANT_ID][:read]`; none (the default) means an open server. */
  readonly apiKeys?: readonly string[];
  /** The largest `limit` a list field accepts (default {@link DEFAULT_MAX_LIMIT}). */
  readonly maxLimit?: number;
  /** `demo` loads the demo flow runs into the database at start. */
  readonly seed?: 'demo';
  /** Where to log; `false` for nothing. Default: warnings and errors to stderr. */
  readonly logger?: Logger | false;
  /** The server's clock (tests pin it). */
  readonly now?: () => Date;
  /** Request body limit in bytes (default 5 MB, as Prefect Server). */
  readonly maxBodyBytes?: number;
  /** The most operations one batched request may hold (default {@link DEFAULT_MAX_BATCH}). */
  readonly maxBatch?: number;
  /**
   * Origins of web pages allowed to call the server: exact origins, `loopback` (pages served
   * from this machine) or `*` (default: `loopback`).
   */
  readonly corsOrigins?: readonly string[];
  /** The most connections open at once (default {@link DEFAULT_MAX_CONNECTIONS}); see `connections.ts`. */
  readonly maxConnections?: number;
  /** Time to receive a request's headers, in ms (default {@link DEFAULT_HEADERS_TIMEOUT_MS}). */
  readonly headersTimeoutMs?: number;
  /** Time to receive a whole request, in ms (default {@link DEFAULT_REQUEST_TIMEOUT_MS}). */
  readonly requestTimeoutMs?: number;
  /** What an operation may ask for, measured before it runs (defaults: `DEFAULT_QUERY_LIMITS`). */
  readonly queryLimits?: Partial<QueryLimits>;
  /** PostgreSQL's statement timeout and the wait for a free connection, in ms; 0 for none (defaults: `DEFAULT_POOL_TIMEOUTS`). */
  readonly databaseTimeouts?: Partial<PoolTimeouts>;
  /** Subscriptions open at once per WebSocket connection and per API key (defaults: `DEFAULT_SUBSCRIPTION_LIMITS`). */
  readonly subscriptionLimits?: Partial<SubscriptionLimits>;
  /**
   * A built Prefect 1 UI folder to serve beside the API on the same port (`listen` only; see
   * `ui.ts`): its files, `index.html` for its routes and a generated `settings.json`.
   */
  readonly ui?: string;
}

export interface ListeningAddress {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4200/graphql`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
}

export interface RunviewServer {
  /** Handles one HTTP request in process (no socket): GraphQL on every path, `/health` (never the `ui` folder). */
  fetch(request: Request): Promise<Response>;
  /** Starts listening (default port 4200 on 127.0.0.1; port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<ListeningAddress>;
  /** Stops listening and closes the database it opened. */
  close(): Promise<void>;
  readonly db: Database;
  /** Change events: mutations emit them after commit, subscriptions listen. */
  readonly events: ChangeEvents;
  readonly schema: GraphQLSchema;
  readonly handler: GraphQLHandler;
  /** The listening server's connections (all zero before `listen`). */
  connections(): ConnectionStats;
}

/** The port is taken, the host cannot be bound, or the server is already listening. */
export class ServerListenError extends Error {
  override readonly name = 'ServerListenError';
  /** The system's code (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`...), when the system refused. */
  readonly code: string | undefined;

  constructor(message: string, options: { code?: string | undefined; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = options.code;
  }
}

/** A listen failure in the operator's words. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): ServerListenError {
  const options = { code: error.code, cause: error };
  if (error.code === 'EADDRINUSE') return new ServerListenError(`port ${port} on ${host} is already in use`, options);
  if (error.code === 'EACCES') return new ServerListenError(`not allowed to listen on ${host}:${port}`, options);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new ServerListenError(`cannot listen on ${host}: no such local address`, options);
  return new ServerListenError(`cannot listen on ${host}:${port}: ${error.message}`, options);
}

/**
 * Fails fast when the port is taken or the address is not this machine's, before the (slower)
 * database start; port 0 always passes.
 *
 * @throws {ServerListenError} with the system's `code`.
 */
export async function checkPort(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => {
      probe.close(() => {
        resolve();
      });
    });
  }).catch((error: unknown) => {
    throw listenError(error as NodeJS.ErrnoException, host, port);
  });
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/**
 * Opens (and migrates) the database, optionally seeds it, and builds the GraphQL server.
 *
 * @throws {DatabaseOpenError} when the database cannot be opened.
 * @throws {ApiKeyConfigError} when an API key spec is malformed.
 * @throws {CorsOriginConfigError} when a CORS origin is malformed.
 * @throws {UiDirectoryError} when the `ui` folder is missing or holds no `index.html`.
 * @throws {KeyTenantError} when a tenant an API key names cannot be created (its slugs are taken).
 */
export async function createServer(options: ServerOptions = {}): Promise<RunviewServer> {
  const keys: ApiKey[] = (options.apiKeys ?? []).map((spec, index) => parseApiKey(spec, index + 1));
  const maxLimit = positiveInteger(options.maxLimit ?? DEFAULT_MAX_LIMIT, 'maxLimit');
  const crossOrigin = parseCorsOrigins(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const uiRoot = options.ui === undefined ? undefined : checkUiDirectory(options.ui);
  const limits = {
    maxConnections: positiveInteger(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 'maxConnections'),
    headersTimeoutMs: positiveInteger(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, 'headersTimeoutMs'),
    requestTimeoutMs: positiveInteger(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, 'requestTimeoutMs'),
  };
  const maxBatch = positiveInteger(options.maxBatch ?? DEFAULT_MAX_BATCH, 'maxBatch');
  const logger = options.logger === false ? silentLogger : (options.logger ?? quietLogger);
  const ownsDatabase = typeof options.database !== 'object';
  const queryLimits = resolveQueryLimits(options.queryLimits);
  const db = typeof options.database === 'object' ? options.database : await openDatabase(options.database, { timeouts: options.databaseTimeouts ?? {} });
  try {
    if (options.seed === 'demo') await seedDemo(db);
    await ensureKeyTenants(
      db,
      keys.map((key) => key.tenantId),
    );
    const schema = buildExecutableSchema(readSchemaSource(), mutationResolvers);
    const events = new ChangeEvents();
    const cloudHooks = await startCloudHooks({ db, events, logger, now: options.now ?? (() => new Date()) });
    const postgresUrl = typeof options.database === 'string' ? options.database : undefined;
    const live = await createLive({
      schema,
      db,
      events,
      keys,
      maxLimit,
      queryLimits,
      maxPayloadBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
      subscriptionLimits: { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.subscriptionLimits },
      now: options.now ?? (() => new Date()),
      logger,
      path: GRAPHQL_PATH,
      postgresUrl,
    });
    const handler = createGraphQLHandler({
      schema,
      db,
      events,
      keys,
      maxLimit,
      maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
      queryLimits,
      maxBatch,
      crossOrigin,
      now: options.now ?? (() => new Date()),
      logger,
    });
    let http: Server | undefined;
    let connections = (): ConnectionStats => ({ open: 0, evicted: 0, refused: 0 });
    return {
      db,
      events,
      schema,
      handler,
      fetch: async (request) => handler.fetch(request),
      connections: () => connections(),
      async listen(port = 4200, host = '127.0.0.1') {
        if (http !== undefined) throw new ServerListenError('the server is already listening');
        let listeningUrl = '';
        const ui = uiRoot === undefined ? undefined : createUiSite({ root: uiRoot, graphqlPath: GRAPHQL_PATH, fallbackGraphqlUrl: () => listeningUrl, logger });
        const server = createHttpServer(httpServerTimeouts(limits), (request, response) => {
          if (ui?.claims(request) === true) ui.serve(request, response);
          else void handler(request, response);
        });
        connections = guardConnections(server, limits.maxConnections);
        refuseForeignUpgrades(server, crossOrigin);
        await new Promise<void>((resolve, reject) => {
          server.once('error', (error: NodeJS.ErrnoException) => {
            reject(listenError(error, host, port));
          });
          server.listen(port, host, () => {
            resolve();
          });
        });
        http = server;
        live.attach(server);
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        listeningUrl = `http://${shownHost}:${address.port}${GRAPHQL_PATH}`;
        return { url: listeningUrl, port: address.port, host: address.address };
      },
      async close() {
        await live.close();
        const server = http;
        http = undefined;
        if (server !== undefined) {
          await new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
            server.closeAllConnections();
          });
        }
        await handler.dispose();
        await cloudHooks.close();
        if (ownsDatabase) await db.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await db.close();
    throw error;
  }
}
