/**
 * Which web pages may call the server from a browser. A request that carries an `Origin` from
 * elsewhere than the allow-list (and than the server itself) is refused before anything runs,
 * preflight included; an allowed origin gets `Access-Control-Allow-Origin` and never
 * `Access-Control-Allow-Credentials` (the API reads no cookies, keys travel in a header).
 *
 * The allow-list holds exact origins (`https://ui.example.com:8080`), `loopback` (any page
 * served from this machine: `localhost`, `127.0.0.0/8`, `[::1]`, any port, which is what the
 * dashboard's and the Prefect UI's development servers are) or `*` (any page, as Prefect
 * Server's Apollo allows). The default is `loopback`.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'graphql-yoga';

export const DEFAULT_CORS_ORIGINS: readonly string[] = ['loopback'];

/** An allow-list entry that is neither `*`, `loopback` nor an origin. */
export class CorsOriginConfigError extends Error {
  override readonly name = 'CorsOriginConfigError';
}

export interface CrossOriginPolicy {
  /** True when a page at `origin` may call the server. */
  allows(origin: string): boolean;
  /** True when every origin is allowed (`*`). */
  readonly anyOrigin: boolean;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** `scheme://host[:port]` of a URL, or undefined when `text` is not an http(s) origin. */
function originOf(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an allow-list (entries may be comma-separated lists). */
export function parseCorsOrigins(entries: readonly string[]): CrossOriginPolicy {
  const exact = new Set<string>();
  let loopback = false;
  let anyOrigin = false;
  for (const entry of entries
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')) {
    if (entry === '*') anyOrigin = true;
    else if (entry === 'loopback') loopback = true;
    else {
      const url = originOf(entry);
      if (url?.origin !== entry.replace(/\/$/, '').toLowerCase() || !/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(url.hostname)) {
        throw new CorsOriginConfigError(`--cors-origin takes "*", "loopback" or an origin such as https://ui.example.com:8080, got ${JSON.stringify(entry)}`);
      }
      exact.add(url.origin);
    }
  }
  return {
    anyOrigin,
    allows(origin) {
      if (anyOrigin || exact.has(origin)) return true;
      if (!loopback) return false;
      const url = originOf(origin);
      return url?.origin === origin && isLoopbackHost(url.hostname);
    },
  };
}

/**
 * Whether a request may go on: no `Origin` (not a browser, or a same-origin GET), a page of the
 * server itself (its `Origin` names the host the request was sent to), or an allowed page.
 */
function isAllowedOrigin(policy: CrossOriginPolicy, origin: string | null, host: string | undefined): boolean {
  return origin === null || (host !== undefined && originOf(origin)?.host === host.toLowerCase()) || policy.allows(origin);
}

function forbiddenOrigin(origin: string): Response {
  const shown = JSON.stringify(origin.slice(0, 200));
  return Response.json(
    {
      errors: [
        { message: `Requests from pages at ${shown} are not allowed; the server's --cors-origin list decides which are.`, extensions: { code: 'FORBIDDEN' } },
      ],
    },
    { status: 403, headers: { Vary: 'Origin' } },
  );
}

function allowHeaders(policy: CrossOriginPolicy, origin: string): Record<string, string> {
  return policy.anyOrigin ? { 'Access-Control-Allow-Origin': '*' } : { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
}

export function useCrossOrigin(policy: CrossOriginPolicy): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      const origin = request.headers.get('origin');
      if (origin !== null && !isAllowedOrigin(policy, origin, url.host)) {
        payload.endResponse(forbiddenOrigin(origin));
        return;
      }
      if (request.method !== 'OPTIONS') return;
      const headers: Record<string, string> = { Allow: 'GET, POST, OPTIONS', 'Content-Length': '0' };
      const requested = request.headers.get('access-control-request-headers');
      if (origin !== null) {
        Object.assign(headers, allowHeaders(policy, origin), { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Max-Age': '600' });
        if (requested !== null) Object.assign(headers, { 'Access-Control-Allow-Headers': requested, Vary: 'Origin, Access-Control-Request-Headers' });
      }
      payload.endResponse(new Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      const origin = request.headers.get('origin');
      if (origin === null || request.method === 'OPTIONS' || !policy.allows(origin)) return;
      for (const [name, value] of Object.entries(allowHeaders(policy, origin))) response.headers.set(name, value);
    },
  };
}

/**
 * Refuses WebSocket upgrades from pages the allow-list does not name. Browsers apply no CORS to
 * WebSockets, and a socket runs any operation: without this a page anywhere could open one to
 * a server on this machine. Runs before the WebSocket server's own handler, which then finds
 * the socket closed.
 */
export function refuseForeignUpgrades(server: Server, policy: CrossOriginPolicy): void {
  server.prependListener('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const origin = request.headers.origin ?? null;
    if (isAllowedOrigin(policy, origin, request.headers.host)) return;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });
}
