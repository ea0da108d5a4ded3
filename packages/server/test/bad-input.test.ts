// Bad input gets a GraphQL error that says what was wrong, never a crash, a 500 or a stack
// trace: malformed JSON and GraphQL, operations deeper than 7, bodies over 5 MB, limits above
// the maximum, invalid uuids, timestamps, intervals, patterns and paths, unknown fields.
import { Kind, OperationTypeNode, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ConformanceFlowRunByPkDocument,
  ConformanceFlowRunTreeDocument,
  ConformanceFlowRunsDocument,
  ConformanceInvalidUuidLiteralDocument,
  ConformanceTasksDocument,
} from '@runview/documents/conformance';
import { DEFAULT_MAX_LIMIT, DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS, startTestServer } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { ENDPOINT, postRaw, send, type Answer, type TypedDocument } from './support/http.js';
import { useTestServer } from './support/server.js';

/** What must never reach a client: stack frames and source paths. */
function expectNoInternals(answer: Answer<unknown>): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).not.toMatch(/\n\s+at |at \S+ \(.*:\d+:\d+\)|node_modules|\.ts:\d+/);
}

/** `flow_run { flow { flow_runs { flow { ... { id } } } } }` with the leaf `id` at `depth`. */
function nestedRunsDocument(depth: number): DocumentNode {
  const field = (name: string, inner?: FieldNode): FieldNode => ({
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(inner === undefined ? {} : { selectionSet: { kind: Kind.SELECTION_SET, selections: [inner] } }),
  });
  let node = field('id');
  for (let level = depth - 1; level >= 0; level -= 1) node = field(level === 0 ? 'flow_run' : level % 2 === 1 ? 'flow' : 'flow_runs', node);
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: { kind: Kind.NAME, value: `Depth${depth}` },
    selectionSet: { kind: Kind.SELECTION_SET, selections: [node] },
  };
  return { kind: Kind.DOCUMENT, definitions: [operation] };
}

/** The document with one field renamed, to ask for a field the schema does not have. */
function renameField<R, V>(document: TypedDocument<R, V>, from: string, to: string): TypedDocument<R, V> {
  return visit(document, { Field: (node) => (node.name.value === from ? { ...node, name: { ...node.name, value: to } } : undefined) });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`bad input (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    it('answers malformed JSON with HTTP 400 and a GraphQL error', async () => {
      const answer = await postRaw(t.server, '{"query": ');
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]?.message).toMatch(/invalid JSON/i);
      expectNoInternals(answer);
    });

    it('answers malformed GraphQL with HTTP 400 and the syntax error', async () => {
      const answer = await postRaw(t.server, JSON.stringify({ query: '{ flow_run { id ' }));
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error/) as unknown, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      expectNoInternals(answer);
      const missing = await postRaw(t.server, JSON.stringify({ variables: {} }));
      expect(missing.status).toBe(400);
      expectNoInternals(missing);
    });

    it('refuses an unknown field with HTTP 400, naming it', async () => {
      const answer = await send(t.server, renameField(ConformanceFlowRunByPkDocument, 'state', 'status'), { id: DEFAULT_TENANT_ID });
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]).toMatchObject({
        message: expect.stringContaining('Cannot query field "status" on type "flow_run"') as unknown,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expectNoInternals(answer);
    });

    it('allows depth 7 and refuses depth 8', async () => {
      const seven = await send(t.server, nestedRunsDocument(7));
      expect(seven.errors).toBeUndefined();
      expect(seven.status).toBe(200);
      const eight = await send(t.server, nestedRunsDocument(8));
      expect(eight.status).toBe(400);
      expect(eight.errors?.[0]?.message).toBe("'Depth8' exceeds maximum operation depth of 7");
      expectNoInternals(eight);
    });

    it('refuses a body over 5 MB with 413, declared or streamed', async () => {
      const body = JSON.stringify({ query: '{ hello }', variables: { padding: 'x'.repeat(6 * 1024 * 1024) } });
      const declared = await postRaw(t.server, body);
      expect(declared.status).toBe(413);
      expect(declared.errors?.[0]?.message).toMatch(/exceeds the limit of 5 MB/);
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 256 * 1024) controller.enqueue(bytes.slice(offset, offset + 256 * 1024));
          controller.close();
        },
      });
      const response = await t.server.fetch(
        new Request(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
      );
      expect(response.status).toBe(413);
      // The server still answers afterwards.
      expect((await send(t.server, ConformanceFlowRunsDocument, { limit: 1 })).data?.flow_run).toHaveLength(1);
    });

    it('refuses a limit above the maximum, naming the field and the maximum', async () => {
      const root = await send(t.server, ConformanceFlowRunsDocument, { limit: DEFAULT_MAX_LIMIT + 1 });
      expect(root.errors?.[0]).toMatchObject({
        message: `limit ${DEFAULT_MAX_LIMIT + 1} on flow_run exceeds the maximum of ${DEFAULT_MAX_LIMIT}`,
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const nested = await send(t.server, ConformanceFlowRunTreeDocument, { id: DEFAULT_TENANT_ID, taskRunLimit: 123_456 });
      expect(nested.errors?.[0]?.message).toBe(`limit 123456 on flow_run.task_runs exceeds the maximum of ${DEFAULT_MAX_LIMIT}`);
      const negative = await send(t.server, ConformanceFlowRunsDocument, { offset: -1 });
      expect(negative.errors?.[0]?.message).toBe('"offset" on flow_run must be a non-negative integer');
      for (const answer of [root, nested, negative]) expectNoInternals(answer);
    });

    it('refuses an invalid uuid anywhere, naming the value', async () => {
      const variable = await send(t.server, ConformanceFlowRunByPkDocument, { id: 'abc' });
      expect(variable.errors?.[0]?.message).toContain('invalid uuid: "abc"');
      const literal = await send(t.server, ConformanceInvalidUuidLiteralDocument);
      expect(literal.errors?.[0]?.message).toContain('invalid uuid: "not-a-uuid"');
      const inWhere = await send(t.server, ConformanceFlowRunsDocument, { where: { flow: { id: { _in: [DEFAULT_TENANT_ID, '4c0101af-zzzz'] } } } });
      expect(inWhere.errors?.[0]?.message).toContain('invalid uuid: "4c0101af-zzzz"');
      for (const answer of [variable, literal, inWhere]) {
        expect(answer.data ?? null).toBeNull();
        expectNoInternals(answer);
      }
    });

    it('refuses more values than PostgreSQL can bind, saying so', async () => {
      const ids = Array.from({ length: 70_000 }, (_, index) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`);
      const answer = await send(t.server, ConformanceFlowRunsDocument, { where: { id: { _in: ids } } });
      expect(answer.errors?.[0]).toMatchObject({
        message: expect.stringContaining('more than the 65535 a query can take') as unknown,
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expectNoInternals(answer);
    });

    it('refuses invalid timestamps, intervals and patterns with a clear error', async () => {
      const timestamp = await send(t.server, ConformanceFlowRunsDocument, { where: { start_time: { _gt: 'yesterday' } } });
      expect(timestamp.errors?.[0]?.message).toContain('invalid timestamp: "yesterday"');
      const impossible = await send(t.server, ConformanceFlowRunsDocument, { where: { start_time: { _gt: '2021-02-30T00:00:00Z' } } });
      expect(impossible.errors?.[0]?.message).toContain('invalid timestamp: "2021-02-30T00:00:00Z"');
      const interval = await send(t.server, ConformanceTasksDocument, { where: { retry_delay: { _gt: 'soon' } } });
      expect(interval.errors?.[0]).toMatchObject({ message: expect.stringContaining('"soon"') as unknown, extensions: { code: 'BAD_USER_INPUT' } });
      const pattern = await send(t.server, ConformanceFlowRunsDocument, { where: { name: { _similar: '(unclosed' } } });
      expect(pattern.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      for (const answer of [timestamp, impossible, interval, pattern]) expectNoInternals(answer);
    });
  });
}

describe('unexpected failures', () => {
  it('are masked: a generic message, no stack, no SQL', async () => {
    const test = await startTestServer({ name: 'pglite', skip: false });
    await test.server.db.close();
    const answer = await send(test.server, ConformanceFlowRunsDocument, {});
    expect(answer.errors?.[0]?.message).toBe('Unexpected error.');
    expect(answer.text).not.toMatch(/select|json_build_object|\n\s+at /i);
    await test.close();
  });
});
