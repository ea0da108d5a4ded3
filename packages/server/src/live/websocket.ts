/**
 * The `graphql-ws` protocol (Hasura's) on the HTTP server's `/graphql` path: a WebSocket
 * upgrade there speaks subscriptions (and queries), with the same authentication, tenancy,
 * depth limit and error masking as HTTP. Credentials come in `connection_init`:
 * `{ headers: { Authorization: 'Bearer <key>', 'X-PREFECT-TENANT-ID': '…' } }` or the same
 * keys at the top level; headers of the upgrade request count too.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate.js';
import type { ApiKey, KeyGrant } from '../auth/keys.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { depthLimit } from '../graphql/depth-limit.js';
import type { ChangeEvents } from '../graphql/events.js';
import type { Logger } from '../http/logger.js';

export interface WebSocketOptions {
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly events: ChangeEvents;
  readonly keys: readonly ApiKey[];
  readonly maxLimit: number;
  readonly maxDepth: number;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** What a connection keeps after `connection_init`: the caller's grant. */
// A type alias (not an interface) so that it fits graphql-ws' Record constraint.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
type ConnectionExtra = { grant?: KeyGrant };

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
  const wss = new WebSocketServer({ noServer: true });
  const rules = [...specifiedRules, depthLimit(options.maxDepth)];
  const serverCleanup = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: options.schema,
      onConnect: (ctx) => {
        const grant = authenticate(options.keys, connectionHeaders(ctx.extra.request, ctx.connectionParams));
        if (grant instanceof GraphQLError) return false;
        ctx.extra.grant = grant;
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return [...errors];
        const grant = ctx.extra.grant;
        if (grant === undefined) return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        const contextValue: RequestContext = {
          db: options.db,
          events: options.events,
          maxLimit: options.maxLimit,
          now: options.now,
          tenantId: grant.tenantId,
          canWrite: grant.canWrite,
        };
        const args: ExecutionArgs = {
          schema: options.schema,
          document,
          contextValue,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
        };
        return args;
      },
      onError: (_ctx, _id, _payload, errors) => {
        // What the database says stays in the log; the client gets the message of a GraphQLError only.
        for (const error of errors) if (error.originalError !== undefined && !(error.originalError instanceof GraphQLError)) options.logger.error(error.originalError);
        return errors.map((error) =>
          error.originalError === undefined || error.originalError instanceof GraphQLError
            ? error
            : new GraphQLError('Unexpected error.', { path: error.path ?? [], extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
        );
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
