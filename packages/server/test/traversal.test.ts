/**
 * `utility_downstream_tasks` and `utility_upstream_tasks` (Hasura's tracked functions of
 * Prefect Server) on both backends, over the task graph of Prefect Server's own traversal
 * tests, with Hasura's function-field arguments; and the Prefect UI's restart query.
 *
 *   t1 -> t2 -> t3 -> t4 -> t5
 *          \               /
 *    t6 -> t7 -> t8 -> t9 -> t10          t11 (no edges)
 */
import { randomUUID } from 'node:crypto';
import {
  ConformanceCreateFlowDocument,
  ConformanceCreateProjectDocument,
  ConformanceDownstreamTaskRunsDocument,
  ConformanceDownstreamTasksDocument,
  ConformanceRegisteredFlowDocument,
  ConformanceUpstreamTasksDocument,
} from '@runview/documents/conformance';
import type { JsonObject } from '@runview/documents';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import type { GraphQLAnswer, GraphQLClient } from '../src/simulate/client.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';

const OTHER_TENANT = '3f6b9a2c-1d4e-4f5a-8b7c-9d0e1f2a3b4c';
const SLUGS = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 't10', 't11'];
const CHAINS = [
  ['t1', 't2', 't3', 't4', 't5'],
  ['t6', 't7', 't8', 't9', 't10'],
  ['t2', 't7'],
  ['t9', 't5'],
];

function traversalFlow(): JsonObject {
  const task = (slug: string): JsonObject => ({ slug, name: slug, type: 'prefect.core.task.Task', tags: [], __version__: '1.4.1' });
  const edges = CHAINS.flatMap((chain) =>
    chain.slice(1).map((slug, index) => ({ upstream_task: { slug: chain[index] ?? '' }, downstream_task: { slug }, key: null, mapped: false })),
  );
  return {
    name: 'traversal flow',
    type: 'prefect.core.flow.Flow',
    schedule: null,
    parameters: [],
    tasks: SLUGS.map(task),
    edges,
    reference_tasks: [],
    __version__: '1.4.1',
  };
}

function errorsOf(answer: GraphQLAnswer<unknown>): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

const BY_DEPTH_THEN_SLUG = [{ depth: 'asc' as const }, { task: { slug: 'asc' as const } }];

describe.each(BACKENDS)('task graph traversals on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  let other: GraphQLClient;
  let flowId: string;
  const ids = new Map<string, string>();

  /** `{id,...}` of the tasks with these slugs, as the UI interpolates them. */
  const literal = (...slugs: string[]): string => `{${slugs.map((slug) => ids.get(slug) ?? '').join(',')}}`;

  async function downstream(
    slugs: string[],
    extra: { depthLimit?: number; where?: object; orderBy?: object[] } = {},
  ): Promise<[string | undefined, number | null][]> {
    const data = await api.request(ConformanceDownstreamTasksDocument, { taskIds: literal(...slugs), orderBy: BY_DEPTH_THEN_SLUG, ...extra });
    return data.utility_downstream_tasks.map((row) => [row.task?.slug ?? undefined, row.depth]);
  }

  async function upstream(slugs: string[], extra: { depthLimit?: number; where?: object } = {}): Promise<[string | undefined, number | null][]> {
    const data = await api.request(ConformanceUpstreamTasksDocument, { taskIds: literal(...slugs), orderBy: BY_DEPTH_THEN_SLUG, ...extra });
    return data.utility_upstream_tasks.map((row) => [row.task?.slug ?? undefined, row.depth]);
  }

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { apiKeys: ['writer', `other:${OTHER_TENANT}`] });
    api = test.client('writer');
    other = test.client('other');
    const project = await api.request(ConformanceCreateProjectDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: `traversal-${randomUUID()}` } });
    const created = await api.request(ConformanceCreateFlowDocument, {
      input: { project_id: project.create_project?.id ?? '', serialized_flow: traversalFlow() },
    });
    flowId = created.create_flow?.id ?? '';
    const flow = await api.request(ConformanceRegisteredFlowDocument, { id: flowId });
    for (const task of flow.flow_by_pk?.tasks ?? []) ids.set(task.slug ?? '', task.id);
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  describe.skipIf(backend.skip)('utility_downstream_tasks', () => {
    it('walks every path from the start task and answers each task at its deepest distance', async () => {
      expect(ids.size).toBe(11);
      expect(await downstream(['t1'])).toEqual([
        ['t1', 0],
        ['t2', 1],
        ['t3', 2],
        ['t7', 2],
        ['t4', 3],
        ['t8', 3],
        ['t9', 4],
        ['t10', 5],
        ['t5', 5],
      ]);
      expect(await downstream(['t4'])).toEqual([
        ['t4', 0],
        ['t5', 1],
      ]);
    });

    it('stops after depth_limit steps', async () => {
      expect(await downstream(['t1'], { depthLimit: 2 })).toEqual([
        ['t1', 0],
        ['t2', 1],
        ['t3', 2],
        ['t7', 2],
      ]);
      expect(await downstream(['t1'], { depthLimit: 0 })).toEqual([['t1', 0]]);
      // Prefect Server's functions never go past 50 steps, whatever depth_limit asks.
      expect(await downstream(['t1'], { depthLimit: 1000 })).toHaveLength(9);
    });

    it('filters the rows with where, not the walk: a task left out still leads further', async () => {
      expect(await downstream(['t1'], { where: { task: { slug: { _neq: 't2' } }, depth: { _neq: 3 } } })).toEqual([
        ['t1', 0],
        ['t3', 2],
        ['t7', 2],
        ['t9', 4],
        ['t10', 5],
        ['t5', 5],
      ]);
    });

    it('starts from several tasks at once; a task without edges is answered alone', async () => {
      expect(await downstream(['t6', 't9'])).toContainEqual(['t5', 4]);
      expect(await downstream(['t6', 't8'])).toContainEqual(['t7', 1]);
      expect(await downstream(['t11'])).toEqual([['t11', 0]]);
      const both = await downstream(['t4', 't11']);
      expect(both).toHaveLength(3);
      expect(both).toEqual(
        expect.arrayContaining([
          ['t4', 0],
          ['t5', 1],
          ['t11', 0],
        ]),
      );
    });

    it('orders by depth then task id without order_by, and applies limit and offset to the rows', async () => {
      const data = await api.request(ConformanceDownstreamTasksDocument, { taskIds: literal('t1') });
      const rows = data.utility_downstream_tasks;
      const expected = [...rows].sort((a, b) => (a.depth ?? 0) - (b.depth ?? 0) || String(a.task_id).localeCompare(String(b.task_id)));
      expect(rows.map((row) => row.task_id)).toEqual(expected.map((row) => row.task_id));
      expect(rows.every((row) => row.tenant_id === DEFAULT_TENANT_ID)).toBe(true);
      const page = await api.request(ConformanceDownstreamTasksDocument, { taskIds: literal('t1'), orderBy: BY_DEPTH_THEN_SLUG, limit: 2, offset: 2 });
      expect(page.utility_downstream_tasks.map((row) => row.task?.slug)).toEqual(['t3', 't7']);
    });

    it('answers the UI restart query: the task runs of one flow run below the failed tasks', async () => {
      const run = await api.request(CreateFlowRunDocument, { input: { flow_id: flowId } });
      const flowRunId = run.create_flow_run?.id ?? '';
      const data = await api.request(ConformanceDownstreamTaskRunsDocument, { flowRunId, taskIds: literal('t9') });
      expect(data.utility_downstream_tasks.map((row) => [row.task_id, row.depth])).toEqual([
        [ids.get('t9'), 0],
        ...[ids.get('t10'), ids.get('t5')].sort().map((id) => [id, 1]),
      ]);
      for (const row of data.utility_downstream_tasks) {
        expect(row.task?.task_runs).toEqual([{ id: expect.any(String) as string, map_index: -1, version: expect.any(Number) as number }]);
      }
      // Another flow run's task runs are not this run's.
      const none = await api.request(ConformanceDownstreamTaskRunsDocument, { flowRunId: randomUUID(), taskIds: literal('t9') });
      expect(none.utility_downstream_tasks.every((row) => row.task?.task_runs.length === 0)).toBe(true);
    });

    it('empty or null start ids answer no rows; a malformed literal is refused', async () => {
      expect((await api.request(ConformanceDownstreamTasksDocument, { taskIds: '{}' })).utility_downstream_tasks).toEqual([]);
      expect((await api.request(ConformanceDownstreamTasksDocument, { taskIds: null })).utility_downstream_tasks).toEqual([]);
      const quoted = await api.request(ConformanceDownstreamTasksDocument, { taskIds: ` { "${ids.get('t4')?.toUpperCase() ?? ''}" } ` });
      expect(quoted.utility_downstream_tasks.map((row) => row.task_id)).toEqual([ids.get('t4'), ids.get('t5')]);
      const bad = await api.send(ConformanceDownstreamTasksDocument, { taskIds: `[${ids.get('t1') ?? ''}]` });
      expect(errorsOf(bad)).toEqual([expect.stringMatching(/^BAD_USER_INPUT: .*invalid _uuid: .*expected a PostgreSQL array literal of uuids/)]);
      expect(errorsOf(await api.send(ConformanceDownstreamTasksDocument, { taskIds: '{not-a-uuid}' }))).toHaveLength(1);
    });

    it("walks only the caller's tenant: another tenant's task ids answer no rows", async () => {
      expect((await other.request(ConformanceDownstreamTasksDocument, { taskIds: literal('t1', 't4') })).utility_downstream_tasks).toEqual([]);
    });
  });

  describe.skipIf(backend.skip)('utility_upstream_tasks', () => {
    it('walks the edges backwards, with depth_limit and where', async () => {
      expect(await upstream(['t5'])).toEqual([
        ['t5', 0],
        ['t4', 1],
        ['t9', 1],
        ['t3', 2],
        ['t8', 2],
        ['t7', 3],
        ['t2', 4],
        ['t6', 4],
        ['t1', 5],
      ]);
      expect(await upstream(['t5'], { depthLimit: 2 })).toEqual([
        ['t5', 0],
        ['t4', 1],
        ['t9', 1],
        ['t3', 2],
        ['t8', 2],
      ]);
      expect(await upstream(['t5'], { where: { task: { slug: { _neq: 't4' } }, depth: { _neq: 4 } } })).toEqual([
        ['t5', 0],
        ['t9', 1],
        ['t3', 2],
        ['t8', 2],
        ['t7', 3],
        ['t1', 5],
      ]);
      expect(await upstream(['t11'])).toEqual([['t11', 0]]);
    });
  });
});
