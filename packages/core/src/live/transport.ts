/**
 * The live transport: `graphql-ws` (the protocol Hasura speaks) over a WebSocket the caller
 * can choose. Browsers and Node 22+ have a global `WebSocket`; on Node 20 pass the `ws`
 * package as `webSocketImpl`, or the watcher polls. Nothing here imports a Node module.
 */
import { SubscriptionSupportDocument } from '@runview/documents';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { AbortError, isRunviewError } from '../errors.js';

/** How a watcher connects for live updates. */
export interface LiveOptions {
  /**
   * A WebSocket constructor (the browser's, or `WebSocket` from the `ws` package in Node).
   * Default: the global `WebSocket` when there is one; without either, the watcher polls.
   */
  readonly webSocketImpl?: unknown;
  /** The WebSocket endpoint; default: the client's URL with `ws:`/`wss:`. */
  readonly url?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>` in the connection's `connection_init`. */
  readonly apiKey?: string | undefined;
  /** Sent as `X-PREFECT-TENANT-ID` in `connection_init`. */
  readonly tenantId?: string | undefined;
  /** Extra headers for `connection_init`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** The connection settings of a live source. */
export interface LiveConnection {
  readonly url: string;
  readonly webSocketImpl: unknown;
  readonly connectionParams: { readonly headers: Readonly<Record<string, string>> };
}

/** `http://host/graphql` to `ws://host/graphql` (and https to wss). */
export function liveUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/** The WebSocket constructor to use, or null when there is none (then the watcher polls). */
export function webSocketImplOf(options: LiveOptions): unknown {
  if (options.webSocketImpl !== undefined && options.webSocketImpl !== null) return options.webSocketImpl;
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof global === 'function' ? global : null;
}

/** The connection for a client and live options, or null when no WebSocket is available. */
export function liveConnection(client: RunviewClient, options: LiveOptions): LiveConnection | null {
  const webSocketImpl = webSocketImplOf(options);
  if (webSocketImpl === null) return null;
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers['Authorization'] = `Bearer ${options.apiKey}`;
  if (options.tenantId) headers['X-PREFECT-TENANT-ID'] = options.tenantId;
  return { url: options.url ?? liveUrl(client.url), webSocketImpl, connectionParams: { headers } };
}

/**
 * Whether the API advertises a subscription root (`__schema { subscriptionType { name } }`).
 * An API that refuses introspection counts as one without.
 */
export async function serverOffersSubscriptions(client: RunviewClient, options: CallOptions = {}): Promise<boolean> {
  try {
    const data = await client.query(SubscriptionSupportDocument, {}, options);
    return data.__schema.subscriptionType !== null;
  } catch (error) {
    if (error instanceof AbortError) throw error;
    if (isRunviewError(error)) return false;
    throw error;
  }
}
