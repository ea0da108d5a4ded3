/**
 * The live transport: `graphql-ws` (the protocol Hasura speaks) over a WebSocket, with the
 * client's own settings: its URL as `ws:`/`wss:`, its API key and tenant in
 * `connection_init`. The WebSocket is the platform's (browsers, Node 22+), or on Node 20 the
 * `ws` package, loaded only then; so every caller goes live where the server offers it.
 */
import { SubscriptionSupportDocument } from '@runview/documents';
import type { CallOptions, LiveEndpoint, RunviewClient } from '../client/client.js';
import { liveUrl } from '../client/client.js';
import { AbortError, isRunviewError } from '../errors.js';

export { liveUrl };

/** How a watcher connects for live updates; by default, as its client does. */
export interface LiveOptions {
  /**
   * A WebSocket constructor. Default: the global `WebSocket`, or on Node without one the `ws`
   * package; without either, the watcher polls.
   */
  readonly webSocketImpl?: unknown;
  /** The WebSocket endpoint; default: the client's URL with `ws:`/`wss:`. */
  readonly url?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>` in `connection_init`; default: the client's key. */
  readonly apiKey?: string | undefined;
  /** Sent as `X-PREFECT-TENANT-ID` in `connection_init`; default: the client's tenant. */
  readonly tenantId?: string | undefined;
  /** Extra headers for `connection_init`, over the client's. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** The connection settings of a live source. */
export interface LiveConnection {
  readonly url: string;
  /** The WebSocket constructor, loaded when the source first connects (`ws` is imported only then). */
  readonly webSocketImpl: () => Promise<unknown>;
  readonly connectionParams: { readonly headers: Readonly<Record<string, string>> };
}

/** Whether this is Node (or a runtime that says it is one), where `ws` can stand in. */
function onNode(): boolean {
  const scope = globalThis as { process?: { versions?: { node?: unknown } } };
  return typeof scope.process?.versions?.node === 'string';
}

/** `ws`'s constructor, or null when it cannot be loaded. */
async function nodeWebSocket(): Promise<unknown> {
  try {
    const ws = (await import('ws')) as { WebSocket?: unknown; default?: unknown };
    return ws.WebSocket ?? ws.default ?? null;
  } catch {
    // Not installed beside core (a bundle that left it out): the watcher polls.
    return null;
  }
}

/**
 * Where the WebSocket constructor comes from: the caller's, the platform's, or on Node without
 * one the `ws` package (loaded when first needed); null when there is none (the watcher polls).
 */
export function webSocketImplOf(options: LiveOptions): (() => Promise<unknown>) | null {
  const given = options.webSocketImpl;
  if (given !== undefined && given !== null) return () => Promise.resolve(given);
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return () => Promise.resolve(global);
  return onNode() ? nodeWebSocket : null;
}

/** The headers with `name` set, replacing any of the same name in another case (HTTP names have none). */
function withHeader(headers: Readonly<Record<string, string>>, name: string, value: string): Record<string, string> {
  const kept = Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase());
  return { ...Object.fromEntries(kept), [name]: value };
}

/** The connection for a client and live options, or null when no WebSocket can be had. */
export function liveConnection(client: RunviewClient, options: LiveOptions): LiveConnection | null {
  const webSocketImpl = webSocketImplOf(options);
  if (webSocketImpl === null) return null;
  const endpoint: LiveEndpoint = client.liveEndpoint?.() ?? { url: liveUrl(client.url), headers: {} };
  let headers: Readonly<Record<string, string>> = endpoint.headers;
  for (const [name, value] of Object.entries(options.headers ?? {})) headers = withHeader(headers, name, value);
  if (options.apiKey) headers = withHeader(headers, 'Authorization', `Bearer ${options.apiKey}`);
  if (options.tenantId) headers = withHeader(headers, 'X-PREFECT-TENANT-ID', options.tenantId);
  return { url: options.url ?? endpoint.url, webSocketImpl, connectionParams: { headers } };
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
