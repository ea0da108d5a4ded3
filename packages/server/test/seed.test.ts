import {
  FlowByIdDocument,
  FlowRunByIdDocument,
  FlowRunLogsFirstPageDocument,
  FlowRunsByNameDocument,
  FlowRunsDocument,
  FlowRunStatesDocument,
  MappedTaskRunsDocument,
  TaskRunBySlugDocument,
  TaskRunIdsInCreationOrderDocument,
  TaskRunsPageDocument,
} from '@runview/documents';
import { TaskRunStatesDocument } from '@runview/documents/testing';
import { ConformanceRegisteredFlowDocument } from '@runview/documents/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../src/seed/index.js';
import type { GraphQLClient } from '../src/simulate/client.js';
import { BACKENDS, countRows, startTestServer, type TestServer } from './mutations-harness.js';

const SEED_TENANT = '0b6c8f4e-2d1a-4c3b-9e5f-7a8b9c0d1e2f';

// The example response of the documentation's by-name query, verbatim.
const WOODOO_LEOPARD_RESPONSE = {
  data: {
    flow_run: [
      {
        id: '8e445d74-9ca6-425b-98e5-72754b7ea174',
        state: 'Success',
        start_time: '2021-05-12T17:59:56.383629+00:00',
      },
    ],
  },
};

// The documentation's get_logs() output: timestamp, level 20 (INFO), message.
const REFERENCE_LOGS = [
  ['1978-03-08T22:30:00+00:00', 'INFO', 'Submitted for execution: Task XXXXXXX'],
  ['1978-03-08T22:30:01.123456+00:00', 'INFO', "Beginning Flow run for 'radio_show'"],
  ['1978-03-08T22:30:02.234567+00:00', 'INFO', "Task 'series_one': Starting task run..."],
  ['1978-03-08T22:42:42.424242+00:00', 'INFO', 'It feels like I just had my brains smashed out by a slice of lemon wrapped round a large gold brick.'],
  ['1978-04-12T22:59:59.987654+00:00', 'INFO', "Task 'series_one': Finished task run for task with final state: 'Success'"],
  ['1978-04-12T23:00:00+00:00', 'INFO', 'Flow run SUCCESS: all reference tasks succeeded'],
];

describe.each(BACKENDS)('demo data on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { seed: 'demo' });
    api = test.client();
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  describe.skipIf(backend.skip)('the documentation examples', () => {
    it("answers the by-name query with exactly the documentation's example response", async () => {
      expect(await api.send(FlowRunsByNameDocument, { name: 'woodoo-leopard' })).toEqual(WOODOO_LEOPARD_RESPONSE);
    });

    it('holds the reference run: state, message, flow metadata and task runs', async () => {
      const [run] = (await api.request(FlowRunByIdDocument, { id: DEMO.flowRuns.reference })).flow_run;
      expect(run).toMatchObject({
        id: DEMO.flowRuns.reference,
        flow_id: '8bdcf5b5-7598-49d1-a885-61612ca550de',
        state: 'Success',
        state_message: 'All reference tasks succeeded.',
      });
      expect(run?.serialized_state).toMatchObject({ type: 'Success', message: 'All reference tasks succeeded.' });
      const flow = (await api.request(FlowByIdDocument, { id: '8bdcf5b5-7598-49d1-a885-61612ca550de' })).flow_by_pk;
      expect(flow).toMatchObject({ name: 'hello-world', project: { name: 'default' }, storage: { type: 'Module' } });
      const [taskRun] = (await api.request(TaskRunBySlugDocument, { flowRunId: DEMO.flowRuns.reference, slug: 'say_hello-1' })).task_run;
      expect(taskRun).toMatchObject({
        id: 'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
        task_id: '34b0dd2d-582e-4f0a-923d-63daf1e38fe5',
        state: 'Success',
        state_message: 'Task run succeeded.',
        task: { slug: 'say_hello-1', name: 'say_hello' },
      });
      const ids = (await api.request(TaskRunIdsInCreationOrderDocument, { flowRunId: DEMO.flowRuns.reference, limit: 10 })).task_run;
      expect(ids.map((row) => row.id)).toEqual([
        'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
        'f5f422f6-4f56-45d2-bd55-5ea048070d84',
        '7cc167d3-737d-4187-85d8-d5e5a75fbd93',
      ]);
    });

    it('returns the six logs in order with their exact timestamps, all within the run snapshot', async () => {
      const [run] = (await api.request(FlowRunByIdDocument, { id: DEMO.flowRuns.reference })).flow_run;
      const updated = run?.updated ?? '';
      // Core's get_logs(): ascending, bounded above by the run's `updated`.
      const logs = (
        await api.request(FlowRunLogsFirstPageDocument, { flowRunId: DEMO.flowRuns.reference, filter: { timestamp: { _lte: updated } }, limit: 100 })
      ).log;
      expect(logs.map((log) => [log.timestamp, log.level, log.message])).toEqual(REFERENCE_LOGS);
    });
  });

  describe.skipIf(backend.skip)('every demo run', () => {
    const runIds = Object.values(DEMO.flowRuns);

    it('carries a full state history that agrees with its state columns', async () => {
      for (const id of runIds) {
        const [run] = (await api.request(FlowRunByIdDocument, { id })).flow_run;
        const history = (await api.request(FlowRunStatesDocument, { flowRunId: id })).flow_run_state;
        expect(
          history.slice(0, 3).map((state) => state.state),
          id,
        ).toEqual(['Scheduled', 'Submitted', 'Running']);
        expect(history.map((state) => state.version)).toEqual(history.map((_, index) => index + 1));
        const times = history.map((state) => Date.parse(state.timestamp));
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        expect(new Set(times).size).toBe(times.length);
        const last = history.at(-1);
        expect(run?.serialized_state).toEqual(last?.serialized_state);
        expect(run).toMatchObject({ state: last?.state, state_message: last?.message, version: history.length, start_time: history[2]?.timestamp });
        expect(run?.end_time).toBe(run?.state === 'Running' ? null : last?.timestamp);
        expect(history[0]?.serialized_state).toMatchObject({ type: 'Scheduled', start_time: run?.scheduled_start_time });
      }
    });

    it('has named tasks and task runs whose histories agree with their state columns', async () => {
      for (const flowRunId of runIds) {
        const taskRuns = (await api.request(TaskRunsPageDocument, { flowRunId, limit: 100 })).task_run;
        expect(taskRuns.length).toBeGreaterThan(0);
        for (const taskRun of taskRuns) {
          expect(taskRun.task.name).toMatch(/^[a-z_]+$/);
          const history = (await api.request(TaskRunStatesDocument, { taskRunId: taskRun.id })).task_run_state;
          expect(history[0]).toMatchObject({ state: 'Pending', message: 'Task run created' });
          expect(history.at(-1)?.serialized_state).toEqual(taskRun.serialized_state);
          expect(taskRun.version).toBe(history.length);
        }
      }
    });

    it('lists the runs with their flows, failed, running and successful ones', async () => {
      const runs = (await api.request(FlowRunsDocument, { limit: 50 })).flow_run;
      expect(Object.fromEntries(runs.map((run) => [run.id, [run.state, run.flow.name, run.flow.project.name]]))).toEqual({
        [DEMO.flowRuns.reference]: ['Success', 'hello-world', 'default'],
        [DEMO.flowRuns.woodooLeopard]: ['Success', 'hello-world', 'default'],
        [DEMO.flowRuns.failed]: ['Failed', 'etl', 'default'],
        [DEMO.flowRuns.running]: ['Running', 'etl', 'default'],
        [DEMO.flowRuns.mapped]: ['Failed', 'etl', 'default'],
        [DEMO.flowRuns.chatty]: ['Success', 'etl', 'default'],
      });
    });
  });

  describe.skipIf(backend.skip)('the flows', () => {
    it('registers the etl flow with its edges, as the Prefect UI draws its schematic and dependencies', async () => {
      const flow = (await api.request(ConformanceRegisteredFlowDocument, { id: DEMO.etl.flowId })).flow_by_pk;
      const edges = flow?.edges.map((edge) => [edge.upstream_task.slug, edge.downstream_task.slug, edge.key, edge.mapped]);
      expect(edges).toEqual([
        ['extract-1', 'transform-1', 'x', true],
        ['transform-1', 'load-1', 'xs', false],
      ]);
      const serialized = flow?.serialized_flow as { edges: { upstream_task: { slug: string }; downstream_task: { slug: string } }[] };
      expect(serialized.edges.map((edge) => [edge.upstream_task.slug, edge.downstream_task.slug])).toEqual([
        ['extract-1', 'transform-1'],
        ['transform-1', 'load-1'],
      ]);
    });
  });

  describe.skipIf(backend.skip)('the larger runs', () => {
    it('has a mapped parent of 50 children, index 0 to 49, some failed', async () => {
      const [parent] = (await api.request(TaskRunBySlugDocument, { flowRunId: DEMO.flowRuns.mapped, slug: 'transform-1' })).task_run;
      expect(parent).toMatchObject({ id: DEMO.mappedParentTaskRun, state: 'Mapped', map_index: -1, task: { mapped: true } });
      expect(parent?.serialized_state).toMatchObject({ type: 'Mapped', n_map_states: 50 });
      const children = (await api.request(MappedTaskRunsDocument, { flowRunId: DEMO.flowRuns.mapped, slug: 'transform-1', afterMapIndex: -1, limit: 100 }))
        .task_run;
      expect(children.map((child) => child.map_index)).toEqual(Array.from({ length: 50 }, (_, index) => index));
      const failed = children.filter((child) => child.state === 'Failed').map((child) => child.map_index);
      expect(failed).toEqual([7, 23, 41]);
      expect(children.filter((child) => child.state === 'Success')).toHaveLength(47);
    });

    it('has a failed run with an ERROR log from the task that raised', async () => {
      const logs = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId: DEMO.flowRuns.failed, filter: { level: { _eq: 'ERROR' } }, limit: 10 })).log;
      expect(logs.some((log) => log.task_run_id === DEMO.failedTaskRun && (log.message ?? '').includes('Traceback'))).toBe(true);
    });

    it('has a run with 5,000 log lines in timestamp order', async () => {
      const logs = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId: DEMO.flowRuns.chatty, limit: 6000 })).log;
      expect(logs).toHaveLength(DEMO.chattyLogCount);
      expect(new Set(logs.map((log) => log.level))).toEqual(new Set(['DEBUG', 'INFO', 'WARNING', 'ERROR']));
      const times = logs.map((log) => Date.parse(log.timestamp));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });
  });

  describe.skipIf(backend.skip)('seeding', () => {
    it('is idempotent', async () => {
      const tables = ['flow_run', 'flow_run_state', 'task_run', 'task_run_state', 'log'] as const;
      const before = await Promise.all(tables.map((table) => countRows(test.server, table)));
      await seedDemo(test.server.db);
      expect(await Promise.all(tables.map((table) => countRows(test.server, table)))).toEqual(before);
    });
  });
});

describe.each(BACKENDS)('demo data for another tenant on $name', (backend) => {
  it.skipIf(backend.skip)(
    'belongs to the tenant it was seeded for',
    async () => {
      const test = await startTestServer(backend, { apiKeys: ['default-key', `seeded-key:${SEED_TENANT}`] });
      try {
        await seedDemo(test.server.db, { tenantId: SEED_TENANT });
        expect(await test.client('default-key').send(FlowRunsByNameDocument, { name: 'woodoo-leopard' })).toEqual({ data: { flow_run: [] } });
        expect(await test.client('seeded-key').send(FlowRunsByNameDocument, { name: 'woodoo-leopard' })).toEqual(WOODOO_LEOPARD_RESPONSE);
      } finally {
        await test.close();
      }
    },
    120_000,
  );
});
