// A fault a healthy server never shows, made real: the WebSocket of a live watcher is cut
// mid-run; it re-subscribes from its cursors and loses or repeats nothing. (The server
// process killed under a 100,000-line reader is logs-crash-restart.e2e.test.ts.)
import { startSimulatedFlowRun } from '@runview/server';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { watchFlowRun, type WatchEvent } from '../src/index.js';
import { expectedSignatures, signature } from './support/run-history.js';
import { KEYS, sharedServer } from './support/server.js';

/** A loopback TCP proxy to `port` whose open connections can be cut at once. */
async function startProxy(port: number): Promise<{ port: number; connections: number; cut(): void; close(): Promise<void> }> {
  const open = new Set<Socket>();
  let connections = 0;
  const proxy: Server = createTcpServer((downstream) => {
    connections += 1;
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [downstream, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    get connections() {
      return connections;
    },
    cut() {
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        proxy.close(() => {
          resolve();
        });
      }),
  };
}

describe('a live watcher whose WebSocket is cut mid-run', () => {
  it('re-subscribes from its cursors: every state, log and task run change once, in order', async () => {
    const server = await sharedServer();
    const proxy = await startProxy(Number(new URL(server.url).port));
    try {
      const client = server.client({ retry: true });
      const run = await startSimulatedFlowRun({ url: server.url, apiKey: KEYS.writer, stepMs: 40, taskCount: 3, logsPerTask: 3 });
      const watch = watchFlowRun(run.flowRunId, {
        client,
        live: { webSocketImpl: WebSocket, apiKey: KEYS.writer, url: `ws://127.0.0.1:${String(proxy.port)}/graphql` },
        pollIntervalMs: 300,
        drainMs: 1500,
      });
      const events: WatchEvent[] = [];
      let cutAt = -1;
      for await (const event of watch) {
        events.push(event);
        // Cut the socket once the run is under way and before it ends.
        if (cutAt === -1 && event.type === 'taskRun') {
          cutAt = events.length;
          proxy.cut();
        }
      }
      expect(await run.done).toBe('Success');
      expect(cutAt).toBeGreaterThan(0);
      expect(proxy.connections).toBeGreaterThan(1);
      expect(watch.transport).toBe('live');
      expect(events.map(signature)).toEqual(await expectedSignatures(server.server, run.flowRunId));
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
