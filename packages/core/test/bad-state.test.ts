// A run with one bad stored state stays readable. Prefect's own schemas read only the fields a
// state type has (a Running state's `start_time` is ignored, whatever it holds); a field the
// type does read that cannot be read (a Scheduled state's `start_time: "not a time"`) spoils
// that one state only: it becomes an InvalidState carrying a typed InvalidResponseError, and
// the view, inspect, the logs and a watch of the run all go on. Rows written straight into
// the database of a real server, as an older server (or another writer) could have left them.
import { jsonb } from '@runview/server';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowRunView, inspectFlowRun, InvalidResponseError, InvalidState, watchFlowRun, type RunviewClient } from '../src/index.js';
import { insertFlowRun, insertLogs, insertTaskRuns, sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;
let client: RunviewClient;
let flowRunId: string;
let taskRunId: string;

const NOT_A_TIME = 'not a time';

beforeAll(async () => {
  demo = await sharedServer();
  client = demo.client();
  const success = { type: 'Success', message: 'All reference tasks succeeded.', start_time: NOT_A_TIME };
  flowRunId = await insertFlowRun(demo.server, { serializedState: success, state: 'Success', updated: '2024-01-01T00:00:10+00:00' });
  const history: [string, string, Record<string, unknown>][] = [
    ['2024-01-01T00:00:00+00:00', 'Scheduled', { type: 'Scheduled', message: 'Flow run scheduled.', start_time: NOT_A_TIME }],
    ['2024-01-01T00:00:01+00:00', 'Running', { type: 'Running', message: 'Running flow.', start_time: NOT_A_TIME }],
    ['2024-01-01T00:00:09+00:00', 'Success', success],
  ];
  await demo.server.db.kysely
    .insertInto('flow_run_state')
    .values(
      history.map(([timestamp, state, serialized]) => ({
        id: randomUUID(),
        flow_run_id: flowRunId,
        timestamp,
        state,
        message: typeof serialized['message'] === 'string' ? serialized['message'] : null,
        serialized_state: jsonb(serialized as Parameters<typeof jsonb>[0]),
      })),
    )
    .execute();
  [taskRunId = ''] = await insertTaskRuns(demo.server, flowRunId, 1, {
    firstMapIndex: -1,
    state: 'Retrying',
    serializedState: { type: 'Retrying', message: 'Retrying soon', start_time: 'never', run_count: 2 },
  });
  await insertLogs(demo.server, flowRunId, [
    { timestamp: '2024-01-01T00:00:02+00:00', message: 'Beginning Flow run' },
    { timestamp: '2024-01-01T00:00:08+00:00', message: 'Flow run SUCCESS' },
  ]);
}, 180_000);

describe('a run with a bad stored state', () => {
  it('reads as Prefect reads it: a field the type does not have is ignored', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    expect(view.state.type).toBe('Success');
    expect(view.state.isSuccessful()).toBe(true);
    expect(view.states.map((state) => state.type)).toEqual(['Scheduled', 'Running', 'Success']);
    expect(view.states[1]?.isRunning()).toBe(true);
  });

  it('gives the one unreadable state as an InvalidState with a typed problem, and the rest as usual', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const [scheduled] = view.states;
    expect(scheduled).toBeInstanceOf(InvalidState);
    const invalid = scheduled as InvalidState;
    expect(invalid.problem).toBeInstanceOf(InvalidResponseError);
    expect(invalid.problem.message).toMatch(/FlowRunById.*states\.0\.serialized_state.*start_time/);
    expect(invalid.message).toBe('Flow run scheduled.');
    expect(invalid.timestampRaw).toBe('2024-01-01T00:00:00+00:00');
    expect(invalid.isPending() || invalid.isScheduled() || invalid.isRunning() || invalid.isFinished()).toBe(false);
    expect(String(invalid)).toMatch(/^<InvalidState\(Scheduled\): /);
    expect(invalid.serialize()).toEqual({ type: 'Scheduled', message: 'Flow run scheduled.', start_time: NOT_A_TIME });

    const taskRun = await view.getTaskRun({ taskRunId });
    expect(taskRun.state).toBeInstanceOf(InvalidState);
    expect(taskRun.state.type).toBe('Retrying');
    expect((await view.getLogs()).map((log) => log.message)).toEqual(['Beginning Flow run', 'Flow run SUCCESS']);
  });

  it('lets inspect and a watch read the run to the end', async () => {
    const inspection = await inspectFlowRun(flowRunId, { client });
    expect(inspection.flowRun.state.isSuccessful()).toBe(true);
    expect(inspection.taskRuns.map((taskRun) => taskRun.state.type)).toEqual(['Retrying']);
    expect(inspection.logs).toHaveLength(2);

    const watch = watchFlowRun(flowRunId, { client, live: false, drainMs: 0 });
    const seen: string[] = [];
    for await (const event of watch) {
      if (event.type === 'state') seen.push(event.state instanceof InvalidState ? `invalid ${event.state.type}` : event.state.type);
      if (event.type === 'log') seen.push(event.log.message);
      if (event.type === 'taskRun') seen.push(`task ${event.taskRun.state.type}`);
    }
    expect(seen).toEqual(['invalid Scheduled', 'Running', 'Beginning Flow run', 'Flow run SUCCESS', 'Success']);
    expect((await watch.result).state.isSuccessful()).toBe(true);
  });
});
