// Log reading against a real @runview/server: the (timestamp, id) keyset across pages when
// thousands of lines share one microsecond, resuming from a stored cursor, Prefect's bounds in
// getLogs, server-side level and task filters, head and tail.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowRunLog, FlowRunView, InvalidArgumentError, type RunviewClient } from '../src/index.js';
import { countRequests, DEMO, insertFlowRun, insertLogs, insertTaskRuns, sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;
let client: RunviewClient;
let view: FlowRunView;
let taskRunId: string;

const SAME = '2020-01-01T00:00:05.123456+00:00';
const UPDATED = '2020-01-01T00:00:10+00:00';
const EQUAL = 2500;

beforeAll(async () => {
  demo = await sharedServer();
  client = demo.client();
  const flowRunId = await insertFlowRun(demo.server, { serializedState: { type: 'Running' }, state: 'Running', updated: UPDATED });
  [taskRunId = ''] = await insertTaskRuns(demo.server, flowRunId, 1, { firstMapIndex: -1 });
  await insertLogs(demo.server, flowRunId, [
    { timestamp: '2020-01-01T00:00:01+00:00', message: 'first', level: 'DEBUG' },
    { timestamp: '2020-01-01T00:00:02.5+00:00', message: 'careful', level: 'WARNING', taskRunId },
    { timestamp: '2020-01-01T00:00:03+00:00', message: 'old spelling', level: 'WARN' },
    ...Array.from({ length: EQUAL }, (_, index) => ({ timestamp: SAME, message: `same ${index}` })),
    { timestamp: '2020-01-01T00:00:09.999999+00:00', message: 'broken', level: 'ERROR', taskRunId },
    { timestamp: UPDATED, message: 'at the snapshot' },
    { timestamp: '2020-01-01T00:00:11+00:00', message: 'after the snapshot' },
  ]);
  view = await FlowRunView.fromFlowRunId(flowRunId, { client });
}, 180_000);

const TOTAL = EQUAL + 6;

function sortedCopy(logs: readonly FlowRunLog[]): FlowRunLog[] {
  return [...logs].sort(FlowRunLog.compare);
}

describe('iterLogs', () => {
  it('reads every line once, in (timestamp, id) order, across pages of equal timestamps', async () => {
    const { result: logs, requests } = await countRequests(client, async () => {
      const read: FlowRunLog[] = [];
      for await (const log of view.iterLogs({ pageSize: 1000 })) read.push(log);
      return read;
    });
    expect(logs).toHaveLength(TOTAL);
    expect(new Set(logs.map((log) => log.id)).size).toBe(TOTAL);
    expect(logs.map((log) => log.id)).toEqual(sortedCopy(logs).map((log) => log.id));
    expect(logs.filter((log) => log.timestampRaw === SAME)).toHaveLength(EQUAL);
    expect(requests).toBe(Math.ceil(TOTAL / 1000));
  });

  it('resumes exactly after a stored cursor', async () => {
    const iterator = view.iterLogs({ pageSize: 700 });
    const firstPart: FlowRunLog[] = [];
    for await (const log of iterator) {
      firstPart.push(log);
      if (firstPart.length === 1234) break;
    }
    const stored = JSON.stringify(iterator.cursor);
    // The newest line handed out, and the ones handed out in the window behind it.
    expect(JSON.parse(stored)).toMatchObject({ v: 2, timestamp: SAME, id: firstPart.at(-1)?.id });
    const rest: FlowRunLog[] = [];
    for await (const log of view.iterLogs({ after: JSON.parse(stored) as { timestamp: string; id: string }, pageSize: 700 })) rest.push(log);
    const all = [...firstPart, ...rest];
    expect(all).toHaveLength(TOTAL);
    expect(new Set(all.map((log) => log.id)).size).toBe(TOTAL);
    expect(all.map((log) => log.id)).toEqual(sortedCopy(all).map((log) => log.id));
  });

  it('filters by level (aliases included) and by task run on the server', async () => {
    const collect = async (options: Parameters<FlowRunView['iterLogs']>[0]): Promise<string[]> => {
      const messages: string[] = [];
      for await (const log of view.iterLogs(options)) messages.push(log.message);
      return messages;
    };
    expect(await collect({ levels: ['WARNING'] })).toEqual(['careful', 'old spelling']);
    expect(await collect({ levels: [30, 'ERROR'] })).toEqual(['careful', 'old spelling', 'broken']);
    expect(await collect({ taskRunId })).toEqual(['careful', 'broken']);
    expect(await collect({ taskRunId, levels: ['ERROR'] })).toEqual(['broken']);
  });

  it('rejects bad options before any request', () => {
    const before = client.requestCount;
    expect(() => view.iterLogs({ pageSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => view.iterLogs({ levels: ['LOUD' as 'INFO'] })).toThrow(/Unknown log level "LOUD"/);
    expect(() => view.iterLogs({ after: { timestamp: 'yesterday', id: randomUUID() } })).toThrow(InvalidArgumentError);
    expect(() => view.iterLogs({ startTime: 'soon' })).toThrow(/startTime/);
    expect(() => view.iterLogs({ taskRunId: 'x' })).toThrow(/taskRunId/);
    expect(client.requestCount).toBe(before);
  });
});

describe('getLogs', () => {
  it("ends at the view's updatedAt, inclusive", async () => {
    const logs = await view.getLogs();
    expect(logs).toHaveLength(TOTAL - 1);
    expect(logs.at(-1)?.message).toBe('at the snapshot');
    expect(logs.map((log) => log.level).slice(0, 3)).toEqual([10, 30, 30]);
  });

  it('starts after startTime, exclusive, and ends at endTime, inclusive, to the microsecond', async () => {
    const after = await view.getLogs({ startTime: SAME });
    expect(after.map((log) => log.message)).toEqual(['broken', 'at the snapshot']);
    const upTo = await view.getLogs({ endTime: SAME });
    expect(upTo).toHaveLength(3 + EQUAL);
    const between = await view.getLogs({ startTime: '2020-01-01T00:00:05.123455+00:00', endTime: '2020-01-01T00:00:05.123457+00:00' });
    expect(between).toHaveLength(EQUAL);
    const dates = await view.getLogs({ startTime: new Date('2020-01-01T00:00:02Z'), endTime: new Date('2020-01-01T00:00:03Z') });
    expect(dates.map((log) => log.message)).toEqual(['careful', 'old spelling']);
  });
});

describe('head and tail', () => {
  it('gives the first and the newest lines in order', async () => {
    expect((await view.headLogs(2)).map((log) => log.message)).toEqual(['first', 'careful']);
    const tail = await countRequests(client, () => view.tailLogs(3));
    expect(tail.requests).toBe(1);
    expect(tail.result.map((log) => log.message)).toEqual(['broken', 'at the snapshot', 'after the snapshot']);
    expect((await view.tailLogs(2, { levels: ['WARNING'] })).map((log) => log.message)).toEqual(['careful', 'old spelling']);
    expect(await view.headLogs(0)).toEqual([]);
  });

  it("reads the 5,000 lines of the demo's chatty run", async () => {
    const chatty = await FlowRunView.fromFlowRunId(DEMO.chatty, { client });
    let count = 0;
    let previous: FlowRunLog | null = null;
    for await (const log of chatty.iterLogs()) {
      if (previous) expect(FlowRunLog.compare(previous, log)).toBe(-1);
      previous = log;
      count += 1;
    }
    expect(count).toBe(5000);
  });
});

describe('FlowRunLog', () => {
  it('round-trips through JSON and orders totally', async () => {
    const [a, b] = await view.headLogs(2);
    if (!a || !b) throw new Error('expected two lines');
    const restored = FlowRunLog.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(restored.toJSON()).toEqual(a.toJSON());
    expect(String(restored)).toBe(String(a));
    expect(FlowRunLog.compare(a, restored)).toBe(0);
    expect(FlowRunLog.compare(a, b)).toBe(-1);
    expect(FlowRunLog.compare(b, a)).toBe(1);
    expect(() => FlowRunLog.fromJSON({ id: 'x' })).toThrow(InvalidArgumentError);
  });

  it("keeps Python's level numbers and names", () => {
    const log = (level: string | null): FlowRunLog =>
      new FlowRunLog({ id: randomUUID(), flowRunId: null, taskRunId: null, timestamp: '2021-05-12T17:59:56+00:00', level, name: null, message: null });
    expect([log('DEBUG'), log('INFO'), log('WARNING'), log('WARN'), log('ERROR'), log('CRITICAL'), log(null)].map((line) => line.level)).toEqual([
      10, 20, 30, 30, 40, 50, 20,
    ]);
    expect(log('NOTICE')).toMatchObject({ level: 0, levelName: 'NOTICE', message: '' });
  });
});
