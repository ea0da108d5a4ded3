// The Prefect 1 web UI's own requests, replayed through the real HTTP server on a loopback port
// exactly as a build of the UI sent them while its pages were opened against the demo data:
// the same headers (`X-Prefect-Tenant-ID: null` before it knows a tenant, `X-Prefect-UI`,
// `X-Backend`, the security headers it adds), the same bodies (most of them batched arrays).
// Every operation is answered; the only errors are the UI's own (queries it sends before it
// has their variables, a field named `undefined`, Cloud's concurrency pages), each answered
// as Prefect Server answers it.
import { readFileSync } from 'node:fs';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, DEMO } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { exchange, useWireServer } from './support/wire.js';

interface UiRequest {
  readonly page: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface UiOperation {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly query: string;
}

interface OperationAnswer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
}

const requests = readFileSync(new URL('fixtures/prefect-ui-requests.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as UiRequest);

/**
 * The errors the UI causes itself, by operation: it sends these before it has their variables
 * (or with a field it failed to name), and Cloud-only tables that Prefect Server lacks too.
 */
const UI_OWN_ERRORS = new Map<string, RegExp>([
  ['LastFlowRun', /^Variable "\$id" of required type "uuid!" was not provided\.$/],
  ['taskRunIds', /^Variable "\$flowRunId" of required type "uuid!" was not provided\.$/],
  ['MappedChildren', /^(Variable "\$taskRunId" of required type "UUID!" was not provided\.|Cannot query field "undefined" on type "Query"\.)$/],
  ['FlowLabelLimit', /^Cannot query field "flow_concurrency_limit" on type "Query"\./],
  ['FlowLabelUsage', /^Cannot query field "flow_concurrency" on type "Query"\./],
]);

function operationsOf(request: UiRequest): UiOperation[] {
  const body = JSON.parse(request.body) as UiOperation | UiOperation[];
  return Array.isArray(body) ? body : [body];
}

function rootFields(operation: UiOperation): string[] {
  return parse(operation.query)
    .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .flatMap((definition) =>
      definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.alias?.value ?? selection.name.value] : [])),
    );
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`the Prefect 1 UI's requests on the wire (${backend.name})`, () => {
    const wire = useWireServer(backend, { seed: 'demo' });
    const replayed: { request: UiRequest; operation: UiOperation; answer: OperationAnswer; status: number }[] = [];

    it('answers every recorded request, batches with a batch in the same order', async () => {
      expect(requests.length).toBeGreaterThan(100);
      expect(requests.filter((request) => request.body.startsWith('[')).length).toBeGreaterThan(50);
      expect(requests.filter((request) => request.headers['x-prefect-tenant-id'] === 'null').length).toBeGreaterThan(10);
      for (const request of requests) {
        const answer = await exchange(`${wire.origin}/graphql`, { method: 'POST', headers: request.headers, body: request.body });
        const operations = operationsOf(request);
        const batched = request.body.startsWith('[');
        if (batched) {
          expect(answer.status, request.page).toBe(200);
          expect(Array.isArray(answer.json), request.page).toBe(true);
        }
        const answers = batched ? (answer.json as OperationAnswer[]) : [answer.json as OperationAnswer];
        expect(answers, request.page).toHaveLength(operations.length);
        operations.forEach((operation, index) => {
          replayed.push({ request, operation, answer: answers[index] ?? {}, status: answer.status });
        });
      }
      expect(replayed.length).toBeGreaterThan(200);
    });

    it('answers each operation with data for every root field, or with the error the UI caused itself', () => {
      const unexpected: string[] = [];
      for (const { request, operation, answer, status } of replayed) {
        const own = UI_OWN_ERRORS.get(operation.operationName);
        if (answer.errors !== undefined) {
          const message = answer.errors[0]?.message ?? '';
          if (!own?.test(message)) unexpected.push(`${request.page} ${operation.operationName}: ${message}`);
          // A request that ran nothing is a 400 alone, and a member of a 200 batch.
          expect(status === 400 || request.body.startsWith('['), operation.operationName).toBe(true);
          continue;
        }
        expect(status, operation.operationName).toBe(200);
        for (const field of rootFields(operation)) {
          if (field === '__typename') continue;
          expect(answer.data?.[field], `${request.page} ${operation.operationName}.${field}`).not.toBeUndefined();
        }
      }
      expect(unexpected).toEqual([]);
    });

    it('gives the UI what it reads on start: the default tenant and a Server backend, whatever the tenant header says', () => {
      const tenants = replayed.filter(({ operation, request }) => operation.operationName === 'Tenants' && request.headers['x-prefect-tenant-id'] === 'null');
      expect(tenants.length).toBeGreaterThan(0);
      for (const { answer } of tenants) {
        expect(answer.data?.['tenant']).toEqual([expect.objectContaining({ id: DEFAULT_TENANT_ID, slug: 'default', name: 'default' })]);
      }
      const api = replayed.find(({ operation }) => operation.operationName === 'Api');
      expect(api?.answer.data?.['api']).toMatchObject({ backend: 'SERVER' });
    });

    it("serves the task run pages' upstream and downstream edges and the mapped runs' summaries", () => {
      const withEdges = replayed.filter(({ operation }) => operation.query.includes('upstream_edges') && operation.query.includes('downstream_edges'));
      expect(withEdges.length).toBeGreaterThan(0);
      for (const { answer } of withEdges) expect(answer.errors).toBeUndefined();
      const edgesOfEtl = JSON.stringify(withEdges.map(({ answer }) => answer.data));
      // The demo's etl flow: extract feeds the mapped transform, which feeds load.
      expect(edgesOfEtl).toContain(DEMO.etl.taskIds['transform-1']);
      const summaries = replayed
        .filter(({ operation, answer }) => operation.operationName === 'MappedChildren' && answer.errors === undefined)
        .flatMap(({ answer }) => Object.values(answer.data ?? {}) as { state_counts: Record<string, number> }[]);
      expect(summaries.length).toBeGreaterThan(0);
      // The demo's mapped run: 50 children, counted by state.
      const counted = summaries.map((summary) => Object.values(summary.state_counts).reduce((sum, count) => sum + count, 0));
      expect(counted).toContain(50);
    });

    it('counts unread notifications as a number, where the bell read NaN before', () => {
      const unread = replayed.filter(({ operation }) => operation.operationName === 'NotificationsCountUnread');
      expect(unread.length).toBeGreaterThan(0);
      for (const { answer } of unread) {
        expect(JSON.stringify(answer.data)).toMatch(/"count":\d+/);
      }
    });
  });
}
