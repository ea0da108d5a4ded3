// Every transport failure the client maps, produced by a real loopback server that misbehaves:
// 429 with Retry-After, 502/503/504, API_ERROR, a stalled response, a dropped socket, a refused
// connection, and the caller's abort.
import { ApiInfoDocument } from '@runview/documents';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  createClient,
  GraphQLResponseError,
  RateLimitedError,
  TimeoutError,
  TransportError,
  UnauthenticatedError,
  ForbiddenError,
  type RunviewClient,
} from '../src/index.js';
import { liveConnection, webSocketImplOf } from '../src/live/transport.js';
import { startFaultyServer, type FaultyServer } from './support/faulty-server.js';
import { useVirtualClock } from './support/virtual-clock.js';

const API = { api: { backend: 'SERVER', mode: 'normal', version: '2022.09.07', core_version: '1.4.1', release_timestamp: null } };
const ok = { status: 200, body: { data: API } } as const;
const fastRetry = { baseDelayMs: 5, maxDelayMs: 20 };

let server: FaultyServer;
beforeEach(async () => {
  server = await startFaultyServer(ok);
});
afterEach(async () => {
  await server.close();
});

function client(options: Parameters<typeof createClient>[0] = {}): RunviewClient {
  return createClient({ url: server.url, retry: fastRetry, ...options });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('HTTP 429', () => {
  it('waits for Retry-After (seconds) and retries the query', async () => {
    server.script({ status: 429, headers: { 'retry-after': '2' }, body: 'slow down' });
    const c = client();
    // The wait is counted on a clock of the test's, not waited out.
    const clock = useVirtualClock();
    try {
      await expect(c.query(ApiInfoDocument, {})).resolves.toEqual(API);
      expect(clock.elapsed()).toBe(2000);
    } finally {
      clock.restore();
    }
    expect(c.requestCount).toBe(2);
  });

  it('understands Retry-After as an HTTP date', async () => {
    server.script({ status: 429, headers: { 'retry-after': new Date(Date.now() - 1000).toUTCString() } });
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).resolves.toEqual(API);
    expect(c.requestCount).toBe(2);
  });

  it('gives a RateLimitedError carrying retryAfter when retries are off', async () => {
    server.script({ status: 429, headers: { 'retry-after': '7' } });
    const c = client({ retry: false });
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 7, request: { status: 429, operationName: 'ApiInfo' } });
    expect(c.requestCount).toBe(1);
  });

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    server.script({ status: 429, headers: { 'retry-after': '3600' } });
    const c = client({ retry: { ...fastRetry, maxRetryAfterMs: 1000 } });
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3600 });
    expect(c.requestCount).toBe(1);
  });
});

describe('5xx', () => {
  it.each([502, 503, 504])('retries a query after HTTP %i', async (status) => {
    server.script({ status, body: 'upstream unavailable' });
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).resolves.toEqual(API);
    expect(c.requestCount).toBe(2);
  });

  it('gives up after maxRetries with a TransportError naming the status', async () => {
    server.script(...Array.from({ length: 5 }, () => ({ status: 503, body: 'down' })));
    const c = client({ retry: { ...fastRetry, maxRetries: 2 } });
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'TRANSPORT', request: { status: 503 } });
    expect((error as Error).message).toContain('HTTP 503');
    expect(c.requestCount).toBe(3);
  });

  it('does not retry HTTP 500', async () => {
    server.script({ status: 500, body: 'boom' });
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).rejects.toMatchObject({ code: 'TRANSPORT', request: { status: 500 } });
    expect(c.requestCount).toBe(1);
  });

  it('never retries a mutation', async () => {
    server.script({ status: 503 });
    const c = client();
    const error = await failure(c.mutate(CreateFlowRunDocument, { input: { flow_id: '8bdcf5b5-7598-49d1-a885-61612ca550de' } }));
    expect(error).toMatchObject({ code: 'TRANSPORT', request: { status: 503, operationName: 'CreateFlowRun' } });
    expect(c.requestCount).toBe(1);
  });
});

describe('GraphQL errors', () => {
  const apiError = {
    status: 200,
    body: {
      data: { api: null },
      errors: [{ message: 'Operation timed out', path: ['api'], extensions: { code: 'API_ERROR' } }],
    },
  };

  it("retries Prefect's API_ERROR", async () => {
    server.script(apiError);
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).resolves.toEqual(API);
    expect(c.requestCount).toBe(2);
  });

  it('reports the errors with their paths and the partial data', async () => {
    server.script(apiError, apiError, apiError, apiError);
    const c = client();
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(GraphQLResponseError);
    const graphql = error as GraphQLResponseError;
    expect(graphql.errors).toEqual([{ message: 'Operation timed out', path: ['api'], code: 'API_ERROR', extensions: { code: 'API_ERROR' } }]);
    expect(graphql.data).toEqual({ api: null });
    expect(c.requestCount).toBe(4);
  });

  it("keeps the answer's status and headers (not its cookies) on a GraphQL error", async () => {
    server.script({
      status: 200,
      headers: { 'x-request-id': 'req-42', 'set-cookie': 'session=secret' },
      body: { data: null, errors: [{ message: 'field "nope" not found', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    });
    const error = await failure(client().query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(GraphQLResponseError);
    const graphql = error as GraphQLResponseError;
    expect(graphql.request).toEqual({ url: server.url, operationName: 'ApiInfo', status: 200 });
    expect(graphql.headers).toMatchObject({ 'x-request-id': 'req-42', 'content-type': 'application/json' });
    expect(graphql.headers).not.toHaveProperty('set-cookie');
    expect(Object.isFrozen(graphql.headers)).toBe(true);
  });

  it('maps a 401 with UNAUTHENTICATED and a 403 to their classes, without retrying', async () => {
    server.script(
      { status: 401, body: { errors: [{ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } }] } },
      { status: 403, body: 'forbidden' },
    );
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(c.query(ApiInfoDocument, {})).rejects.toBeInstanceOf(ForbiddenError);
    expect(c.requestCount).toBe(2);
  });

  it('reports an answer without data or errors ({"data": null}) as a GraphQLResponseError, not retried', async () => {
    server.script({ status: 200, body: { data: null } });
    const c = client();
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect((error as GraphQLResponseError).errors.map((info) => info.message)).toEqual(['The response has no data']);
    expect(c.requestCount).toBe(1);
  });

  it('reports a body that is not JSON as a TransportError', async () => {
    server.script({ status: 200, body: '<html>proxy</html>' });
    await expect(client().query(ApiInfoDocument, {})).rejects.toMatchObject({ code: 'TRANSPORT', request: { status: 200 } });
  });
});

describe('the network', () => {
  it('retries a dropped socket, then reports it as a TransportError', async () => {
    server.script({ destroy: true });
    const c = client();
    await expect(c.query(ApiInfoDocument, {})).resolves.toEqual(API);
    expect(c.requestCount).toBe(2);

    server.script({ destroy: true }, { destroy: true });
    const error = await failure(client({ retry: { ...fastRetry, maxRetries: 1 } }).query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).request.status).toBeNull();
    expect((error as Error).message).toContain(server.url);
  });

  it('reports a refused connection as a TransportError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) =>
      closed.close(() => {
        resolve();
      }),
    );
    const c = createClient({ url: `http://127.0.0.1:${port}/graphql`, retry: false });
    const error = await failure(c.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('ends a stalled response with a TimeoutError', async () => {
    server.script({ stall: true });
    // The time passes on a clock of the test's once the request hangs at the server.
    const clock = useVirtualClock();
    try {
      let settled = false;
      const pending = failure(client().query(ApiInfoDocument, {}, { timeoutMs: 300 })).finally(() => {
        settled = true;
      });
      await server.received(1);
      clock.advance(299);
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      clock.advance(1);
      const error = await pending;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 300 });
    } finally {
      clock.restore();
    }
  });

  it("stops at the caller's signal with an AbortError", async () => {
    server.script({ stall: true });
    const controller = new AbortController();
    const pending = client().query(ApiInfoDocument, {}, { signal: controller.signal });
    // While the request hangs at the server.
    await server.received(1);
    controller.abort(new Error('user left'));
    const error = await failure(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error('user left'));
  });

  it('refuses to start with an already aborted signal, sending nothing', async () => {
    const c = client();
    await expect(c.query(ApiInfoDocument, {}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(c.requestCount).toBe(0);
  });
});

describe('requests', () => {
  it('sends the API key as a Bearer token and the tenant id, and reports each request', async () => {
    const seen: string[] = [];
    const c = createClient({
      url: server.url,
      apiKey: 'secret-key',
      tenantId: 'a0b1c2d3-0000-4000-8000-000000000000',
      headers: { 'x-team': 'data' },
      onRequest: (event) => seen.push(event.operationName ?? '?'),
    });
    await c.query(ApiInfoDocument, {});
    const [request] = server.requests;
    expect(request?.headers['authorization']).toBe('Bearer secret-key');
    expect(request?.headers['x-prefect-tenant-id']).toBe('a0b1c2d3-0000-4000-8000-000000000000');
    expect(request?.headers['x-team']).toBe('data');
    expect(request?.body.operationName).toBe('ApiInfo');
    expect(request?.body.query).toMatch(/^query ApiInfo \{/);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(seen).toEqual(['ApiInfo']);
  });

  it("lets the client's key win over a caller's own authorization header, and derives the live endpoint from the same settings", () => {
    const c = createClient({
      url: 'https://prefect.example/graphql',
      apiKey: 'secret-key',
      tenantId: 't-1',
      headers: { authorization: 'Bearer stale', 'x-team': 'data' },
    });
    expect(c.liveEndpoint?.()).toEqual({
      url: 'wss://prefect.example/graphql',
      headers: { 'x-team': 'data', Authorization: 'Bearer secret-key', 'X-PREFECT-TENANT-ID': 't-1' },
    });
  });

  it("lets a watch's live options override the client's, and serves a client of the caller's own without a live endpoint", () => {
    const c = createClient({ url: 'http://127.0.0.1:4200/graphql', apiKey: 'secret-key', headers: { 'x-team': 'data' } });
    const WebSocketStandIn = class {};
    expect(liveConnection(c, { webSocketImpl: WebSocketStandIn, apiKey: 'other-key', headers: { 'X-Team': 'ops' } })?.connectionParams.headers).toEqual({
      'X-Team': 'ops',
      Authorization: 'Bearer other-key',
    });
    const own: RunviewClient = {
      url: 'https://prefect.example/graphql',
      requestCount: 0,
      query: c.query.bind(c),
      mutate: c.mutate.bind(c),
      onRequest: c.onRequest.bind(c),
      close: () => undefined,
    };
    const connection = liveConnection(own, { webSocketImpl: WebSocketStandIn, tenantId: 't-2' });
    expect(connection).toMatchObject({ url: 'wss://prefect.example/graphql', connectionParams: { headers: { 'X-PREFECT-TENANT-ID': 't-2' } } });
  });

  it("takes the platform's WebSocket when there is one, else ws on Node", async () => {
    const scope = globalThis as { WebSocket?: unknown };
    const platform = scope.WebSocket;
    const Platform = class {};
    try {
      scope.WebSocket = Platform;
      expect(await webSocketImplOf({})?.()).toBe(Platform);
      delete scope.WebSocket;
      const { WebSocket: NodeWebSocket } = await import('ws');
      expect(await webSocketImplOf({})?.()).toBe(NodeWebSocket);
    } finally {
      scope.WebSocket = platform;
      if (platform === undefined) delete scope.WebSocket;
    }
  });

  it('refuses calls once closed, and stops telling a listener it removed', async () => {
    const seen: string[] = [];
    const c = client();
    const remove = c.onRequest((event) => seen.push(event.operationName ?? '?'));
    await c.query(ApiInfoDocument, {});
    remove();
    await c.query(ApiInfoDocument, {});
    expect(seen).toEqual(['ApiInfo']);
    c.close();
    await expect(c.query(ApiInfoDocument, {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'client' });
  });

  it('reports a network failure with no status, and an HTTP failure with its status and headers', async () => {
    server.script({ status: 500, headers: { 'x-request-id': 'req-7' }, body: 'boom' });
    const error = await failure(client().query(ApiInfoDocument, {}));
    expect(error).toMatchObject({ code: 'TRANSPORT', request: { status: 500 }, headers: { 'x-request-id': 'req-7' } });
  });
});
