import { randomUUID } from 'node:crypto';
import { FlowRunByIdDocument, FlowRunLogsFirstPageDocument, FlowRunStatesDocument, TaskRunsPageDocument, type JsonObject } from '@runview/documents';
import {
  CancelFlowRunDocument,
  CreateFlowRunDocument,
  DeleteFlowRunDocument,
  GetOrCreateTaskRunDocument,
  SetFlowRunStatesDocument,
  SetTaskRunStatesDocument,
  TaskRunStatesDocument,
  WriteRunLogsDocument,
} from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, jsonb, type ChangeEvent, type Database } from '../src/index.js';
import { DEMO } from '../src/seed/index.js';
import type { GraphQLClient } from '../src/simulate/client.js';
import { STATE_TYPES } from '../src/states/index.js';
import { BACKENDS, countRows, startTestServer, type TestServer } from './mutations-harness.js';

const OTHER_TENANT = '5b1f8c1e-7d55-4c55-9a51-3c1f0f1d2e01';
const PINNED_NOW = new Date('2024-02-29T12:00:00.123Z');

/** Registers a flow directly (registration is not part of the API under test). */
async function insertFlow(
  db: Database,
  options: {
    tenantId?: string;
    archived?: boolean;
    parameters?: unknown[];
    versionGroupId?: string;
    version?: number;
    defaults?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const project = await db.kysely
    .insertInto('project')
    .values({ tenant_id: tenantId, name: `tests-${randomUUID()}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const group = await db.kysely
    .insertInto('flow_group')
    .values({ tenant_id: tenantId, name: 'test-flow', default_parameters: jsonb((options.defaults ?? {}) as never) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const flow = await db.kysely
    .insertInto('flow')
    .values({
      tenant_id: tenantId,
      name: 'test-flow',
      project_id: project.id,
      flow_group_id: group.id,
      archived: options.archived ?? false,
      version: options.version ?? 1,
      version_group_id: options.versionGroupId ?? null,
      parameters: jsonb((options.parameters ?? []) as never),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.kysely.insertInto('task').values({ tenant_id: tenantId, flow_id: flow.id, name: 'only', slug: 'only-1' }).execute();
  return flow.id;
}

function errorsOf(answer: { errors?: readonly { message: string; extensions?: { code?: string } }[] }): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

describe.each(BACKENDS)('write mutations on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  const events: ChangeEvent[] = [];

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { seed: 'demo', apiKeys: ['writer', `other:${OTHER_TENANT}`, 'reader:read'], now: () => PINNED_NOW });
    api = test.client('writer');
    test.server.events.subscribe((event) => events.push(event));
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  async function createRun(input: Record<string, unknown> = {}): Promise<string> {
    const data = await api.request(CreateFlowRunDocument, { input: { flow_id: DEMO.etl.flowId, ...input } });
    const id = data.create_flow_run?.id;
    if (!id) throw new TypeError('create_flow_run returned no id');
    return id;
  }

  async function setFlowRunState(flowRunId: string, state: JsonObject): Promise<void> {
    await api.request(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: flowRunId, state }] } });
  }

  async function taskRunsOf(flowRunId: string) {
    const data = await api.request(TaskRunsPageDocument, { flowRunId, limit: 100 });
    return data.task_run;
  }

  describe.skipIf(backend.skip)('create_flow_run', () => {
    it('schedules a run with a generated name, its history and a Pending task run per task', async () => {
      events.length = 0;
      const id = await createRun();
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      expect(run?.name).toMatch(/^[a-z]+-[a-z]+$/);
      expect(run).toMatchObject({ state: 'Scheduled', state_message: 'Flow run scheduled.', version: 1, labels: ['etl'], start_time: null, end_time: null });
      expect(run?.serialized_state).toMatchObject({ type: 'Scheduled', message: 'Flow run scheduled.', start_time: '2024-02-29T12:00:00.123000+00:00' });
      expect(run?.scheduled_start_time).toBe('2024-02-29T12:00:00.123+00:00');
      expect(run?.states.map((state) => state.serialized_state)).toEqual([run?.serialized_state]);
      const taskRuns = await taskRunsOf(id);
      expect(taskRuns.map((taskRun) => taskRun.task.slug).sort()).toEqual(['extract-1', 'load-1', 'transform-1']);
      for (const taskRun of taskRuns) {
        expect(taskRun).toMatchObject({ state: 'Pending', state_message: 'Task run created', version: 1, map_index: -1 });
        const history = await api.request(TaskRunStatesDocument, { taskRunId: taskRun.id });
        expect(history.task_run_state.map((state) => [state.state, state.message, state.version])).toEqual([['Pending', 'Task run created', 1]]);
      }
      expect(events).toContainEqual(expect.objectContaining({ table: 'flow_run', operation: 'insert', flowRunId: id, tenantId: DEFAULT_TENANT_ID }));
      expect(events).toContainEqual(expect.objectContaining({ table: 'task_run', operation: 'insert', flowRunId: id }));
    });

    it('takes a name, a start time and parameters merged over the flow group defaults', async () => {
      const flowId = await insertFlow(test.server.db, { defaults: { region: 'eu', size: 1 } });
      const id = await createRun({
        flow_id: flowId,
        flow_run_name: 'named-run',
        scheduled_start_time: '2030-01-02T03:04:05.678901Z',
        parameters: { size: 2 },
        labels: ['a'],
      });
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      expect(run).toMatchObject({
        name: 'named-run',
        scheduled_start_time: '2030-01-02T03:04:05.678901+00:00',
        parameters: { region: 'eu', size: 2 },
        labels: ['a'],
      });
      expect(run?.serialized_state).toMatchObject({ start_time: '2030-01-02T03:04:05.678901+00:00' });
    });

    it('picks the newest unarchived flow of a version group', async () => {
      const group = `group-${randomUUID()}`;
      await insertFlow(test.server.db, { versionGroupId: group, version: 1 });
      const newest = await insertFlow(test.server.db, { versionGroupId: group, version: 2 });
      await insertFlow(test.server.db, { versionGroupId: group, version: 3, archived: true });
      const id = await createRun({ flow_id: undefined, version_group_id: group });
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      expect(run?.flow_id).toBe(newest);
    });

    it('refuses archived flows, missing required parameters and a missing flow, writing nothing', async () => {
      const archived = await insertFlow(test.server.db, { archived: true });
      const needsInput = await insertFlow(test.server.db, {
        parameters: [
          { name: 'source', required: true },
          { name: 'target', required: true },
          { name: 'optional', required: false },
        ],
      });
      const before = await countRows(test.server, 'flow_run');
      const cases: [Record<string, unknown>, string][] = [
        [{ flow_id: archived }, `BAD_USER_INPUT: Flow ${archived} is archived.`],
        [{ flow_id: needsInput, parameters: { target: 1 } }, 'BAD_USER_INPUT: Required parameters were not supplied: source'],
        [{ flow_id: needsInput }, 'BAD_USER_INPUT: Required parameters were not supplied: source, target'],
        [{}, 'BAD_USER_INPUT: One of flow_id or version_group_id must be provided.'],
      ];
      for (const [input, error] of cases) {
        expect(errorsOf(await api.send(CreateFlowRunDocument, { input }))).toEqual([error]);
      }
      const missing = randomUUID();
      expect(errorsOf(await api.send(CreateFlowRunDocument, { input: { flow_id: missing } }))).toEqual([`NOT_FOUND: Flow ${missing} not found.`]);
      expect(await countRows(test.server, 'flow_run')).toBe(before);
    });

    it('returns the existing run for a repeated idempotency key', async () => {
      const first = await createRun({ idempotency_key: 'nightly-2024-02-29' });
      const before = await countRows(test.server, 'flow_run');
      expect(await createRun({ idempotency_key: 'nightly-2024-02-29' })).toBe(first);
      expect(await countRows(test.server, 'flow_run')).toBe(before);
    });
  });

  describe.skipIf(backend.skip)('set_flow_run_states', () => {
    it('keeps the state columns, start and end time, version and history in step', async () => {
      const id = await createRun();
      const sent: JsonObject[] = [
        { type: 'Submitted', message: 'Submitted for execution', state: null, __version__: '0.15.4' },
        { type: 'Running', message: 'Running flow.', context: { agent: 'local' }, __version__: '0.15.4' },
        {
          type: 'Success',
          message: 'All reference tasks succeeded.',
          _result: { type: 'PrefectResult', location: '42', __version__: '0.15.4' },
          __version__: '0.15.4',
        },
      ];
      const answers = [];
      for (const state of sent) {
        answers.push(await api.request(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: id, version: 99, state }] } }));
      }
      expect(answers.map((answer) => answer.set_flow_run_states?.states)).toEqual(sent.map(() => [{ id, status: 'SUCCESS', message: null }]));
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      const history = (await api.request(FlowRunStatesDocument, { flowRunId: id })).flow_run_state;
      expect(history.map((state) => [state.state, state.version])).toEqual([
        ['Scheduled', 1],
        ['Submitted', 2],
        ['Running', 3],
        ['Success', 4],
      ]);
      expect(history.slice(1).map((state) => state.serialized_state)).toEqual(sent);
      expect(new Set(history.map((state) => state.timestamp)).size).toBe(4);
      const last = history.at(-1);
      expect(run).toMatchObject({
        state: 'Success',
        state_message: 'All reference tasks succeeded.',
        serialized_state: sent[2],
        version: 4,
        start_time: history[2]?.timestamp,
        end_time: last?.timestamp,
      });
    });

    it('keeps the order of several states sent for one run in one request', async () => {
      const id = await createRun();
      const types = ['Submitted', 'Running', 'Cancelling', 'Running', 'Failed'];
      await api.request(SetFlowRunStatesDocument, {
        input: { states: types.map((type) => ({ flow_run_id: id, state: { type, message: `${type} now` } })) },
      });
      const history = (await api.request(FlowRunStatesDocument, { flowRunId: id })).flow_run_state;
      expect(history.map((state) => state.state)).toEqual(['Scheduled', ...types]);
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      // start_time is the first running state, not the later one.
      expect(run?.start_time).toBe(history[2]?.timestamp);
      expect(run).toMatchObject({ state: 'Failed', version: 6, end_time: history.at(-1)?.timestamp });
    });

    it('rejects an unknown state type, malformed JSON or bad fields and writes nothing of the request', async () => {
      const id = await createRun();
      const before = { states: await countRows(test.server, 'flow_run_state'), run: (await api.request(FlowRunByIdDocument, { id })).flow_run[0] };
      const bad: [unknown, RegExp][] = [
        [{ type: 'Exploded', message: 'boom' }, /Unknown state type "Exploded": expected one of Pending, Scheduled, .*ValidationFailed\./],
        ['{"type": "Success", "message": ', /The state is not valid JSON/],
        [{ message: 'no type' }, /has no "type"/],
        [{ type: 'Scheduled', start_time: 'next tuesday' }, /Invalid Scheduled state: start_time: expected an ISO 8601 timestamp, got "next tuesday"/],
        [{ type: 'Mapped', n_map_states: -1 }, /Invalid Mapped state: n_map_states/],
        [{ type: 'Submitted', state: { type: 'Nope' } }, /Unknown state type "Nope"/],
        [['Success'], /must be a serialized Prefect state object, got an array/],
      ];
      for (const [state, message] of bad) {
        // A valid state first: it must not be written either.
        const answer = await api.send(SetFlowRunStatesDocument, {
          input: {
            states: [
              { flow_run_id: id, state: { type: 'Running' } },
              { flow_run_id: id, state: state as never },
            ],
          },
        });
        expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(answer.errors?.[0]?.message).toMatch(message);
        expect(answer.errors?.[0]?.message).toContain(`flow run ID ${id}`);
      }
      expect(await countRows(test.server, 'flow_run_state')).toBe(before.states);
      expect((await api.request(FlowRunByIdDocument, { id })).flow_run[0]).toEqual(before.run);
    });

    it('accepts every public state type', async () => {
      const id = await createRun();
      await api.request(SetFlowRunStatesDocument, {
        input: { states: STATE_TYPES.map((type) => ({ flow_run_id: id, state: { type, message: type } })) },
      });
      const history = (await api.request(FlowRunStatesDocument, { flowRunId: id })).flow_run_state;
      expect(history.map((state) => state.state)).toEqual(['Scheduled', ...STATE_TYPES]);
    });

    it('reports an unknown run as not found and rolls back the states before it', async () => {
      const id = await createRun();
      const missing = randomUUID();
      const before = await countRows(test.server, 'flow_run_state');
      const answer = await api.send(SetFlowRunStatesDocument, {
        input: {
          states: [
            { flow_run_id: id, state: { type: 'Submitted' } },
            { flow_run_id: missing, state: { type: 'Submitted' } },
          ],
        },
      });
      expect(errorsOf(answer)).toEqual([`NOT_FOUND: State update failed for flow run ID ${missing}: flow run not found.`]);
      expect(await countRows(test.server, 'flow_run_state')).toBe(before);
    });
  });

  describe.skipIf(backend.skip)('task runs', () => {
    // A created task run keeps version 0 with its Pending state, as Prefect Server inserts them together.
    it('get_or_create_task_run is idempotent and creates mapped children Pending', async () => {
      const id = await createRun();
      const parent = (await taskRunsOf(id)).find((taskRun) => taskRun.task.slug === 'transform-1');
      const again = await api.request(GetOrCreateTaskRunDocument, { input: { flow_run_id: id, task_id: DEMO.etl.taskIds['transform-1'] } });
      expect(again.get_or_create_task_run?.id).toBe(parent?.id);
      const before = await countRows(test.server, 'task_run_state');
      const child = await api.request(GetOrCreateTaskRunDocument, { input: { flow_run_id: id, task_id: DEMO.etl.taskIds['transform-1'], map_index: 3 } });
      const childAgain = await api.request(GetOrCreateTaskRunDocument, { input: { flow_run_id: id, task_id: DEMO.etl.taskIds['transform-1'], map_index: 3 } });
      expect(childAgain.get_or_create_task_run?.id).toBe(child.get_or_create_task_run?.id);
      expect(await countRows(test.server, 'task_run_state')).toBe(before + 1);
      const children = (await taskRunsOf(id)).filter((taskRun) => taskRun.map_index === 3);
      expect(children).toEqual([
        expect.objectContaining({ id: child.get_or_create_task_run?.id, state: 'Pending', state_message: 'Task run created', version: 0 }),
      ]);
    });

    it('refuses a task of another flow', async () => {
      const id = await createRun();
      const answer = await api.send(GetOrCreateTaskRunDocument, { input: { flow_run_id: id, task_id: DEMO.helloWorld.taskIds['say_hello-1'] } });
      expect(errorsOf(answer)).toEqual([`BAD_USER_INPUT: Task ${DEMO.helloWorld.taskIds['say_hello-1']} does not belong to the flow of flow run ${id}.`]);
    });

    it('set_task_run_states keeps columns and history in step, and a task starts only in a running flow run', async () => {
      const id = await createRun();
      const [taskRun] = await taskRunsOf(id);
      const taskRunId = taskRun?.id ?? '';
      const refused = await api.send(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRunId, state: { type: 'Running' } }] } });
      expect(errorsOf(refused)).toEqual([
        `BAD_USER_INPUT: State update failed for task run ID ${taskRunId}: provided a running state but associated flow run ${id} is not in a running state.`,
      ]);
      await setFlowRunState(id, { type: 'Running', message: 'Running flow.' });
      for (const state of [
        { type: 'Running', message: 'Starting task run.' },
        { type: 'Success', message: 'Task run succeeded.' },
      ]) {
        const answer = await api.request(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRunId, state, flow_run_version: 3 }] } });
        expect(answer.set_task_run_states?.states).toEqual([{ id: taskRunId, status: 'SUCCESS', message: null }]);
      }
      const history = (await api.request(TaskRunStatesDocument, { taskRunId })).task_run_state;
      expect(history.map((state) => [state.state, state.message, state.version])).toEqual([
        ['Pending', 'Task run created', 1],
        ['Running', 'Starting task run.', 2],
        ['Success', 'Task run succeeded.', 3],
      ]);
      const after = (await taskRunsOf(id)).find((row) => row.id === taskRunId);
      expect(after).toMatchObject({
        state: 'Success',
        state_message: 'Task run succeeded.',
        version: 3,
        start_time: history[1]?.timestamp,
        end_time: history[2]?.timestamp,
      });
      const bad = await api.send(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRunId, state: { type: 'Succes' } }] } });
      expect(bad.errors?.[0]?.message).toMatch(/Unknown state type "Succes"/);
      expect((await api.request(TaskRunStatesDocument, { taskRunId })).task_run_state).toHaveLength(3);
    });
  });

  describe.skipIf(backend.skip)('write_run_logs', () => {
    it('stores a large batch with few statements, defaulting level and timestamp', async () => {
      const id = await createRun();
      const [taskRun] = await taskRunsOf(id);
      const logs = Array.from({ length: 6_000 }, (_, index) => ({
        flow_run_id: id,
        message: `line ${index}`,
        ...(index % 3 === 0 ? { level: 'DEBUG' as const } : {}),
        ...(index === 1 ? { timestamp: '2024-02-29T11:59:59.999999+00:00', name: 'prefect.Task', task_run_id: taskRun?.id, info: { lineno: 7 } } : {}),
      }));
      const statements = test.server.db.statementCount();
      const answer = await api.request(WriteRunLogsDocument, { input: { logs } });
      expect(answer.write_run_logs).toEqual({ success: true, error: null });
      // Validation plus one multi-row insert per 5,000 lines, not one statement per line.
      expect(test.server.db.statementCount() - statements).toBeLessThan(10);
      const stored = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId: id, limit: 10_000 })).log;
      expect(stored).toHaveLength(6_000);
      expect(stored[0]).toMatchObject({
        message: 'line 1',
        timestamp: '2024-02-29T11:59:59.999999+00:00',
        level: 'INFO',
        name: 'prefect.Task',
        task_run_id: taskRun?.id,
      });
      // Lines without a timestamp get the server's time, one microsecond apart in the order sent.
      expect(stored[1]).toMatchObject({ message: 'line 0', timestamp: '2024-02-29T12:00:00.123+00:00', level: 'DEBUG', task_run_id: null });
      expect(stored[2]).toMatchObject({ message: 'line 2', timestamp: '2024-02-29T12:00:00.123002+00:00', level: 'INFO' });
      expect(stored.slice(1).map((log) => log.message)).toEqual(logs.filter((_, index) => index !== 1).map((log) => log.message));
    });

    it('writes nothing when one line names a run that does not exist or a task run of another run', async () => {
      const id = await createRun();
      const otherRun = await createRun();
      const [otherTaskRun] = await taskRunsOf(otherRun);
      const missing = randomUUID();
      const before = await countRows(test.server, 'log');
      const unknown = await api.send(WriteRunLogsDocument, {
        input: {
          logs: [
            { flow_run_id: id, message: 'ok' },
            { flow_run_id: missing, message: 'lost' },
          ],
        },
      });
      expect(errorsOf(unknown)).toEqual([`NOT_FOUND: Flow run ${missing} not found.`]);
      const mismatched = await api.send(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: id, task_run_id: otherTaskRun?.id, message: 'x' }] } });
      expect(errorsOf(mismatched)).toEqual([`BAD_USER_INPUT: Task run ${otherTaskRun?.id} does not belong to flow run ${id}.`]);
      const badTime = await api.send(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: id, timestamp: 'yesterday' }] } });
      expect(badTime.errors?.[0]?.message).toMatch(/yesterday/);
      expect(await countRows(test.server, 'log')).toBe(before);
    });
  });

  describe.skipIf(backend.skip)('cancel_flow_run and delete_flow_run', () => {
    it('asks a running run to stop: Cancelling, its task runs left to the flow runner', async () => {
      const id = await createRun();
      await setFlowRunState(id, { type: 'Running' });
      const before = await taskRunsOf(id);
      const answer = await api.request(CancelFlowRunDocument, { input: { flow_run_id: id } });
      expect(answer.cancel_flow_run).toEqual({ state: 'Cancelling' });
      const history = (await api.request(FlowRunStatesDocument, { flowRunId: id })).flow_run_state;
      expect(history.map((state) => [state.state, state.message])).toEqual([
        ['Scheduled', 'Flow run scheduled.'],
        ['Running', null],
        ['Cancelling', 'Flow run is cancelling'],
      ]);
      expect((await api.request(FlowRunByIdDocument, { id })).flow_run[0]?.end_time).toBeNull();
      expect((await taskRunsOf(id)).map((taskRun) => taskRun.state)).toEqual(before.map((taskRun) => taskRun.state));
      // The flow runner then ends it; a second cancel of a cancelling run changes nothing more.
      expect((await api.request(CancelFlowRunDocument, { input: { flow_run_id: id } })).cancel_flow_run).toEqual({ state: 'Cancelling' });
    });

    it('cancels a run that is not running, and its unfinished task runs, in one step, leaving finished ones', async () => {
      const id = await createRun();
      const taskRuns = await taskRunsOf(id);
      const done = taskRuns.find((taskRun) => taskRun.task.slug === 'extract-1');
      const running = taskRuns.find((taskRun) => taskRun.task.slug === 'transform-1');
      await api.request(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: done?.id ?? '', state: { type: 'Success' } }] } });
      const answer = await api.request(CancelFlowRunDocument, { input: { flow_run_id: id } });
      expect(answer.cancel_flow_run).toEqual({ state: 'Cancelled' });
      const after = await taskRunsOf(id);
      expect(Object.fromEntries(after.map((taskRun) => [taskRun.task.slug, taskRun.state]))).toEqual({
        'extract-1': 'Success',
        'transform-1': 'Cancelled',
        'load-1': 'Cancelled',
      });
      const transformHistory = (await api.request(TaskRunStatesDocument, { taskRunId: running?.id ?? '' })).task_run_state;
      expect(transformHistory.map((state) => state.state)).toEqual(['Pending', 'Cancelled']);
      const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
      expect(run).toMatchObject({ state: 'Cancelled', version: 2 });
      expect(run?.end_time).toBe(run?.states.at(-1)?.timestamp);
      // A finished run stays as it is.
      expect((await api.request(CancelFlowRunDocument, { input: { flow_run_id: id } })).cancel_flow_run).toEqual({ state: 'Cancelled' });
      expect((await api.request(FlowRunByIdDocument, { id })).flow_run[0]?.version).toBe(2);
      expect((await api.request(CancelFlowRunDocument, { input: { flow_run_id: DEMO.flowRuns.woodooLeopard } })).cancel_flow_run).toEqual({ state: 'Success' });
    });

    it('deletes a run with its task runs, states and logs', async () => {
      const id = await createRun();
      await api.request(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: id, message: 'bye' }] } });
      expect((await api.request(DeleteFlowRunDocument, { input: { flow_run_id: id } })).delete_flow_run).toEqual({ success: true, error: null });
      expect((await api.request(FlowRunByIdDocument, { id })).flow_run).toEqual([]);
      expect(await taskRunsOf(id)).toEqual([]);
      expect((await api.request(FlowRunLogsFirstPageDocument, { flowRunId: id, limit: 10 })).log).toEqual([]);
      expect((await api.request(DeleteFlowRunDocument, { input: { flow_run_id: id } })).delete_flow_run).toEqual({
        success: false,
        error: `Flow run ${id} not found.`,
      });
    });
  });

  describe.skipIf(backend.skip)('tenants', () => {
    it("never touches another tenant's run, and writes its own rows under its own tenant", async () => {
      const id = await createRun();
      const other = test.client('other');
      const [taskRun] = await taskRunsOf(id);
      const snapshot = async () => ({
        run: (await api.request(FlowRunByIdDocument, { id })).flow_run,
        taskRuns: await taskRunsOf(id),
        logs: await countRows(test.server, 'log'),
        states: await countRows(test.server, 'flow_run_state'),
      });
      const before = await snapshot();
      const attempts = [
        await other.send(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: id, state: { type: 'Failed' } }] } }),
        await other.send(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRun?.id ?? '', state: { type: 'Failed' } }] } }),
        await other.send(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: id, message: 'intruder' }] } }),
        await other.send(CancelFlowRunDocument, { input: { flow_run_id: id } }),
        await other.send(GetOrCreateTaskRunDocument, { input: { flow_run_id: id, task_id: DEMO.etl.taskIds['load-1'], map_index: 9 } }),
        await other.send(CreateFlowRunDocument, { input: { flow_id: DEMO.etl.flowId } }),
      ];
      for (const answer of attempts) expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await other.request(DeleteFlowRunDocument, { input: { flow_run_id: id } })).delete_flow_run?.success).toBe(false);
      expect(await snapshot()).toEqual(before);

      const ownFlow = await insertFlow(test.server.db, { tenantId: OTHER_TENANT });
      const own = (await other.request(CreateFlowRunDocument, { input: { flow_id: ownFlow } })).create_flow_run?.id ?? '';
      await other.request(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: own, message: 'mine' }] } });
      const tenants = await test.server.db.kysely
        .selectFrom('log')
        .select('tenant_id')
        .where('flow_run_id', '=', own)
        .union(test.server.db.kysely.selectFrom('flow_run').select('tenant_id').where('id', '=', own))
        .union(test.server.db.kysely.selectFrom('flow_run_state').select('tenant_id').where('flow_run_id', '=', own))
        .union(test.server.db.kysely.selectFrom('task_run').select('tenant_id').where('flow_run_id', '=', own))
        .execute();
      expect(tenants).toEqual([{ tenant_id: OTHER_TENANT }]);
      // The default tenant does not see the other tenant's run either.
      expect((await api.request(FlowRunByIdDocument, { id: own })).flow_run).toEqual([]);
    });

    it('refuses writes with a read-only key', async () => {
      const answer = await test.client('reader').send(CreateFlowRunDocument, { input: { flow_id: DEMO.etl.flowId } });
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
