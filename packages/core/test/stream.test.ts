// Gap-free log streaming: thousands of lines on ONE microsecond timestamp, read across many
// pages with the (timestamp, id) keyset, come back exactly once and in order, and a reader
// that stops half-way resumes from its serialized cursor without losing or repeating a line.
import { generateSynthetic } from '@runview/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowRunView, type FlowRunLog, type LogCursor } from '../src/index.js';
import { sharedServer, type TestServer } from './support/server.js';

const LINES = 6000;
const PAGE = 700;

let server: TestServer;
let flowRunId: string;
/** The run's log ids in the API's order, (timestamp, id), straight from the database. */
let expectedIds: string[];

beforeAll(async () => {
  server = await sharedServer();
  const data = await generateSynthetic(server.server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: LINES, sameTimestampLogs: LINES });
  const [id] = data.flowRunIds;
  if (id === undefined) throw new TypeError('the synthetic data set has no flow run');
  flowRunId = id;
  const rows = await server.server.db.query<{ id: string; timestamp: string }>({
    sql: 'select cast(id as text) as id, cast(timestamp as text) as timestamp from log where flow_run_id = $1 order by timestamp, id',
    parameters: [flowRunId],
  });
  // The premise: every line on one timestamp.
  expect(new Set(rows.map((row) => row.timestamp)).size).toBe(1);
  expectedIds = rows.map((row) => row.id);
});

async function readAll(iterable: AsyncIterable<FlowRunLog>): Promise<FlowRunLog[]> {
  const logs: FlowRunLog[] = [];
  for await (const log of iterable) logs.push(log);
  return logs;
}

describe('iterLogs with every line on one microsecond', () => {
  it('reads every line exactly once, in (timestamp, id) order, across pages', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client: server.client() });
    const iterator = view.iterLogs({ pageSize: PAGE });
    const logs = await readAll(iterator);
    expect(logs.length).toBe(LINES);
    expect(expectedIds.length).toBe(LINES);
    expect(logs.map((log) => log.id)).toEqual(expectedIds);
    expect(new Set(logs.map((log) => log.timestampRaw)).size).toBe(1);
    // Pages of 700 over 6,000 lines: 9 requests, the last one short; one page held at a time.
    expect(iterator.pagesFetched).toBe(Math.ceil(LINES / PAGE));
  });

  it('resumes from a serialized cursor taken mid-page: no line lost, none repeated', async () => {
    const client = server.client();
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const first = view.iterLogs({ pageSize: PAGE });
    const head: FlowRunLog[] = [];
    for await (const log of first) {
      head.push(log);
      // Stop inside the fourth page, far from a page boundary.
      if (head.length === 2 * PAGE + 2 * PAGE + 123) break;
    }
    const saved = JSON.stringify(first.cursor);
    const cursor = JSON.parse(saved) as LogCursor;
    expect(cursor).toMatchObject({ v: 2, timestamp: head.at(-1)?.timestampRaw, id: head.at(-1)?.id });
    // Every line is inside the window (one timestamp): the cursor knows each one handed out.
    expect(cursor.seen).toHaveLength(head.length);
    // A new process: a new client and a new view, only the JSON carried over.
    const later = await FlowRunView.fromFlowRunId(flowRunId, { client: server.client() });
    const tail = await readAll(later.iterLogs({ pageSize: PAGE, after: cursor }));
    const ids = [...head, ...tail].map((log) => log.id);
    expect(ids.length).toBe(LINES);
    expect(new Set(ids).size).toBe(LINES);
    expect(ids).toEqual(expectedIds);
  });

  it('gives headLogs and tailLogs the first and last lines of the shared timestamp in order', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client: server.client() });
    expect((await view.headLogs(5)).map((log) => log.id)).toEqual(expectedIds.slice(0, 5));
    expect((await view.tailLogs(5)).map((log) => log.id)).toEqual(expectedIds.slice(-5));
  });

  it('streams the same lines, in the same order, through watch', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client: server.client() });
    const ids: string[] = [];
    for await (const event of view.watch({ live: false, streamStates: false, streamTaskRuns: false, pageSize: PAGE, pollIntervalMs: 20 })) {
      if (event.type === 'log') ids.push(event.log.id);
    }
    expect(ids).toEqual(expectedIds);
  });
});
