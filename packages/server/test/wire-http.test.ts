// The HTTP layer as Prefect Server's Apollo 2 front serves it, on a loopback port: `variables`
// as a JSON string, `operationName`, GraphQL on every path, GET queries (never mutations),
// Apollo 2's status codes (400 for a request that ran nothing, 200 with `errors` for resolver
// errors), short errors that never echo the body, and `__proto__` as an alias.
import { print, visit, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApiInfoDocument } from '@runview/documents';
import { SetFlowRunStatesDocument } from '@runview/documents/testing';
import { ConformanceFlowRunsDocument, ConformanceLogsDocument } from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { errorCodes, exchange, postJson, useWireServer } from './support/wire.js';

const FLOW_RUNS = print(ConformanceFlowRunsDocument);
const API_INFO = print(ApiInfoDocument);
const MISSING_RUN = '00000000-0000-4000-8000-0000000000ff';

interface Body {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
}

/** The document without its fields named `field`. */
function without(document: DocumentNode, field: string): DocumentNode {
  return visit(document, { Field: (node) => (node.name.value === field ? null : undefined) });
}

/** The document with every field named `field` aliased as `alias`. */
function aliased(document: DocumentNode, field: string, alias: string): DocumentNode {
  return visit(document, { Field: (node) => (node.name.value === field ? { ...node, alias: { kind: node.name.kind, value: alias } } : undefined) });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`HTTP as Apollo 2 serves it (${backend.name})`, () => {
    const wire = useWireServer(backend, {}, async (server) => {
      await insertTenantData(server.db, DEFAULT_TENANT_ID);
    });
    const graphql = (): string => `${wire.origin}/graphql`;

    describe('variables', () => {
      it('parses variables sent as a JSON string, as Prefect Core sends them', async () => {
        const answer = await postJson(graphql(), JSON.stringify({ query: FLOW_RUNS, variables: JSON.stringify({ limit: 2, orderBy: [{ name: 'asc' }] }) }));
        expect(answer.status).toBe(200);
        expect((answer.json as Body).data?.['flow_run']).toMatchObject([{ name: 'amber-fox' }, { name: 'brisk-owl' }]);
      });

      it('reads "null" and "" as no variables', async () => {
        for (const variables of ['null', '', null]) {
          const answer = await postJson(graphql(), { query: FLOW_RUNS, variables });
          expect(answer.status).toBe(200);
          expect((answer.json as Body).data?.['flow_run']).toHaveLength(4);
        }
      });

      it('refuses a string that is not JSON with 400, naming the problem and not echoing it', async () => {
        const secret = 'x'.repeat(10_000);
        const answer = await postJson(graphql(), { query: FLOW_RUNS, variables: `{"limit": ${secret}` });
        expect(answer.status).toBe(400);
        expect(answer.json).toEqual({ errors: [{ message: 'Variables are invalid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
      });

      it('refuses variables that are not a JSON object or null', async () => {
        for (const [variables, kind] of [
          ['[1, 2]', 'an array'],
          ['"text"', 'a string'],
          ['5', 'a number'],
          [[1], 'an array'],
          [true, 'a boolean'],
        ] as const) {
          const answer = await postJson(graphql(), { query: FLOW_RUNS, variables });
          expect(answer.status).toBe(400);
          expect((answer.json as Body).errors?.[0]).toEqual({
            message: `"variables" must be a JSON object or null, got ${kind}.`,
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
      });

      it('answers variables that do not coerce with 400 and no data, as Apollo 2', async () => {
        const answer = await postJson(graphql(), { query: FLOW_RUNS, variables: '{"limit": "many"}' });
        expect(answer.status).toBe(400);
        expect(answer.json).not.toHaveProperty('data');
        expect((answer.json as Body).errors?.[0]?.message).toMatch(/\$limit/);
      });
    });

    describe('operationName', () => {
      const twoOperations = `${FLOW_RUNS}\n${API_INFO}`;

      it('picks the named operation of a document', async () => {
        const answer = await postJson(graphql(), { query: twoOperations, operationName: 'ApiInfo' });
        expect(answer.status).toBe(200);
        expect(Object.keys((answer.json as Body).data ?? {})).toEqual(['api']);
      });

      it('reads null, an empty name and no name alike for a one-operation document', async () => {
        for (const operationName of [null, '', undefined]) {
          const answer = await postJson(graphql(), { query: API_INFO, operationName });
          expect(answer.status).toBe(200);
          expect((answer.json as Body).data).toHaveProperty('api');
        }
      });

      it('refuses an unknown name and a name that is not a string with 400', async () => {
        const unknown = await postJson(graphql(), { query: twoOperations, operationName: 'Nope' });
        expect(unknown.status).toBe(400);
        expect((unknown.json as Body).errors?.[0]?.message).toMatch(/operation/);
        const numeric = await postJson(graphql(), { query: API_INFO, operationName: 5 });
        expect(numeric.status).toBe(400);
        expect(errorCodes(numeric.json)).toEqual(['BAD_REQUEST']);
      });

      it('ignores members Apollo 2 ignores', async () => {
        const answer = await postJson(graphql(), { query: API_INFO, id: 'client-id', unknown: { x: 1 } });
        expect(answer.status).toBe(200);
      });
    });

    describe('paths', () => {
      it('answers GraphQL at /, /graphql and any other path, as Prefect Server mounted at / does', async () => {
        for (const path of ['', '/', '/graphql', '/graphql/', '/v1/graphql', '/api?x=1']) {
          const answer = await postJson(`${wire.origin}${path}`, { query: API_INFO, variables: 'null' });
          expect(answer.status, path).toBe(200);
          expect((answer.json as Body).data, path).toHaveProperty('api.backend');
        }
      });

      it('keeps /health', async () => {
        const answer = await exchange(`${wire.origin}/health`);
        expect(answer.status).toBe(200);
        expect(answer.json).toEqual({ status: 'ok', database: backend.name });
      });
    });

    describe('GET', () => {
      it('runs a query from the query string', async () => {
        const search = new URLSearchParams({ query: FLOW_RUNS, variables: '{"limit": 1}' });
        const answer = await exchange(`${wire.origin}/?${search.toString()}`);
        expect(answer.status).toBe(200);
        expect((answer.json as Body).data?.['flow_run']).toHaveLength(1);
      });

      it('refuses a mutation with 405 and Allow: POST, as Apollo 2, and writes nothing', async () => {
        const search = new URLSearchParams({ query: print(SetFlowRunStatesDocument), variables: JSON.stringify({ input: { states: [] } }) });
        const answer = await exchange(`${graphql()}?${search.toString()}`);
        expect(answer.status).toBe(405);
        expect(answer.headers.get('allow')).toBe('POST');
        expect((answer.json as Body).errors?.[0]?.message).toBe('GET supports only query operation');
      });

      it('answers a GET without a query with 400, and never serves a GraphiQL page', async () => {
        const answer = await exchange(graphql());
        expect(answer.status).toBe(400);
        expect((answer.json as Body).errors?.[0]?.message).toBe('GET query missing.');
        for (const path of ['/', '/graphql', '/graphiql']) {
          const page = await exchange(`${wire.origin}${path}`, { headers: { accept: 'text/html' } });
          expect(page.status).toBeGreaterThanOrEqual(400);
          expect(page.text).not.toMatch(/<script|unpkg|cdn/i);
        }
      });
    });

    describe('status codes and error shapes', () => {
      it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
        const answer = await postJson(graphql(), { query: '{ flow_run { id ' });
        expect(answer.status).toBe(400);
        expect(errorCodes(answer.json)).toEqual(['GRAPHQL_PARSE_FAILED']);
      });

      it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
        const answer = await postJson(graphql(), { query: FLOW_RUNS.replace('scheduled_start_time', 'not_a_column') });
        expect(answer.status).toBe(400);
        expect(errorCodes(answer.json)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      });

      it('answers a resolver error with 200, errors and data', async () => {
        const answer = await postJson(graphql(), {
          query: print(SetFlowRunStatesDocument),
          variables: JSON.stringify({ input: { states: [{ flow_run_id: MISSING_RUN, version: 1, state: { type: 'Running' } }] } }),
        });
        expect(answer.status).toBe(200);
        expect(answer.json).toHaveProperty('data');
        expect((answer.json as Body).errors?.[0]?.message).toMatch(MISSING_RUN);
      });

      it('answers a malformed body with a short 400 that never repeats it', async () => {
        const body = `{"query": "${'a'.repeat(4 * 1024 * 1024)}`;
        const answer = await postJson(graphql(), body);
        expect(answer.status).toBe(400);
        expect(answer.json).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
        expect(answer.text.length).toBeLessThan(200);
      });

      it('answers a body that is not a JSON object with 400', async () => {
        for (const body of ['5', '"query"', 'null', '[]', '']) {
          const answer = await postJson(graphql(), body);
          expect(answer.status, body).toBe(400);
          expect(errorCodes(answer.json), body).toEqual(['BAD_REQUEST']);
        }
      });

      it('answers other methods with 405', async () => {
        const answer = await exchange(graphql(), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: API_INFO }) });
        expect(answer.status).toBe(405);
      });
    });

    describe('an alias named __proto__', () => {
      it('is answered as any alias on the rows path (a list of plain columns)', async () => {
        // Without the jsonb `info`, a page of log lines is read as rows and written by the server.
        const logs = without(ConformanceLogsDocument, 'info');
        const answer = await postJson(graphql(), { query: print(aliased(logs, 'id', '__proto__')), variables: { limit: 2, orderBy: [{ timestamp: 'asc' }] } });
        expect(answer.status).toBe(200);
        const rows = (answer.json as Body).data?.['log'] as Record<string, unknown>[];
        expect(rows).toHaveLength(2);
        for (const row of rows) {
          expect(Object.keys(row)).toEqual(['__proto__', 'flow_run_id', 'task_run_id', 'timestamp', 'level', 'message']);
          expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toMatch(/^[0-9a-f-]{36}$/);
        }
      });

      it('is answered as any alias for a root field', async () => {
        const answer = await postJson(graphql(), { query: print(aliased(ConformanceFlowRunsDocument, 'flow_run', '__proto__')), variables: { limit: 1 } });
        expect(answer.status).toBe(200);
        const data = (answer.json as Body).data ?? {};
        expect(Object.keys(data)).toEqual(['__proto__']);
        expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toHaveLength(1);
      });
    });
  });
}
