// The live transport against a real server: a watcher subscribes when the server advertises a
// subscription root and a WebSocket is at hand, polls otherwise, and both paths yield the same
// events for the same simulated run.
import { startSimulatedFlowRun } from '@runview/server';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, serverOffersSubscriptions, watchFlowRun } from '../src/index.js';
import { collect, expectedSignatures, signature } from './support/run-history.js';
import { DEMO, KEYS, sharedServer, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await sharedServer();
});

describe('watchFlowRun over a live subscription', () => {
  it('yields the same events as polling for the same simulated run, every one once, in order', async () => {
    const client = server.client({ retry: true });
    const run = await startSimulatedFlowRun({ url: server.url, apiKey: KEYS.writer, stepMs: 30, taskCount: 3, logsPerTask: 3 });
    const live = watchFlowRun(run.flowRunId, { client, live: { webSocketImpl: WebSocket, apiKey: KEYS.writer }, pollIntervalMs: 300, drainMs: 1500 });
    const polled = watchFlowRun(run.flowRunId, { client, live: false, pollIntervalMs: 100, drainMs: 1500 });
    const [viaLive, viaPolling] = await Promise.all([collect(live, live.result), collect(polled, polled.result)]);
    expect(await run.done).toBe('Success');
    expect(live.transport).toBe('live');
    expect(polled.transport).toBe('poll');
    const expected = await expectedSignatures(server.server, run.flowRunId);
    expect(viaLive.events.map(signature)).toEqual(expected);
    expect(viaPolling.events.map(signature)).toEqual(expected);
    expect(viaLive.final.state.type).toBe('Success');
    expect(viaLive.final.toJSON()).toEqual(viaPolling.final.toJSON());
  });

  it('sends the API key in connection_init: a wrong one leaves the watcher polling, with the same result', async () => {
    const client = server.client();
    const watch = watchFlowRun(DEMO.reference, { client, live: { webSocketImpl: WebSocket, apiKey: 'not-a-key' }, pollIntervalMs: 50 });
    const { events } = await collect(watch, watch.result);
    expect(watch.transport).toBe('poll');
    expect(events.map(signature)).toEqual(await expectedSignatures(server.server, DEMO.reference));
  });

  it("goes live with nothing passed in: the platform's WebSocket or ws, and the client's own key (the server refuses a connection without one)", async () => {
    const requests: string[] = [];
    const client = server.client({ onRequest: (event) => requests.push(event.operationName ?? '?') });
    const watch = watchFlowRun(DEMO.reference, { client, pollIntervalMs: 50 });
    const { events } = await collect(watch, watch.result);
    expect(watch.transport).toBe('live');
    expect(events.map(signature)).toEqual(await expectedSignatures(server.server, DEMO.reference));
    // Live: no FlowRunWatch poll went over HTTP (the run's reads came pushed).
    expect(requests).toContain('SubscriptionSupport');
    expect(requests.filter((name) => name === 'FlowRunWatch').length).toBeLessThanOrEqual(2);
  });

  it('polls when the live key is refused, with the same result', async () => {
    const watch = watchFlowRun(DEMO.reference, { client: server.client(), live: { headers: { authorization: 'Bearer not-a-key' } }, pollIntervalMs: 50 });
    const { events } = await collect(watch, watch.result);
    expect(watch.transport).toBe('poll');
    expect(events.map(signature)).toEqual(await expectedSignatures(server.server, DEMO.reference));
  });
});

describe('a server without a subscription root (as Prefect Server)', () => {
  let gateway: Server;
  let gatewayUrl: string;

  beforeAll(async () => {
    // A gateway that answers the schema probe as Prefect Server's does and forwards the rest.
    gateway = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const { operationName } = JSON.parse(body) as { operationName?: string };
        if (operationName === 'SubscriptionSupport') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ data: { __schema: { subscriptionType: null } } }));
          return;
        }
        void fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' }, body })
          .then(async (answer) => {
            response.writeHead(answer.status, { 'content-type': 'application/json' });
            response.end(await answer.text());
          })
          .catch(() => response.destroy());
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${String((gateway.address() as AddressInfo).port)}/graphql`;
  });

  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise<void>((resolve) =>
      gateway.close(() => {
        resolve();
      }),
    );
  });

  it('is seen to have none, and the watcher polls it', async () => {
    const client = createClient({ url: gatewayUrl, apiKey: KEYS.writer, retry: false });
    expect(await serverOffersSubscriptions(client)).toBe(false);
    expect(await serverOffersSubscriptions(server.client())).toBe(true);
    const watch = watchFlowRun(DEMO.reference, { client, live: { webSocketImpl: WebSocket, apiKey: KEYS.writer }, pollIntervalMs: 50 });
    const { events } = await collect(watch, watch.result);
    expect(watch.transport).toBe('poll');
    expect(events.map(signature)).toEqual(await expectedSignatures(server.server, DEMO.reference));
  });
});
