// What the task runner asks before every task run (get_or_create_task_run_info, and
// get_task_run_info), the mapped-run summary of the UI, heartbeats, renaming and relabelling,
// and create_flow_run's idempotency key under concurrent calls.
import { randomUUID } from 'node:crypto';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import {
  ConformanceRuntimeFlowRunDocument,
  ConformanceRuntimeFlowRunHeartbeatDocument,
  ConformanceRuntimeGetOrCreateTaskRunInfoDocument,
  ConformanceRuntimeMappedChildrenDocument,
  ConformanceRuntimeSetFlowRunLabelsDocument,
  ConformanceRuntimeSetFlowRunNameDocument,
  ConformanceRuntimeSetTaskRunNameDocument,
  ConformanceRuntimeTaskRunHeartbeatDocument,
  ConformanceRuntimeTaskRunInfoDocument,
} from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import type { RunviewServer } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { newTenant, TestClock, type TestTenant } from './support/runtime-tenant.js';
import { useTestServer } from './support/server.js';

const PENDING = {
  type: 'Pending',
  message: 'Task run created',
  context: {},
  cached_inputs: {},
  _result: { type: 'NoResultType', __version__: '0.15.4' },
  __version__: '0.15.4',
};

function errorsOf(answer: { errors?: readonly { message: string; extensions?: { code?: string } }[] }): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

async function taskRunInfo(tenant: TestTenant, flowRunId: string, taskId: string, mapIndex?: number) {
  const input = { flow_run_id: flowRunId, task_id: taskId, ...(mapIndex === undefined ? {} : { map_index: mapIndex }) };
  return (await tenant.query(ConformanceRuntimeGetOrCreateTaskRunInfoDocument, { input })).get_or_create_task_run_info;
}

async function countTaskRuns(tenant: TestTenant, server: RunviewServer): Promise<number> {
  const row = await server.db.kysely
    .selectFrom('task_run')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenant.tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`task run info, mapped children, heartbeats, names (${backend.name})`, () => {
    const clock = new TestClock('2030-06-01T12:00:00.000Z');
    const t = useTestServer(backend, () => Promise.resolve(undefined), { now: clock.now });

    it('get_or_create_task_run_info answers an existing task run as it is, and creates mapped children at version 0', async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      const parent = await taskRunInfo(tenant, id, tenant.taskIds.transform);
      expect(parent).toMatchObject({ version: 1, state: 'Pending', serialized_state: PENDING });
      expect(await taskRunInfo(tenant, id, tenant.taskIds.transform, -1)).toEqual(parent);
      const child = await taskRunInfo(tenant, id, tenant.taskIds.transform, 0);
      expect(child).toMatchObject({ version: 0, state: 'Pending', serialized_state: PENDING });
      expect(Object.keys(child ?? {}).sort()).toEqual(['id', 'serialized_state', 'state', 'version']);
      // Ten runners asking for the same child at once get one task run.
      const racing = await Promise.all(Array.from({ length: 10 }, () => taskRunInfo(tenant, id, tenant.taskIds.transform, 1)));
      expect(new Set(racing.map((info) => info?.id)).size).toBe(1);
      const run = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk;
      expect(run?.task_runs.map((taskRun) => [taskRun.task.slug, taskRun.map_index, taskRun.version])).toEqual([
        ['extract-1', -1, 1],
        ['transform-1', -1, 1],
        ['transform-1', 0, 0],
        ['transform-1', 1, 0],
      ]);
      const info = (await tenant.query(ConformanceRuntimeTaskRunInfoDocument, { taskRunId: child?.id ?? '' })).get_task_run_info;
      expect(info).toEqual(child);
    });

    it('reports an unknown or foreign flow run, task or task run and creates nothing', async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const id = await tenant.createRun();
      const foreignRun = await stranger.createRun();
      const before = await countTaskRuns(tenant, t.server);
      const cases: [Record<string, unknown>, string][] = [
        [{ flow_run_id: randomUUID(), task_id: tenant.taskIds.extract, map_index: 0 }, 'NOT_FOUND: Invalid flow run ID'],
        [{ flow_run_id: foreignRun, task_id: stranger.taskIds.extract, map_index: 0 }, 'NOT_FOUND: Invalid flow run ID'],
        [{ flow_run_id: id, task_id: randomUUID(), map_index: 0 }, 'NOT_FOUND: Invalid task ID'],
        [{ flow_run_id: id, task_id: stranger.taskIds.extract, map_index: 0 }, 'NOT_FOUND: Invalid task ID'],
      ];
      for (const [input, error] of cases) {
        const answer = await tenant.send(ConformanceRuntimeGetOrCreateTaskRunInfoDocument, { input: input as never });
        expect(errorsOf(answer)).toEqual([error]);
      }
      expect(await countTaskRuns(tenant, t.server)).toBe(before);
      const foreignTaskRun = (await stranger.query(ConformanceRuntimeFlowRunDocument, { id: foreignRun })).flow_run_by_pk?.task_runs[0]?.id ?? '';
      for (const taskRunId of [randomUUID(), foreignTaskRun]) {
        expect(errorsOf(await tenant.send(ConformanceRuntimeTaskRunInfoDocument, { taskRunId }))).toEqual(['NOT_FOUND: Invalid task run ID']);
      }
    });

    it("summarises a mapped parent's children: earliest start, latest end, count per state", async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const id = await tenant.createRun();
      await tenant.setFlowRunState(id, { type: 'Running' });
      const parent = await taskRunInfo(tenant, id, tenant.taskIds.transform);
      const children = [];
      for (const mapIndex of [0, 1, 2, 3]) children.push(await taskRunInfo(tenant, id, tenant.taskIds.transform, mapIndex));
      const [first, second, third] = children;
      await tenant.setTaskRunState(first?.id ?? '', { type: 'Running' });
      clock.advance(1);
      await tenant.setTaskRunState(second?.id ?? '', { type: 'Running' });
      await tenant.setTaskRunState(first?.id ?? '', { type: 'Success' });
      clock.advance(1);
      await tenant.setTaskRunState(second?.id ?? '', { type: 'Failed' });
      await tenant.setTaskRunState(third?.id ?? '', { type: 'Running' });
      const summary = (await tenant.query(ConformanceRuntimeMappedChildrenDocument, { taskRunId: parent?.id ?? '' })).mapped_children;
      // Microseconds kept: the Running state came one microsecond after the child's Pending one.
      expect(summary).toEqual({
        min_start_time: '2030-06-01T12:00:00.000001+00:00',
        max_end_time: '2030-06-01T12:00:02+00:00',
        state_counts: { Failed: 1, Pending: 1, Running: 1, Success: 1 },
      });
      const empty = { min_start_time: null, max_end_time: null, state_counts: {} };
      // A child, an unknown id, and the same parent asked by another tenant: nothing.
      for (const [asker, taskRunId] of [
        [tenant, first?.id ?? ''],
        [tenant, randomUUID()],
        [stranger, parent?.id ?? ''],
      ] as const) {
        expect((await asker.query(ConformanceRuntimeMappedChildrenDocument, { taskRunId })).mapped_children).toEqual(empty);
      }
    });

    it('updates heartbeats, and reports an unknown or foreign run without writing', async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const id = await tenant.createRun();
      const foreign = await stranger.createRun();
      const [taskRun] = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk?.task_runs ?? [];
      expect((await tenant.query(ConformanceRuntimeFlowRunHeartbeatDocument, { input: { flow_run_id: id } })).update_flow_run_heartbeat).toEqual({
        success: true,
        error: null,
      });
      expect((await tenant.query(ConformanceRuntimeTaskRunHeartbeatDocument, { input: { task_run_id: taskRun?.id ?? '' } })).update_task_run_heartbeat).toEqual(
        { success: true, error: null },
      );
      const run = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk;
      expect(run?.heartbeat).toBe(clock.now().toISOString().replace('.000Z', '+00:00'));
      expect(run?.task_runs.find((row) => row.id === taskRun?.id)?.heartbeat).toBe(run?.heartbeat);
      for (const flowRunId of [randomUUID(), foreign]) {
        expect(errorsOf(await tenant.send(ConformanceRuntimeFlowRunHeartbeatDocument, { input: { flow_run_id: flowRunId } }))).toEqual([
          'NOT_FOUND: Invalid flow run ID',
        ]);
      }
      expect(errorsOf(await tenant.send(ConformanceRuntimeTaskRunHeartbeatDocument, { input: { task_run_id: randomUUID() } }))).toEqual([
        'NOT_FOUND: Invalid task run ID',
      ]);
      expect((await stranger.query(ConformanceRuntimeFlowRunDocument, { id: foreign })).flow_run_by_pk?.heartbeat).toBeNull();
    });

    it('renames runs and sorts labels; an empty name or NUL is refused, an unknown run is success: false', async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const id = await tenant.createRun();
      const foreign = await stranger.createRun({ flow_run_name: 'theirs' });
      const [taskRun] = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk?.task_runs ?? [];
      expect((await tenant.query(ConformanceRuntimeSetFlowRunNameDocument, { input: { flow_run_id: id, name: 'renamed' } })).set_flow_run_name).toEqual({
        success: true,
        error: null,
      });
      expect(
        (await tenant.query(ConformanceRuntimeSetTaskRunNameDocument, { input: { task_run_id: taskRun?.id ?? '', name: 'extract[x]' } })).set_task_run_name,
      ).toEqual({ success: true, error: null });
      expect(
        (await tenant.query(ConformanceRuntimeSetFlowRunLabelsDocument, { input: { flow_run_id: id, labels: ['z', 'a', 'm'] } })).set_flow_run_labels,
      ).toEqual({ success: true, error: null });
      const run = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk;
      expect(run).toMatchObject({ name: 'renamed', labels: ['a', 'm', 'z'] });
      expect(run?.task_runs.find((row) => row.id === taskRun?.id)?.name).toBe('extract[x]');
      expect(errorsOf(await tenant.send(ConformanceRuntimeSetFlowRunNameDocument, { input: { flow_run_id: id, name: '' } }))).toEqual([
        'BAD_USER_INPUT: Invalid name',
      ]);
      expect(errorsOf(await tenant.send(ConformanceRuntimeSetFlowRunNameDocument, { input: { flow_run_id: id, name: 'a\u0000b' } }))).toEqual([
        'BAD_USER_INPUT: Invalid input for set_flow_run_name: name: contains a NUL character (\\u0000).',
      ]);
      const foreignRename = await tenant.query(ConformanceRuntimeSetFlowRunNameDocument, { input: { flow_run_id: foreign, name: 'stolen' } });
      expect(foreignRename.set_flow_run_name).toEqual({ success: false, error: `Flow run ${foreign} not found.` });
      expect((await stranger.query(ConformanceRuntimeFlowRunDocument, { id: foreign })).flow_run_by_pk?.name).toBe('theirs');
    });

    it('creates one run for 20 concurrent create_flow_run calls with one idempotency key', async () => {
      const tenant = await newTenant(t.server);
      const input = { flow_id: tenant.flowId, idempotency_key: `key-${randomUUID()}` };
      const answers = await Promise.all(Array.from({ length: 20 }, () => tenant.send(CreateFlowRunDocument, { input })));
      expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
      const ids = new Set(answers.map((answer) => answer.data?.create_flow_run?.id));
      expect(ids.size).toBe(1);
      const runs = await t.server.db.kysely.selectFrom('flow_run').select('id').where('idempotency_key', '=', input.idempotency_key).execute();
      expect(runs.map((run) => run.id)).toEqual([...ids]);
      const [id] = [...ids];
      const history = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id: id ?? '' })).flow_run_by_pk;
      expect(history?.states.map((state) => state.state)).toEqual(['Scheduled']);
      expect(history?.task_runs).toHaveLength(2);
      // The same key for another flow is another run.
      const other = await newTenant(t.server);
      const elsewhere = await other.query(CreateFlowRunDocument, { input: { flow_id: other.flowId, idempotency_key: input.idempotency_key } });
      expect(ids.has(elsewhere.create_flow_run?.id)).toBe(false);
    });
  });
}
