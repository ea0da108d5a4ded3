// Log lines that land late, as Prefect writes them: runners upload batches at once through
// write_run_logs, each line stamped by its runner when it was logged, up to 3 s before the
// batch goes out and out of order within it, while the server commits the batches in
// whatever order their transactions end. Meanwhile a reader resumes iterLogs from its stored
// cursor every few pages, and two watchers (polling, and a live subscription) follow the run.
// Each must end with every line of the database exactly once. On PGlite and on PostgreSQL.
//
// Time is logical and the steps are rounds, not sleeps: in round r the runners' clock reads
// T0 + 2r seconds, every runner's batch of the round and one reader step run at once, and the next
// round starts when they are done. So how late a line is, in log time, is fixed by the test.
import { formatTimestamp } from '@runview/prefect';
import { createServer, type RunviewServer } from '@runview/server';
import { CreateFlowRunDocument, SetFlowRunStatesDocument, WriteRunLogsDocument } from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, FlowRunLog, iterFlowRunLogs, Running, Success, watchFlowRun, type LogCursor, type RunviewClient } from '../../src/index.js';
import { BACKENDS } from './backends.js';
import { DEMO } from './server.js';

/** How many runners write, and how much. */
export interface LateWritersShape {
  /** Runners uploading a batch each round, all at once. */
  readonly writers: number;
  readonly rounds: number;
  readonly linesPerBatch: number;
  /** The backends to run on (default: all of them). */
  readonly backends?: readonly string[];
}

/** The runners' clock advances this much per round. */
const ROUND_MS = 2000;
/** How long before its batch goes out a line may have been logged. */
const MAX_LATE_MS = 3000;
/** The runners' clock at round 0. */
const T0 = Date.UTC(2031, 0, 1);
const PAGE = 500;
/** A reader step hands out this many lines at most, then stores its cursor (mid-page). */
const STEP_LINES = 2 * PAGE + 137;

/** A small seeded generator: the same lateness on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The suite, on each backend, at the given size. */
export function describeLateWriters({ writers, rounds, linesPerBatch, backends }: LateWritersShape): void {
  const total = writers * rounds * linesPerBatch;
  // The watchers' own deadline: the run lasts as long as the rounds take.
  const watchTimeoutMs = Math.max(300_000, rounds * 8_000);
  for (const backend of BACKENDS.filter(({ name }) => backends === undefined || backends.includes(name))) {
    describe.skipIf(backend.skip)(`late log batches on ${backend.name}: ${writers} runners, ${total.toLocaleString('en-US')} lines`, () => {
      let server: RunviewServer;
      let url: string;
      let drop: () => Promise<void>;

      beforeAll(async () => {
        const opened = await backend.open();
        drop = opened.drop;
        server = await createServer({ database: opened.database, seed: 'demo', logger: false });
        ({ url } = await server.listen(0, '127.0.0.1'));
      }, 180_000);

      afterAll(async () => {
        await server.close();
        await drop();
      });

      it(
        'reaches a resuming reader, a polling watcher and a live watcher exactly once each',
        async () => {
          const client: RunviewClient = createClient({ url, retry: true, timeoutMs: 120_000 });
          const created = await client.mutate(CreateFlowRunDocument, { input: { flow_id: DEMO.flowId } });
          const flowRunId = created.create_flow_run?.id ?? '';
          const setState = (state: Running | Success): Promise<unknown> =>
            client.mutate(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: flowRunId, state: state.serialize() }] } });
          await setState(new Running({ message: 'Running flow.' }));

          const watchOptions = { client, streamStates: false, streamTaskRuns: false, drainMs: 0, timeoutMs: watchTimeoutMs } as const;
          const polled = watchFlowRun(flowRunId, { ...watchOptions, live: false });
          const live = watchFlowRun(flowRunId, { ...watchOptions, live: { webSocketImpl: WebSocket } });
          const follow = async (watch: typeof polled): Promise<string[]> => {
            const ids: string[] = [];
            for await (const event of watch) if (event.type === 'log') ids.push(event.log.id);
            return ids;
          };
          const following = Promise.all([follow(polled), follow(live)]);

          const writeBatch = async (writer: number, round: number): Promise<void> => {
            const next = random(writer * 1000 + round);
            const now = (T0 + round * ROUND_MS) * 1000;
            const logs = Array.from({ length: linesPerBatch }, (_, index) => ({
              flow_run_id: flowRunId,
              // Logged up to 3 s before the upload, in no particular order.
              timestamp: formatTimestamp(BigInt(now - Math.floor(next() * MAX_LATE_MS * 1000))),
              name: `runner-${writer}`,
              level: 'INFO' as const,
              message: `runner ${writer} round ${round} line ${index}`,
            }));
            await client.mutate(WriteRunLogsDocument, { input: { logs } });
          };

          const read: string[] = [];
          let cursor: LogCursor | null = null;
          let newest: FlowRunLog | null = null;
          /** Lines handed out behind a line handed out before them: a cursor-only reader loses these. */
          let landedBehind = 0;
          let resumes = 0;
          const readerStep = async (limit: number): Promise<void> => {
            const iterator = iterFlowRunLogs(client, flowRunId, { after: cursor, pageSize: PAGE });
            let taken = 0;
            for await (const log of iterator) {
              read.push(log.id);
              if (newest !== null && FlowRunLog.compare(log, newest) < 0) landedBehind += 1;
              else newest = log;
              taken += 1;
              if (taken >= limit) break;
            }
            // As another process would get it: through its JSON.
            cursor = JSON.parse(JSON.stringify(iterator.cursor)) as LogCursor | null;
            resumes += 1;
          };

          for (let round = 0; round < rounds; round++) {
            await Promise.all([...Array.from({ length: writers }, (_, writer) => writeBatch(writer, round)), readerStep(STEP_LINES)]);
          }
          // Every batch is in: one more pass from the stored cursor reads to the end.
          await readerStep(Number.POSITIVE_INFINITY);
          await setState(new Success({ message: 'All reference tasks succeeded.' }));
          const [viaPolling, viaLive] = await following;

          const rows = await server.db.query<{ id: string }>({ sql: 'select cast(id as text) as id from log where flow_run_id = $1', parameters: [flowRunId] });
          const expected = rows.map((row) => row.id).sort();
          expect(expected).toHaveLength(total);
          for (const [who, ids] of [
            ['reader', read],
            ['polling watcher', viaPolling],
            ['live watcher', viaLive],
          ] as const) {
            expect({ who, count: ids.length, distinct: new Set(ids).size }).toEqual({ who, count: total, distinct: total });
            expect([...ids].sort()).toEqual(expected);
          }
          // The premise: lines really landed behind lines already read, and the reader resumed often.
          expect(landedBehind).toBeGreaterThan(0);
          expect(resumes).toBe(rounds + 1);
          expect(live.transport).toBe('live');
          expect(polled.transport).toBe('poll');
        },
        watchTimeoutMs + 300_000,
      );
    });
  }
}
