// The shape of answers: order_by (every value, lists, through relationships), distinct_on,
// limit/offset, aggregates, T_by_pk, jsonb paths, aliases, fragments and __typename, and values
// on the wire as Prefect Server renders them.
import { Kind, visit, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ConformanceAliasedLogsDocument,
  ConformanceFlowRunByPkDocument,
  ConformanceFlowRunCountsDocument,
  ConformanceFlowRunsDocument,
  ConformanceJsonPathsDocument,
  ConformanceLogsDocument,
  ConformanceTaskRunAggregateDocument,
  ConformanceTaskRunsDocument,
  ConformanceTasksDocument,
  type ConformanceFlowRunsQueryVariables,
  type ConformanceTaskRunsQueryVariables,
} from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { query, send } from './support/http.js';
import { useTestServer } from './support/server.js';

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`selections (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    async function runNames(variables: ConformanceFlowRunsQueryVariables): Promise<(string | null)[]> {
      return (await query(t.server, ConformanceFlowRunsDocument, variables)).flow_run.map((run) => run.name);
    }

    async function amberTaskRuns(variables: ConformanceTaskRunsQueryVariables): Promise<{ map_index: number; state: string | null; task: string | null }[]> {
      const where = { flow_run_id: { _eq: t.data.runs['amber-fox'] }, ...variables.where };
      const result = await query(t.server, ConformanceTaskRunsDocument, { ...variables, where });
      return result.task_run.map((taskRun) => ({ map_index: taskRun.map_index, state: taskRun.state, task: taskRun.task.name }));
    }

    it('orders by each order_by value, nulls as PostgreSQL and Hasura place them', async () => {
      expect(await runNames({ orderBy: [{ start_time: 'asc' }] })).toEqual(['amber-fox', 'brisk-owl', 'calm-elk', 'dusty-yak']);
      expect(await runNames({ orderBy: [{ start_time: 'asc_nulls_last' }] })).toEqual(['amber-fox', 'brisk-owl', 'calm-elk', 'dusty-yak']);
      expect(await runNames({ orderBy: [{ start_time: 'asc_nulls_first' }] })).toEqual(['dusty-yak', 'amber-fox', 'brisk-owl', 'calm-elk']);
      expect(await runNames({ orderBy: [{ start_time: 'desc' }] })).toEqual(['dusty-yak', 'calm-elk', 'brisk-owl', 'amber-fox']);
      expect(await runNames({ orderBy: [{ start_time: 'desc_nulls_first' }] })).toEqual(['dusty-yak', 'calm-elk', 'brisk-owl', 'amber-fox']);
      expect(await runNames({ orderBy: [{ start_time: 'desc_nulls_last' }] })).toEqual(['calm-elk', 'brisk-owl', 'amber-fox', 'dusty-yak']);
    });

    it('takes order_by as one object or a list, keys in list order', async () => {
      expect(await runNames({ orderBy: { name: 'desc' } })).toEqual(['dusty-yak', 'calm-elk', 'brisk-owl', 'amber-fox']);
      expect(await runNames({ orderBy: [{ labels: 'asc' }, { name: 'desc' }] })).toEqual(['calm-elk', 'brisk-owl', 'dusty-yak', 'amber-fox']);
      expect(await runNames({ orderBy: [{ version: 'desc' }], limit: 2 })).toEqual(['amber-fox', 'calm-elk']);
    });

    it('orders through object relationships', async () => {
      const ordered = await amberTaskRuns({ orderBy: [{ task: { name: 'desc' } }, { map_index: 'asc' }] });
      expect(ordered.map((taskRun) => `${taskRun.task ?? ''}[${taskRun.map_index}]`)).toEqual([
        'transform[-1]',
        'transform[0]',
        'transform[1]',
        'load[-1]',
        'extract[-1]',
      ]);
      const byFlowRun = await query(t.server, ConformanceTaskRunsDocument, { orderBy: [{ flow_run: { name: 'desc' } }, { map_index: 'desc' }], limit: 2 });
      expect(byFlowRun.task_run.map((taskRun) => taskRun.state)).toEqual(['Failed', 'Failed']);
    });

    it('pages with limit and offset', async () => {
      expect(await runNames({ orderBy: [{ name: 'asc' }], limit: 2, offset: 1 })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runNames({ orderBy: [{ name: 'asc' }], offset: 3 })).toEqual(['dusty-yak']);
      expect(await runNames({ orderBy: [{ name: 'asc' }], limit: 0 })).toEqual([]);
      expect(await runNames({ orderBy: [{ name: 'asc' }], offset: 10 })).toEqual([]);
    });

    it('keeps one row per distinct_on value, ordered by it, as PostgreSQL DISTINCT ON', async () => {
      const states = await amberTaskRuns({ distinctOn: ['state'] });
      expect(states.map((taskRun) => taskRun.state)).toEqual(['Failed', 'Mapped', 'Success']);
      const highest = await amberTaskRuns({ distinctOn: 'state', orderBy: [{ state: 'asc' }, { map_index: 'desc' }] });
      expect(highest.map((taskRun) => [taskRun.state, taskRun.map_index])).toEqual([
        ['Failed', 1],
        ['Mapped', -1],
        ['Success', 0],
      ]);
      const pairs = await amberTaskRuns({ distinctOn: ['map_index', 'state'], orderBy: [{ state: 'desc' }, { map_index: 'asc' }] });
      expect(pairs.map((taskRun) => taskRun.map_index)).toEqual([-1, 0, -1, 1]);
    });

    it('refuses distinct_on that does not lead the order_by, as Hasura', async () => {
      const answer = await send(t.server, ConformanceTaskRunsDocument, { distinctOn: ['state'], orderBy: [{ map_index: 'asc' }, { state: 'asc' }] });
      expect(answer.errors?.[0]?.message).toBe('"distinct_on" columns must match initial "order_by" columns');
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('aggregates with count(columns, distinct) over the filtered, limited rows', async () => {
      // Five task runs; (Success, -1) twice: extract and load.
      const all = await query(t.server, ConformanceTaskRunAggregateDocument, { where: { flow_run_id: { _eq: t.data.runs['amber-fox'] } } });
      expect(all.task_run_aggregate.__typename).toBe('task_run_aggregate');
      expect(all.task_run_aggregate.aggregate).toEqual({
        __typename: 'task_run_aggregate_fields',
        count: 5,
        states: 5,
        distinctStates: 3,
        distinctStateAndIndex: 4,
      });
      expect(all.task_run_aggregate.nodes).toHaveLength(5);
      const limited = await query(t.server, ConformanceTaskRunAggregateDocument, {
        where: { flow_run_id: { _eq: t.data.runs['amber-fox'] } },
        orderBy: [{ map_index: 'desc' }, { start_time: 'asc' }],
        limit: 2,
      });
      expect(limited.task_run_aggregate.aggregate?.count).toBe(2);
      expect(limited.task_run_aggregate.nodes.map((node) => node.map_index)).toEqual([1, 0]);
      const none = await query(t.server, ConformanceTaskRunAggregateDocument, { where: { state: { _eq: 'Cancelled' } } });
      expect(none.task_run_aggregate.aggregate?.count).toBe(0);
      expect(none.task_run_aggregate.nodes).toEqual([]);
    });

    it('aggregates array relationships per row', async () => {
      const result = await query(t.server, ConformanceFlowRunCountsDocument, { taskRunWhere: { map_index: { _eq: -1 } } });
      const counts = Object.fromEntries(
        result.flow_run.map((run): [string, (number | undefined)[]] => [
          run.name ?? '',
          [run.task_runs_aggregate.aggregate?.count, run.failed.aggregate?.count, run.logs_aggregate.aggregate?.count],
        ]),
      );
      expect(counts).toEqual({ 'amber-fox': [3, 1, 4], 'brisk-owl': [1, 1, 0], 'calm-elk': [0, 0, 0], 'dusty-yak': [0, 0, 0] });
    });

    it('answers T_by_pk with the row, or null when there is none', async () => {
      expect((await query(t.server, ConformanceFlowRunByPkDocument, { id: t.data.runs['calm-elk'] })).flow_run_by_pk).toEqual({
        id: t.data.runs['calm-elk'],
        name: 'calm-elk',
        state: 'Running',
      });
      expect((await query(t.server, ConformanceFlowRunByPkDocument, { id: '7e57c0de-0000-4000-8000-000000000000' })).flow_run_by_pk).toBeNull();
    });

    it('reads jsonb values at a path given in Hasura syntax', async () => {
      const result = await query(t.server, ConformanceJsonPathsDocument, { id: t.data.runs['amber-fox'] });
      expect(result.flow_run_by_pk).toEqual({
        labels: ['prod', 'k8s'],
        firstLabel: 'prod',
        parameters: { nested: { value: 42 }, x: 1 },
        nestedParameter: 42,
        plainPath: 42,
        missing: null,
        flow: { storageType: 'Module' },
      });
    });

    it('honours aliases, fragments, inline fragments and __typename', async () => {
      const result = await query(t.server, ConformanceAliasedLogsDocument, { id: t.data.runs['amber-fox'], limit: 2 });
      expect(result.run).toEqual({
        __typename: 'flow_run',
        runId: t.data.runs['amber-fox'],
        name: 'amber-fox',
        state: 'Success',
        first: [
          { __typename: 'log', id: t.data.amberLogIds[0], message: 'Beginning Flow run', timestamp: '2021-05-12T17:59:56.4+00:00' },
          { __typename: 'log', id: t.data.amberLogIds[1], message: 'Task extract: Starting task run', timestamp: '2021-05-12T18:00:00.000001+00:00' },
        ],
        last: [
          { __typename: 'log', id: t.data.amberLogIds[3], message: 'Flow run SUCCESS', timestamp: '2021-05-12T18:00:04+00:00' },
          { __typename: 'log', id: t.data.amberLogIds[2], message: 'Task transform[1]: 100% failure', timestamp: '2021-05-12T18:00:02.5+00:00' },
        ],
        flowName: { __typename: 'flow', name: 'etl' },
      });
      // The response keeps the selection's key order, as GraphQL requires.
      expect(Object.keys(result.run ?? {})).toEqual(['__typename', 'runId', 'name', 'state', 'first', 'last', 'flowName']);
    });

    it('answers selections wider than one json_build_object call takes (100 arguments)', async () => {
      const aliases = Array.from({ length: 120 }, (_, index) => `field${index}`);
      const wide = visit(ConformanceFlowRunByPkDocument, {
        Field: (node) =>
          node.name.value === 'flow_run_by_pk' && node.selectionSet !== undefined
            ? {
                ...node,
                selectionSet: {
                  ...node.selectionSet,
                  selections: aliases.map((alias, index): FieldNode => ({
                    kind: Kind.FIELD,
                    alias: { kind: Kind.NAME, value: alias },
                    name: { kind: Kind.NAME, value: index % 2 === 0 ? 'name' : 'start_time' },
                  })),
                },
              }
            : undefined,
      });
      const answer = await send(t.server, wide, { id: t.data.runs['amber-fox'] });
      const run = (answer.data as { flow_run_by_pk: Record<string, unknown> } | undefined)?.flow_run_by_pk;
      expect(Object.keys(run ?? {})).toEqual(aliases);
      expect(run?.['field0']).toBe('amber-fox');
      expect(run?.['field119']).toBe('2021-05-12T17:59:56.383629+00:00');
    });

    it('renders timestamps, intervals and jsonb as Prefect Server does', async () => {
      const logs = await query(t.server, ConformanceLogsDocument, {
        where: { flow_run_id: { _eq: t.data.runs['amber-fox'] } },
        orderBy: [{ timestamp: 'asc' }],
      });
      expect(logs.log.map((log) => log.timestamp)).toEqual([
        '2021-05-12T17:59:56.4+00:00',
        '2021-05-12T18:00:00.000001+00:00',
        '2021-05-12T18:00:02.5+00:00',
        '2021-05-12T18:00:04+00:00',
      ]);
      expect(logs.log.map((log) => log.info)).toEqual([{ attempt: 1 }, null, { map_index: 1 }, null]);
      const runs = await query(t.server, ConformanceFlowRunsDocument, { where: { name: { _eq: 'amber-fox' } } });
      expect(runs.flow_run[0]?.start_time).toBe('2021-05-12T17:59:56.383629+00:00');
      const tasks = await query(t.server, ConformanceTasksDocument, { orderBy: [{ name: 'asc' }] });
      expect(tasks.task.map((task) => task.retry_delay)).toEqual(['00:01:00', '1 day 02:00:00', null]);
      expect(tasks.task.map((task) => task.tags)).toEqual([['io'], [], ['cpu', 'io']]);
    });
  });
}
