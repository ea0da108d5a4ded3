// Nested selections compile to one SQL statement per root field, as Hasura builds JSON in the
// database: a flow run with 100 task runs, each with its task, flow and project, is one statement.
import { describe, expect, it } from 'vitest';
import {
  ConformanceFlowRunTreeDocument,
  ConformanceNullCollapseDocument,
  ConformanceProjectTreeDocument,
  type ConformanceFlowRunTreeQuery,
} from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID, type RunviewServer } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { query } from './support/http.js';
import { useTestServer } from './support/server.js';

const TASK_RUNS = 100;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`SQL statements per request (${backend.name})`, () => {
    const t = useTestServer(backend, async (server: RunviewServer) => {
      const data = await insertTenantData(server.db, DEFAULT_TENANT_ID);
      const k = server.db.kysely;
      const { id: runId } = await k.insertInto('flow_run').values({ flow_id: data.flowId, name: 'wide-run' }).returning('id').executeTakeFirstOrThrow();
      await k
        .insertInto('task_run')
        .values(
          Array.from({ length: TASK_RUNS }, (_, index) => ({
            flow_run_id: runId,
            task_id: data.taskIds.transform,
            map_index: index,
            state: index % 7 === 0 ? 'Failed' : 'Success',
          })),
        )
        .execute();
      return { flowId: data.flowId, runId };
    });

    /** Runs `request` and returns how many SQL statements it sent. */
    async function statementsOf(request: () => Promise<unknown>): Promise<number> {
      const before = t.server.db.statementCount();
      await request();
      return t.server.db.statementCount() - before;
    }

    it('answers a flow run with 100 task runs and 3 levels of nesting in one statement', async () => {
      let tree: ConformanceFlowRunTreeQuery | undefined;
      const statements = await statementsOf(async () => {
        tree = await query(t.server, ConformanceFlowRunTreeDocument, { id: t.data.runId });
      });
      expect(statements).toBe(1);
      const run = tree?.flow_run[0];
      expect(run?.task_runs).toHaveLength(TASK_RUNS);
      expect(run?.task_runs.map((taskRun) => taskRun.map_index)).toEqual(Array.from({ length: TASK_RUNS }, (_, index) => index));
      for (const taskRun of run?.task_runs ?? []) {
        expect(taskRun.task.slug).toBe('transform-1');
        expect(taskRun.task.flow).toEqual({ id: t.data.flowId, name: 'etl', project: { name: 'analytics' } });
      }
    });

    it('sends one statement per root field, nested lists and aggregates included', async () => {
      expect(await statementsOf(() => query(t.server, ConformanceNullCollapseDocument, {}))).toBe(3);
      expect(await statementsOf(() => query(t.server, ConformanceProjectTreeDocument, {}))).toBe(1);
    });
  });
}
