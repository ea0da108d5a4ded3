// Faults a healthy server never shows, made real: the server process is SIGKILLed while a
// client iterates 100,000 log lines and started again on the same port with the same data;
// the iterator, with retries on, ends with every line exactly once. And the WebSocket of a live
// watcher is cut mid-run: it re-subscribes from its cursors and loses or repeats nothing.
import { startSimulatedFlowRun } from '@runview/server';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, FlowRunLog, FlowRunView, watchFlowRun, type WatchEvent } from '../src/index.js';
import { expectedSignatures, signature } from './support/run-history.js';
import { KEYS, sharedServer } from './support/server.js';
import { freePort, seedInProcess, startServerProcess, type ServerProcess } from './support/server-process.js';

const LINES = 100_000;

describe('iterLogs across a server crash and restart', () => {
  let dataDir: string;
  let flowRunId: string;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'runview-faults-'));
    ({ flowRunId } = await seedInProcess(dataDir, LINES));
  }, 180_000);

  afterAll(async () => {
    for (const server of processes) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads every one of 100,000 lines exactly once while the server is killed and restarted mid-way', async () => {
    const port = await freePort();
    const first = await startServerProcess(dataDir, port);
    processes.push(first);
    let requests = 0;
    const client = createClient({
      url: first.url,
      timeoutMs: 90_000,
      retry: { maxRetries: 40, baseDelayMs: 100, maxDelayMs: 1000 },
      onRequest: () => {
        requests += 1;
      },
    });
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const iterator = view.iterLogs({ pageSize: 10_000 });
    const ids = new Set<string>();
    let count = 0;
    let previous: FlowRunLog | null = null;
    let restarted: Promise<ServerProcess> | null = null;
    for await (const log of iterator) {
      count += 1;
      ids.add(log.id);
      // Strictly increasing in (timestamp, id): nothing repeated, nothing out of order.
      if (previous !== null) expect(FlowRunLog.compare(previous, log)).toBe(-1);
      previous = log;
      if (count === 31_337) {
        // Mid-page: the next request finds the server gone.
        first.child.kill('SIGKILL');
        restarted = first.exited.then(async () => {
          const second = await startServerProcess(dataDir, port);
          processes.push(second);
          return second;
        });
      }
    }
    expect(await first.exited).toBe('SIGKILL');
    expect(restarted).not.toBeNull();
    await restarted;
    expect(count).toBe(LINES);
    expect(ids.size).toBe(LINES);
    // Some requests failed against the dead server and were retried.
    expect(requests).toBeGreaterThan(iterator.pagesFetched + 1);
  }, 180_000);
});

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
