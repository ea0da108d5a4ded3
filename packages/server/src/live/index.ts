/**
 * Live queries for the contract's `subscription` root: the resolvers, the graphql-ws endpoint
 * on the HTTP server, and (on PostgreSQL) the relay that makes every server process push.
 */
import type { Server } from 'node:http';
import { installLiveQueries } from './live-query.js';
import { startPostgresRelay, type PostgresRelay } from './postgres-relay.js';
import { LiveScheduler } from './scheduler.js';
import { attachWebSocket, type WebSocketOptions } from './websocket.js';

export { CHANGES_CHANNEL } from './postgres-relay.js';
export { DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from './websocket.js';

export interface LiveOptions extends WebSocketOptions {
  /** The PostgreSQL URL the database was opened with (not for PGlite): relays changes between processes. */
  readonly postgresUrl?: string | undefined;
}

export interface Live {
  /** Serves subscriptions on this HTTP server's upgrades. */
  attach(server: Server): void;
  /** Closes the sockets and the relay. */
  close(): Promise<void>;
}

function isPostgresUrl(spec: string | undefined): spec is string {
  return spec !== undefined && /^postgres(?:ql)?:\/\//i.test(spec.trim());
}

/** Installs the live queries on `schema` and, on PostgreSQL, starts the change relay. */
export async function createLive(options: LiveOptions): Promise<Live> {
  installLiveQueries(options.schema, new LiveScheduler());
  const relay: PostgresRelay | null =
    options.db.dialect === 'postgres' && isPostgresUrl(options.postgresUrl)
      ? await startPostgresRelay(options.postgresUrl.trim(), options.db, options.events, options.logger)
      : null;
  const detach: (() => Promise<void>)[] = [];
  return {
    attach(server) {
      detach.push(attachWebSocket(server, options));
    },
    async close() {
      await Promise.all(detach.splice(0).map((close) => close()));
      await relay?.close();
    },
  };
}
