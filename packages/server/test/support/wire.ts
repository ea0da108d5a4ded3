/**
 * Tests on the wire: the real HTTP server on a loopback port (one per backend and test file),
 * raw bodies and headers sent as clients send them, and Prefect Core 1.4.1's recorded requests.
 */
import { readFileSync } from 'node:fs';
import type { RunviewServer, ServerOptions } from '../../src/index.js';
import type { Backend } from '../mutations-harness.js';
import { useTestServer } from './server.js';

export interface WireServer {
  readonly server: RunviewServer;
  /** `http://127.0.0.1:<port>`, no path. */
  readonly origin: string;
}

/** Starts a server listening on 127.0.0.1 for the file's tests; read it inside tests. */
export function useWireServer(backend: Backend, options: Omit<ServerOptions, 'database'> = {}, setup?: (server: RunviewServer) => Promise<void>): WireServer {
  const fixture = useTestServer(
    backend,
    async (server) => {
      await setup?.(server);
      const address = await server.listen(0, '127.0.0.1');
      return `http://127.0.0.1:${address.port}`;
    },
    options,
  );
  return {
    get server() {
      return fixture.server;
    },
    get origin() {
      return fixture.data;
    },
  };
}

export interface WireAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Sends one HTTP request and reads the whole answer. */
export async function exchange(url: string, init: RequestInit = {}): Promise<WireAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs a body as JSON (a string is sent as is). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<WireAnswer> {
  return exchange(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** One request Prefect Core 1.4.1 sent, as recorded. */
export interface RecordedRequest {
  readonly n: number;
  readonly sent_by: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as sent (string `variables`, `ensure_ascii` escapes). */
  readonly body: string;
}

export function prefectCoreRequests(): RecordedRequest[] {
  const text = readFileSync(new URL('../fixtures/prefect-core-1.4.1-requests.jsonl', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedRequest);
}

/** A GraphQL answer's `errors[].extensions.code`s. */
export function errorCodes(json: unknown): string[] {
  const errors = (json as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors ?? [];
  return errors.map((error) => error.extensions?.code ?? '');
}
