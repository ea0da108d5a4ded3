// `runview watch` goes live on Node 20 against `runview serve --api-key`: the built binary, with
// no global WebSocket and nothing passed in, subscribes with the key it was given (the server
// refuses a connection without it) and gets the run's changes pushed. A proxy in front of the
// server records the graphql-ws messages both ways; where it refuses the WebSocket, the same
// watch polls and prints the same thing.
import { startSimulatedFlowRun } from '@runview/server';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { completion, spawnCli, waitForLine } from './support/cli.js';
import { demoDataCopy } from './support/server.js';

const KEY = 'watch-live-key';
// A Node start and a database open in a child, on a busy machine.
const TIMEOUT_MS = 240_000;

interface Message {
  readonly from: 'client' | 'server';
  readonly type: string;
  readonly payload: unknown;
}

interface Proxy {
  readonly url: string;
  readonly messages: Message[];
  close(): Promise<void>;
}

/** A message's text (graphql-ws sends text frames; `ws` hands them over as buffers). */
function text(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function record(messages: Message[], from: Message['from'], data: WebSocket.RawData): void {
  const parsed = JSON.parse(text(data)) as { type?: unknown; payload?: unknown };
  messages.push({ from, type: String(parsed.type), payload: parsed.payload });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Forwards HTTP and (unless refused) WebSocket traffic to `target`, recording the WebSocket's messages. */
async function startProxy(target: string, refuseWebSocket: boolean): Promise<Proxy> {
  const messages: Message[] = [];
  const sockets = new WebSocketServer({ noServer: true });
  const server: Server = createServer((request, response) => {
    void (async () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host' && entry[0] !== 'connection',
        ),
      );
      const answer = await fetch(target, { method: request.method ?? 'POST', headers, body: request.method === 'GET' ? null : await readBody(request) });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => response.destroy());
  });
  server.on('upgrade', (request, socket, head) => {
    if (refuseWebSocket) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      const upstream = new WebSocket(target.replace(/^http/, 'ws'), client.protocol);
      const pending: WebSocket.RawData[] = [];
      client.on('message', (data) => {
        record(messages, 'client', data);
        if (upstream.readyState === WebSocket.OPEN) upstream.send(text(data));
        else pending.push(data);
      });
      upstream.on('open', () => {
        for (const data of pending.splice(0)) upstream.send(text(data));
      });
      upstream.on('message', (data) => {
        record(messages, 'server', data);
        client.send(text(data));
      });
      upstream.on('close', (code, reason) => {
        client.close(code, reason);
      });
      client.on('close', () => {
        upstream.close();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`,
    messages,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

describe('runview watch against runview serve --api-key, on Node without a global WebSocket', () => {
  const data = demoDataCopy();
  let serving: ReturnType<typeof spawnCli>;
  let served: Promise<unknown>;
  let apiUrl: string;

  beforeAll(async () => {
    serving = spawnCli(['serve', '--port', '0', '--database', data.directory, '--api-key', KEY]);
    served = completion(serving, TIMEOUT_MS);
    apiUrl = await waitForLine(serving, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/, TIMEOUT_MS);
  }, TIMEOUT_MS);

  afterAll(async () => {
    serving.kill('SIGTERM');
    await served.catch(() => undefined);
    data.remove();
  });

  it(
    'goes live with the key it was given, and prints what a polling watch prints',
    async () => {
      expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function' && process.versions.node.startsWith('20.')).toBe(false);
      const live = await startProxy(apiUrl, false);
      const refused = await startProxy(apiUrl, true);
      try {
        // The run starts once the watch prints its first line, so its changes come while it watches.
        let begin = (): void => undefined;
        const watchStarted = new Promise<void>((resolve) => {
          begin = resolve;
        });
        const run = await startSimulatedFlowRun({
          url: apiUrl,
          apiKey: KEY,
          outcome: 'Success',
          stepMs: 20,
          taskCount: 2,
          logsPerTask: 1,
          startWhen: watchStarted,
        });
        const watching = spawnCli(['watch', run.flowRunId, '--endpoint', live.url, '--api-key', KEY, '--timestamps', 'full']);
        const watched = completion(watching, TIMEOUT_MS);
        void waitForLine(watching, /./, TIMEOUT_MS).finally(begin);
        const liveResult = await watched;
        expect(await run.done).toBe('Success');
        expect(liveResult.stderr).toBe('');
        expect(liveResult.code).toBe(0);

        const init = live.messages.find((message) => message.from === 'client' && message.type === 'connection_init');
        expect(init?.payload).toMatchObject({ headers: { Authorization: `Bearer ${KEY}` } });
        expect(live.messages.filter((message) => message.from === 'server' && message.type === 'connection_ack')).toHaveLength(1);
        // Pushed answers while the run moved, not one answer and then polling.
        expect(live.messages.filter((message) => message.from === 'server' && message.type === 'next').length).toBeGreaterThan(1);
        expect(live.messages.filter((message) => message.from === 'server' && message.type === 'error')).toEqual([]);

        const polled = await completion(spawnCli(['watch', run.flowRunId, '--endpoint', refused.url, '--api-key', KEY, '--timestamps', 'full']), TIMEOUT_MS);
        expect(polled.code).toBe(0);
        expect(refused.messages).toEqual([]);
        expect(polled.stdout).toBe(liveResult.stdout);
      } finally {
        await Promise.all([live.close(), refused.close()]);
      }
    },
    TIMEOUT_MS,
  );
});
