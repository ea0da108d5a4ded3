/**
 * Bounds what open connections can hold: at most `maxConnections` at once, and time limits on
 * receiving a request's headers and its whole body.
 *
 * A plain cap (Node's `server.maxConnections`) would let a few thousand connections that never
 * finish their headers lock everyone else out until they time out. Here a connection that
 * arrives when the cap is reached takes the place of the oldest connection that holds no
 * request: one still waiting for its headers (a slow or idle opener), else an idle keep-alive
 * connection. Only when every connection is busy with a request is the newcomer refused. A
 * client that sends its request at once therefore always gets in, however many slow ones wait.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Time to receive a request's headers, in milliseconds. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Time to receive a whole request (headers and body), in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let them overrun by that much). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export interface ConnectionLimits {
  readonly maxConnections: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** What the connection guard has seen, for tests and the operator. */
export interface ConnectionStats {
  /** Open connections now. */
  readonly open: number;
  /** Connections closed to make room for a newcomer, since the start. */
  readonly evicted: number;
  /** Newcomers refused because every connection was busy with a request. */
  readonly refused: number;
}

/** Options of `http.createServer` that apply the time limits. */
export function httpServerTimeouts(limits: ConnectionLimits): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  return {
    headersTimeout: limits.headersTimeoutMs,
    // Node requires requestTimeout >= headersTimeout when both are set.
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}

/** Starts guarding a server's connections; returns its statistics. */
export function guardConnections(server: Server, maxConnections: number): () => ConnectionStats {
  // Insertion order is age order: the first entry is the oldest.
  const waiting = new Set<Socket>();
  const idle = new Set<Socket>();
  const busy = new Set<Socket>();
  let evicted = 0;
  let refused = 0;

  const forget = (socket: Socket): void => {
    waiting.delete(socket);
    idle.delete(socket);
    busy.delete(socket);
  };
  const oldest = (set: Set<Socket>): Socket | undefined => set.values().next().value;

  server.on('connection', (socket: Socket) => {
    if (waiting.size + idle.size + busy.size >= maxConnections) {
      const victim = oldest(waiting) ?? oldest(idle);
      if (victim === undefined) {
        refused += 1;
        socket.destroy();
        return;
      }
      evicted += 1;
      forget(victim);
      victim.destroy();
    }
    waiting.add(socket);
    socket.once('close', () => {
      forget(socket);
    });
  });
  server.on('request', (request: { socket: Socket }, response: { once(event: 'finish', listener: () => void): void }) => {
    const { socket } = request;
    if (socket.destroyed) return;
    waiting.delete(socket);
    idle.delete(socket);
    busy.add(socket);
    response.once('finish', () => {
      if (!busy.delete(socket) || socket.destroyed) return;
      idle.add(socket);
    });
  });
  server.on('upgrade', (request: { socket: Socket }) => {
    // A WebSocket: busy for as long as it lives (its own limits apply).
    const { socket } = request;
    waiting.delete(socket);
    idle.delete(socket);
    if (!socket.destroyed) busy.add(socket);
  });
  return () => ({ open: waiting.size + idle.size + busy.size, evicted, refused });
}
