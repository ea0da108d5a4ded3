/**
 * The `graphql-ws` protocol (Hasura's) on the HTTP server's `/graphql` path: a WebSocket
 * upgrade there speaks subscriptions (and queries), with the same authentication, tenancy,
 * query limits and error masking as HTTP, messages no larger than an HTTP body, and a bounded
 * number of operations per connection and per API key. Credentials come in `connection_init`:
 * `{ headers: { Authorization: 'Bearer <key>', 'X-PREFECT-TENANT-ID': '…' } }` or the same
 * keys at the top level; headers of the upgrade request count too.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import { GraphQLError, specifiedRules, validate, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate.js';
import type { ApiKey, KeyGrant } from '../auth/keys.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { admitOperation } from '../graphql/cost.js';
import { depthLimit } from '../graphql/depth-limit.js';
import { databaseError } from '../graphql/errors.js';
import type { ChangeEvents } from '../graphql/events.js';
import type { QueryLimits } from '../graphql/limits.js';
import { parseWithinLimits } from '../graphql/parse-guard.js';
import type { Logger } from '../http/logger.js';

export interface WebSocketOptions {
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly events: ChangeEvents;
  readonly keys: readonly ApiKey[];
  readonly maxLimit: number;
  readonly queryLimits: QueryLimits;
  /** The largest message, as the HTTP body limit: a larger one closes the socket (1009). */
  readonly maxPayloadBytes: number;
  readonly subscriptionLimits: SubscriptionLimits;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** Operations (subscriptions, and queries while they run) open at once. */
export interface SubscriptionLimits {
  readonly perConnection: number;
  /** On all connections of one API key (of all anonymous ones on an open server). */
  readonly perKey: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = { perConnection: 100, perKey: 1_000 };

/** What a connection keeps after `connection_init`: the caller's grant, its key, the operations it counts against the key. */
// A type alias (not an interface) so that it fits graphql-ws' Record constraint.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
type ConnectionExtra = { grant?: KeyGrant; keyId?: string; counted?: Set<string> };

function tooManyOperations(scope: 'connection' | 'key', limit: number): GraphQLError {
  const where = scope === 'connection' ? 'on this connection' : 'for this API key';
  return new GraphQLError(`Too many subscriptions ${where}: at most ${String(limit)} may be open at once.`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', scope, limit },
  });
}

/** The key a connection counts against, never kept in clear: a digest of its Authorization header. */
function keyIdOf(headers: Headers): string {
  return createHash('sha256')
    .update(headers.get('authorization') ?? '')
    .digest('hex');
}

/**
 * Errors as they leave the server, as on HTTP: expected ones (GraphQL errors we raise,
 * validation) as they are, a database failure as its typed error, anything else logged and
 * masked: a database's address or a stack never reaches a client.
 */
function maskErrors(errors: readonly GraphQLError[], logger: Logger): GraphQLError[] {
  return errors.map((error) => {
    const original = error.originalError;
    if (original === undefined || original instanceof GraphQLError) return error;
    const typed = databaseError(original);
    if (typed !== undefined) return new GraphQLError(typed.message, { path: error.path ?? [], extensions: typed.extensions });
    logger.error(original);
    return new GraphQLError('Unexpected error.', { path: error.path ?? [], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
}

/** The credentials of a connection: the upgrade request's headers, overridden by `connection_init`. */
export function connectionHeaders(request: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined): Headers {
  const headers = new Headers();
  for (const name of ['authorization', 'x-prefect-tenant-id']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const nested = params?.['headers'];
  for (const source of [params, typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : undefined]) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (typeof value === 'string' && ['authorization', 'x-prefect-tenant-id'].includes(name.toLowerCase())) headers.set(name, value);
    }
  }
  return headers;
}

/** Serves graphql-ws on `server`'s upgrades to `path`; returns the function that closes every socket. */
export function attachWebSocket(server: Server, options: WebSocketOptions): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const rules = [...specifiedRules, depthLimit(options.queryLimits.maxDepth)];
  const limits = options.subscriptionLimits;
  /** Operations open per key digest. */
  const perKey = new Map<string, number>();
  const uncount = (extra: ConnectionExtra, id: string): void => {
    if (extra.counted?.delete(id) !== true || extra.keyId === undefined) return;
    const open = (perKey.get(extra.keyId) ?? 1) - 1;
    if (open > 0) perKey.set(extra.keyId, open);
    else perKey.delete(extra.keyId);
  };
  const serverCleanup = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: options.schema,
      // Close reasons never carry an error's message (it could name the database).
      isProd: true,
      onConnect: (ctx) => {
        const headers = connectionHeaders(ctx.extra.request, ctx.connectionParams);
        const grant = authenticate(options.keys, headers);
        if (grant instanceof GraphQLError) return false;
        ctx.extra.grant = grant;
        ctx.extra.keyId = keyIdOf(headers);
        ctx.extra.counted = new Set();
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const grant = ctx.extra.grant;
        const keyId = ctx.extra.keyId;
        if (grant === undefined || keyId === undefined) return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        // This operation is already in `subscriptions`.
        if (Object.keys(ctx.subscriptions).length > limits.perConnection) return [tooManyOperations('connection', limits.perConnection)];
        if ((perKey.get(keyId) ?? 0) >= limits.perKey) return [tooManyOperations('key', limits.perKey)];
        let document;
        try {
          document = parseWithinLimits(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed.')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return [...errors];
        const request = { schema: options.schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null };
        const admission = admitOperation(request, options.queryLimits, options.maxLimit);
        if ('refused' in admission) return [admission.refused];
        const contextValue: RequestContext = {
          db: options.db,
          events: options.events,
          maxLimit: options.maxLimit,
          now: options.now,
          tenantId: grant.tenantId,
          canWrite: grant.canWrite,
          ...(admission.rowBudget === undefined ? {} : { rowBudget: admission.rowBudget }),
        };
        ctx.extra.counted?.add(id);
        perKey.set(keyId, (perKey.get(keyId) ?? 0) + 1);
        const args: ExecutionArgs = { ...request, contextValue };
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors === undefined ? undefined : { ...result, errors: maskErrors(result.errors, options.logger).map((error) => error.toJSON()) },
      onError: (_ctx, _id, _payload, errors) => maskErrors(errors, options.logger).map((error) => error.toJSON()),
      onComplete: (ctx, id) => {
        uncount(ctx.extra, id);
      },
      onClose: (ctx) => {
        for (const id of [...(ctx.extra.counted ?? [])]) uncount(ctx.extra, id);
      },
    },
    wss,
  );
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      wss.emit('connection', ws, request);
    });
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    server.off('upgrade', onUpgrade);
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'the server is shutting down');
    await serverCleanup.dispose();
    await new Promise<void>((resolve) => {
      wss.close(() => {
        resolve();
      });
    });
  };
}
