// A fault a healthy server never shows, made real: the server process is SIGKILLed while a
// client iterates 100,000 log lines and started again on the same port with the same data;
// the iterator, with retries on, ends with every line exactly once. End-to-end by nature (a
// 100,000-line data directory, two server processes), so it runs once, in the last phase.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, FlowRunLog, FlowRunView } from '../src/index.js';
import { freePort, seedInProcess, startServerProcess, type ServerProcess } from './support/server-process.js';
import { pgliteCopy } from './support/snapshots.js';

const LINES = 100_000;

describe('iterLogs across a server crash and restart', () => {
  let dataDir: string;
  let flowRunId: string;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    // A copy of the migrated snapshot: only the 100,000 lines are written here.
    const copy = await pgliteCopy('migrated');
    dataDir = copy.fromSnapshot ? copy.database : await mkdtemp(join(tmpdir(), 'runview-faults-'));
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
