// Access control and tenants: with keys configured every request needs a known key; a key
// reads and writes only its tenant's rows, at the root, through nested relationships, in
// aggregates and inside where's EXISTS; read-only keys cannot write; keys never reach the logs.
import { describe, expect, it } from 'vitest';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import {
  ConformanceFlowRunByPkDocument,
  ConformanceFlowRunCountsDocument,
  ConformanceFlowRunsDocument,
  ConformanceLogsDocument,
  ConformanceProjectTreeDocument,
  ConformanceTaskRunAggregateDocument,
  ConformanceTaskRunByPkDocument,
} from '@runview/documents/conformance';
import { BACKENDS } from './mutations-harness.js';
import { TENANT_A, TENANT_B, insertTenantData } from './support/fixtures.js';
import { bearer, query, send, type Headers } from './support/http.js';
import { useTestServer } from './support/server.js';

const KEY_A = 'rv-key-alpha-7f3a9c';
const KEY_A_READ = 'rv-key-alpha-readonly-41d2';
const KEY_B = 'rv-key-beta-a0c5e1';
const KEY_DEFAULT = 'rv-key-default-0c77';

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`access control and tenants (${backend.name})`, () => {
    const logged: string[] = [];
    const capture = (...args: unknown[]): void => {
      logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack ?? ''}` : String(arg))).join(' '));
    };
    const t = useTestServer(
      backend,
      async (server) => {
        const a = await insertTenantData(server.db, TENANT_A);
        const b = await insertTenantData(server.db, TENANT_B);
        // Rows of tenant B that point into tenant A's flow run: only the tenant filter keeps them out.
        const k = server.db.kysely;
        const { id: intruderTaskRun } = await k
          .insertInto('task_run')
          .values({ tenant_id: TENANT_B, flow_run_id: a.runs['amber-fox'], task_id: b.taskIds.load, map_index: 7, state: 'Intruder' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await k.insertInto('log').values({ tenant_id: TENANT_B, flow_run_id: a.runs['amber-fox'], message: 'intruder', level: 'INFO' }).execute();
        return { a, b, intruderTaskRun };
      },
      {
        apiKeys: [`${KEY_A}:${TENANT_A}`, `${KEY_A_READ}:${TENANT_A}:read`, `${KEY_B}:${TENANT_B}`, KEY_DEFAULT],
        logger: { debug: capture, info: capture, warn: capture, error: capture },
      },
    );

    describe('authentication', () => {
      it('refuses a request without a key, with UNAUTHENTICATED and no data', async () => {
        const answer = await send(t.server, ConformanceFlowRunsDocument, {});
        expect(answer.status).toBe(200);
        expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(answer.data ?? null).toBeNull();
      });

      it('refuses an unknown key and a malformed Authorization header', async () => {
        const wrong = await send(t.server, ConformanceFlowRunsDocument, {}, bearer(`${KEY_A}x`));
        expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } });
        const prefix = await send(t.server, ConformanceFlowRunsDocument, {}, bearer(KEY_A.slice(0, -1)));
        expect(prefix.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        const malformed = await send(t.server, ConformanceFlowRunsDocument, {}, { authorization: `Token ${KEY_A}` });
        expect(malformed.errors?.[0]).toMatchObject({ message: 'Malformed Authorization header', extensions: { code: 'UNAUTHENTICATED' } });
      });

      it('lets a read-only key read but not write, and writes nothing', async () => {
        expect((await query(t.server, ConformanceFlowRunsDocument, {}, bearer(KEY_A_READ))).flow_run).toHaveLength(4);
        const before = await t.server.db.kysely
          .selectFrom('flow_run')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        const answer = await send(t.server, CreateFlowRunDocument, { input: { flow_id: t.data.a.flowId } }, bearer(KEY_A_READ));
        expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const after = await t.server.db.kysely
          .selectFrom('flow_run')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(before.n));
      });

      it('lets a read-write key through to the mutation, within its own tenant only', async () => {
        // The default tenant's key may write, but tenant A's flow is not visible to it.
        const answer = await send(t.server, CreateFlowRunDocument, { input: { flow_id: t.data.a.flowId, flow_run_name: 'keyed-run' } }, bearer(KEY_DEFAULT));
        const codes = answer.errors?.map((error) => error.extensions?.code) ?? [];
        expect(codes).not.toContain('FORBIDDEN');
        expect(codes).not.toContain('UNAUTHENTICATED');
        expect(codes).not.toContain('NOT_IMPLEMENTED');
        const written = await t.server.db.kysely.selectFrom('flow_run').select('id').where('name', '=', 'keyed-run').execute();
        expect(written).toEqual([]);
      });

      it('accepts X-PREFECT-TENANT-ID naming the key tenant and refuses another tenant', async () => {
        const same: Headers = { ...bearer(KEY_A), 'x-prefect-tenant-id': TENANT_A.toUpperCase() };
        expect((await send(t.server, ConformanceFlowRunsDocument, { where: { name: { _eq: 'amber-fox' } } }, same)).data?.flow_run).toHaveLength(1);
        const other = await send(t.server, ConformanceFlowRunsDocument, {}, { ...bearer(KEY_A), 'x-prefect-tenant-id': TENANT_B });
        expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(other.data ?? null).toBeNull();
      });

      it('never writes a key into the logs', () => {
        const text = logged.join('\n');
        for (const key of [KEY_A, KEY_A_READ, KEY_B, KEY_DEFAULT]) expect(text).not.toContain(key);
      });
    });

    describe('tenant isolation', () => {
      const as = (key: string): Headers => bearer(key);

      it('scopes root fields and T_by_pk to the key tenant', async () => {
        const seenByA = (await query(t.server, ConformanceFlowRunsDocument, { where: { name: { _eq: 'amber-fox' } } }, as(KEY_A))).flow_run;
        const seenByB = (await query(t.server, ConformanceFlowRunsDocument, { where: { name: { _eq: 'amber-fox' } } }, as(KEY_B))).flow_run;
        expect(seenByA.map((run) => run.id)).toEqual([t.data.a.runs['amber-fox']]);
        expect(seenByB.map((run) => run.id)).toEqual([t.data.b.runs['amber-fox']]);
        expect((await query(t.server, ConformanceFlowRunByPkDocument, { id: t.data.b.runs['amber-fox'] }, as(KEY_A))).flow_run_by_pk).toBeNull();
        expect((await query(t.server, ConformanceTaskRunByPkDocument, { id: t.data.intruderTaskRun }, as(KEY_A))).task_run_by_pk).toBeNull();
        expect((await query(t.server, ConformanceFlowRunsDocument, {}, as(KEY_DEFAULT))).flow_run).toEqual([]);
      });

      it('scopes nested relationships', async () => {
        const tree = await query(t.server, ConformanceProjectTreeDocument, {}, as(KEY_A));
        expect(tree.project.map((project) => project.id)).toEqual([t.data.a.projectId]);
        const runs = tree.project.flatMap((project) => project.flows.flatMap((flow) => flow.flow_runs));
        expect(runs.map((run) => run.id).sort()).toEqual(Object.values(t.data.a.runs).sort());
        const amber = runs.find((run) => run.id === t.data.a.runs['amber-fox']);
        expect(amber?.task_runs.map((taskRun) => taskRun.id).sort()).toEqual([...t.data.a.amberTaskRuns].sort());
        expect(amber?.logs.map((log) => log.id).sort()).toEqual([...t.data.a.amberLogIds].sort());
      });

      it('scopes aggregates, at the root and through relationships', async () => {
        const rootA = await query(t.server, ConformanceTaskRunAggregateDocument, {}, as(KEY_A));
        const rootB = await query(t.server, ConformanceTaskRunAggregateDocument, {}, as(KEY_B));
        expect(rootA.task_run_aggregate.aggregate?.count).toBe(6);
        expect(rootB.task_run_aggregate.aggregate?.count).toBe(7);
        expect(rootA.task_run_aggregate.nodes.map((node) => node.id)).not.toContain(t.data.intruderTaskRun);
        const counts = await query(t.server, ConformanceFlowRunCountsDocument, { where: { name: { _eq: 'amber-fox' } } }, as(KEY_A));
        expect(counts.flow_run[0]?.task_runs_aggregate.aggregate?.count).toBe(5);
        expect(counts.flow_run[0]?.logs_aggregate.aggregate?.count).toBe(4);
        const tree = await query(t.server, ConformanceProjectTreeDocument, { flowRunWhere: { state: { _eq: 'Success' } } }, as(KEY_B));
        expect(tree.project[0]?.flows[0]?.flow_runs_aggregate.aggregate?.count).toBe(1);
      });

      it('scopes EXISTS inside where', async () => {
        expect((await query(t.server, ConformanceFlowRunsDocument, { where: { task_runs: { state: { _eq: 'Intruder' } } } }, as(KEY_A))).flow_run).toEqual([]);
        expect((await query(t.server, ConformanceFlowRunsDocument, { where: { logs: { message: { _eq: 'intruder' } } } }, as(KEY_A))).flow_run).toEqual([]);
        expect((await query(t.server, ConformanceLogsDocument, { where: { message: { _eq: 'intruder' } } }, as(KEY_A))).log).toEqual([]);
        expect((await query(t.server, ConformanceLogsDocument, { where: { message: { _eq: 'intruder' } } }, as(KEY_B))).log).toHaveLength(1);
        const byProject = await query(t.server, ConformanceFlowRunsDocument, { where: { flow: { project: { id: { _eq: t.data.b.projectId } } } } }, as(KEY_A));
        expect(byProject.flow_run).toEqual([]);
      });
    });
  });
}
