// Batches as the Prefect UI sends them (its Apollo client posts a JSON array of up to 25
// `{ operationName, variables, query }` every 2 s, with `X-Prefect-Tenant-ID: null`) and as
// Prefect Server's Apollo 2 answers them: an array in the same order, each operation with its
// own data and errors, HTTP 200 even when one operation is invalid. Past the batch limit, or
// with a malformed member, the whole batch is refused and nothing runs.
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApiInfoDocument } from '@runview/documents';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import {
  ConformanceFlowRunByPkDocument,
  ConformanceFlowRunsDocument,
  ConformanceLogsDocument,
  ConformanceTaskRunAggregateDocument,
} from '@runview/documents/conformance';
import { DEFAULT_MAX_BATCH, DEFAULT_TENANT_ID, type RunviewServer } from '../src/index.js';
import { BACKENDS, countRows } from './mutations-harness.js';
import { insertTenantData, type TenantData } from './support/fixtures.js';
import { errorCodes, postJson, useWireServer } from './support/wire.js';

/** The headers the Prefect UI sends before it knows a tenant. */
const UI_HEADERS = { 'X-Prefect-UI': 'true', 'X-Backend': 'server', 'X-Prefect-Tenant-ID': 'null', 'X-Prefect-User-ID': 'null' };

interface Operation {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly query: string;
}

interface Result {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
}

/** A page's worth of queries, shaped as the UI's dashboard and flow-run pages send them. */
function pageQueries(data: TenantData): Operation[] {
  return [
    { operationName: 'ApiInfo', variables: {}, query: print(ApiInfoDocument) },
    { operationName: 'ConformanceFlowRuns', variables: { limit: 10, orderBy: [{ scheduled_start_time: 'desc' }] }, query: print(ConformanceFlowRunsDocument) },
    { operationName: 'ConformanceFlowRunByPk', variables: { id: data.runs['amber-fox'] }, query: print(ConformanceFlowRunByPkDocument) },
    {
      operationName: 'ConformanceLogs',
      variables: { where: { flow_run_id: { _eq: data.runs['amber-fox'] } }, orderBy: [{ timestamp: 'asc' }], limit: 100 },
      query: print(ConformanceLogsDocument),
    },
    {
      operationName: 'ConformanceTaskRunAggregate',
      variables: { where: { flow_run_id: { _eq: data.runs['amber-fox'] } } },
      query: print(ConformanceTaskRunAggregateDocument),
    },
  ];
}

function createRun(data: TenantData): Operation {
  return { operationName: 'CreateFlowRun', variables: { input: { flow_id: data.flowId } }, query: print(CreateFlowRunDocument) };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`batches as the Prefect UI sends them (${backend.name})`, () => {
    let data: TenantData | undefined;
    const wire = useWireServer(backend, { apiKeys: ['ui-writer', 'ui-reader:read'] }, async (server: RunviewServer) => {
      data = await insertTenantData(server.db, DEFAULT_TENANT_ID);
    });
    const tenantData = (): TenantData => {
      if (data === undefined) throw new Error('no data');
      return data;
    };
    const post = async (body: unknown, key = 'ui-writer') => postJson(`${wire.origin}/graphql`, body, { ...UI_HEADERS, authorization: `Bearer ${key}` });

    it('answers an array with an array in the same order, each as the operation alone answers', async () => {
      const batch = pageQueries(tenantData());
      const answer = await post(batch);
      expect(answer.status).toBe(200);
      const results = answer.json as Result[];
      expect(results).toHaveLength(batch.length);
      for (const [index, operation] of batch.entries()) {
        const alone = await post(operation);
        expect(results[index], operation.operationName).toEqual(alone.json);
        expect(results[index]?.errors, operation.operationName).toBeUndefined();
      }
      expect(results[2]?.data?.['flow_run_by_pk']).toMatchObject({ name: 'amber-fox' });
    });

    it('answers an invalid operation among valid ones with its own errors, and the others with data (HTTP 200)', async () => {
      const [first, second, third] = pageQueries(tenantData());
      if (first === undefined || second === undefined || third === undefined) throw new Error('no page queries');
      const invalid = { ...second, query: second.query.replace('scheduled_start_time', 'not_a_column') };
      const unparsable = { ...third, query: '{ flow_run { id ' };
      const answer = await post([first, invalid, third, unparsable]);
      expect(answer.status).toBe(200);
      const results = answer.json as Result[];
      expect(results.map((result) => errorCodes(result))).toEqual([[], ['GRAPHQL_VALIDATION_FAILED'], [], ['GRAPHQL_PARSE_FAILED']]);
      expect(results[0]?.data).toHaveProperty('api');
      expect(results[1]).not.toHaveProperty('data');
      expect(results[2]?.data?.['flow_run_by_pk']).toMatchObject({ name: 'amber-fox' });
    });

    it('refuses mutations of a read-only key per operation, answering its queries', async () => {
      const before = await countRows(wire.server, 'flow_run');
      const [api] = pageQueries(tenantData());
      const answer = await post([api, createRun(tenantData()), api], 'ui-reader');
      expect(answer.status).toBe(200);
      const results = answer.json as Result[];
      expect(results.map((result) => errorCodes(result))).toEqual([[], ['FORBIDDEN'], []]);
      expect(results[1]?.data).toEqual({ create_flow_run: null });
      expect(await countRows(wire.server, 'flow_run')).toBe(before);
    });

    it('runs the mutations of a batch for a key that may write', async () => {
      const before = await countRows(wire.server, 'flow_run');
      const answer = await post([createRun(tenantData()), createRun(tenantData())]);
      expect((answer.json as Result[]).map((result) => errorCodes(result))).toEqual([[], []]);
      expect(await countRows(wire.server, 'flow_run')).toBe(before + 2);
    });

    it(`takes ${DEFAULT_MAX_BATCH} operations and refuses a batch of 1,000 with 413, running none of it`, async () => {
      const [api] = pageQueries(tenantData());
      const full = await post(Array.from({ length: DEFAULT_MAX_BATCH }, () => api));
      expect(full.status).toBe(200);
      expect(full.json).toHaveLength(DEFAULT_MAX_BATCH);
      const before = await countRows(wire.server, 'flow_run');
      const answer = await post(Array.from({ length: 1_000 }, () => createRun(tenantData())));
      expect(answer.status).toBe(413);
      expect(answer.json).toEqual({
        errors: [
          {
            message: `A batch may hold at most ${DEFAULT_MAX_BATCH} operations; this one has 1000.`,
            extensions: { code: 'BATCH_TOO_LARGE', limit: DEFAULT_MAX_BATCH, size: 1000 },
          },
        ],
      });
      expect(await countRows(wire.server, 'flow_run')).toBe(before);
    });

    it('refuses a whole batch with a malformed member, as Apollo 2 reads every member first, running none of it', async () => {
      const before = await countRows(wire.server, 'flow_run');
      const answer = await post([createRun(tenantData()), { ...createRun(tenantData()), variables: '{"input": ' }]);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ errors: [{ message: 'Operation 2 of the batch: Variables are invalid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
      expect(await countRows(wire.server, 'flow_run')).toBe(before);
      const empty = await post([]);
      expect(empty.status).toBe(400);
      expect(errorCodes(empty.json)).toEqual(['BAD_REQUEST']);
    });
  });
}
