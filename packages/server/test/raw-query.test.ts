// Queries of table fields are answered with the database's JSON as the response body, without
// GraphQL execution. The answer must be the one execution gives, value for value and key for key;
// whatever the shortcut cannot answer exactly goes through execution.
import { execute, getIntrospectionQuery, Kind, parse, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ConformanceAliasedLogsDocument,
  ConformanceFlowRunCountsDocument,
  ConformanceFlowRunsDocument,
  ConformanceFlowRunTreeDocument,
  ConformanceJsonPathsDocument,
  ConformanceLogsDocument,
  ConformanceServerInfoDocument,
  ConformanceProjectsDocument,
  ConformanceTaskRunAggregateDocument,
  ConformanceTaskRunsDocument,
  ConformanceTasksDocument,
} from '@runview/documents/conformance';
import { FlowRunLogsPageDocument } from '@runview/documents';
import { TypenameDocument } from '@runview/documents/bench';
import { SetFlowRunStatesDocument } from '@runview/documents/testing';
import { DEFAULT_MAX_LIMIT, DEFAULT_TENANT_ID } from '../src/index.js';
import { planRawQuery } from '../src/graphql/raw-query.js';
import type { RequestContext } from '../src/graphql/context.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { send } from './support/http.js';
import { useTestServer } from './support/server.js';

const context = { tenantId: DEFAULT_TENANT_ID, maxLimit: DEFAULT_MAX_LIMIT };

/**
 * ConformanceTasks with `__typename` and without its jsonb `tags`: plain columns of every other
 * scalar (uuid, text, interval, integer, boolean), nulls among them.
 */
const TASK_COLUMNS = visit(ConformanceTasksDocument, {
  Field(node): FieldNode | null | undefined {
    if (node.name.value === 'tags') return null;
    if (node.name.value !== 'task' || node.selectionSet === undefined) return undefined;
    const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
    return { ...node, selectionSet: { ...node.selectionSet, selections: [typename, ...node.selectionSet.selections] } };
  },
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`table queries answered with the database's JSON (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    /** What GraphQL execution answers for the same request, in the same tenant. */
    async function executed(document: DocumentNode, variableValues: Record<string, unknown>): Promise<unknown> {
      const contextValue: RequestContext = { ...context, db: t.server.db, events: t.server.events, canWrite: false, now: () => new Date() };
      return execute({ schema: t.server.schema, document, variableValues, contextValue });
    }

    it('answers as execution does, values and key order alike', async () => {
      const amber = t.data.runs['amber-fox'];
      const cases: [DocumentNode, Record<string, unknown>][] = [
        [ConformanceAliasedLogsDocument, { id: amber, limit: 2 }],
        [ConformanceFlowRunTreeDocument, { id: amber, taskRunLimit: 3 }],
        [ConformanceTaskRunAggregateDocument, { where: { flow_run_id: { _eq: amber } }, orderBy: [{ map_index: 'desc' }], limit: 2 }],
        [ConformanceFlowRunCountsDocument, { taskRunWhere: { map_index: { _eq: -1 } } }],
        [ConformanceJsonPathsDocument, { id: amber }],
        [ConformanceLogsDocument, { where: { flow_run_id: { _eq: amber } }, orderBy: [{ timestamp: 'asc' }] }],
        [ConformanceFlowRunsDocument, { orderBy: [{ name: 'asc' }], distinctOn: ['name'] }],
        [ConformanceTasksDocument, { orderBy: [{ name: 'desc' }] }],
        [TASK_COLUMNS, { orderBy: [{ name: 'desc' }] }],
        [ConformanceProjectsDocument, {}],
        [ConformanceLogsDocument, { where: { message: { _eq: 'no such line' } } }],
        [FlowRunLogsPageDocument, { flowRunId: amber, afterTimestamp: '2021-05-12T17:59:56.4Z', afterId: '00000000-0000-4000-8000-000000000000', limit: 10 }],
      ];
      for (const [document, variables] of cases) {
        const answer = await send(t.server, document, variables);
        expect(answer.status).toBe(200);
        expect(JSON.stringify(JSON.parse(answer.text))).toBe(JSON.stringify(await executed(document, variables)));
      }
    });

    it('keeps an unknown run a null by_pk and an empty list', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const tree = await send(t.server, ConformanceFlowRunTreeDocument, { id: unknown });
      expect(JSON.parse(tree.text)).toEqual({ data: { flow_run: [] } });
      const aliased = await send(t.server, ConformanceAliasedLogsDocument, { id: unknown, limit: 1 });
      expect(JSON.parse(aliased.text)).toEqual({ data: { run: null } });
    });

    it('leaves errors to execution, which names them', async () => {
      const tooMany = await send(t.server, ConformanceLogsDocument, { limit: DEFAULT_MAX_LIMIT + 1 });
      expect(tooMany.errors?.[0]?.message).toMatch(/exceeds the maximum/);
      expect(tooMany.errors?.[0]?.path).toEqual(['log']);
      const badUuid = await send(t.server, ConformanceAliasedLogsDocument, { id: 'not-a-uuid', limit: 1 });
      expect(badUuid.errors?.[0]?.message).toMatch(/invalid uuid/);
    });
  });
}

/** One operation selecting the root fields of every given document's first operation. */
function merged(...documents: DocumentNode[]): DocumentNode {
  const operations = documents.map((document) =>
    document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION),
  );
  const [first] = operations;
  if (first === undefined) throw new TypeError('no operation');
  const selections = operations.flatMap((operation) => operation?.selectionSet.selections ?? []);
  const variableDefinitions = operations.flatMap((operation) => operation?.variableDefinitions ?? []);
  const fragments = documents.flatMap((document) => document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION));
  const operation: OperationDefinitionNode = { ...first, variableDefinitions, selectionSet: { ...first.selectionSet, selections } };
  return { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
}

describe('which queries take the shortcut', () => {
  const t = useTestServer({ name: 'pglite', skip: false }, () => Promise.resolve(undefined));
  const plan = (document: DocumentNode, variableValues: Record<string, unknown> = {}, operationName?: string) =>
    planRawQuery({ schema: t.server.schema, document, variableValues, operationName }, context);
  const keys = (document: DocumentNode, variableValues: Record<string, unknown> = {}, operationName?: string) =>
    plan(document, variableValues, operationName)?.fields.map((field) => field.responseKey);
  const ways = (document: DocumentNode, variableValues: Record<string, unknown> = {}) =>
    plan(document, variableValues)?.fields.map((field) => ('rows' in field ? 'rows' : 'statement' in field ? 'json' : 'typename'));

  it('plans queries of table fields and the root __typename, one statement per field', () => {
    expect(keys(ConformanceAliasedLogsDocument, { id: DEFAULT_TENANT_ID, limit: 1 })).toEqual(['run']);
    expect(keys(TypenameDocument)).toEqual(['__typename']);
    expect(keys(merged(TypenameDocument, ConformanceTaskRunAggregateDocument, ConformanceLogsDocument))).toEqual(['__typename', 'task_run_aggregate', 'log']);
  });

  it('reads lists of plain columns as rows, and has the database build the JSON of the rest', () => {
    expect(ways(merged(TypenameDocument, ConformanceTaskRunAggregateDocument, TASK_COLUMNS, ConformanceProjectsDocument))).toEqual([
      'typename',
      'json',
      'rows',
      'rows',
    ]);
    expect(
      ways(FlowRunLogsPageDocument, { flowRunId: DEFAULT_TENANT_ID, afterTimestamp: '2021-05-12T17:59:56Z', afterId: DEFAULT_TENANT_ID, limit: 10 }),
    ).toEqual(['rows']);
    // A relationship (task { ... }), jsonb (log.info, task.tags), a by_pk field: the database's JSON.
    expect(ways(ConformanceTaskRunsDocument)).toEqual(['json']);
    expect(ways(ConformanceLogsDocument)).toEqual(['json']);
    expect(ways(ConformanceTasksDocument)).toEqual(['json']);
    expect(ways(ConformanceAliasedLogsDocument, { id: DEFAULT_TENANT_ID, limit: 1 })).toEqual(['json']);
    expect(ways(ConformanceJsonPathsDocument, { id: DEFAULT_TENANT_ID })).toEqual(['json']);
  });

  it('leaves everything else to execution', () => {
    expect(plan(ConformanceServerInfoDocument)).toBeUndefined();
    expect(plan(SetFlowRunStatesDocument, { input: { states: [] } })).toBeUndefined();
    expect(plan(parse(getIntrospectionQuery()))).toBeUndefined();
    expect(plan(merged(ConformanceLogsDocument, ConformanceServerInfoDocument))).toBeUndefined();
    // Variables that do not coerce, a limit over the maximum: execution reports them.
    expect(plan(ConformanceAliasedLogsDocument, { id: 'not-a-uuid', limit: 1 })).toBeUndefined();
    expect(plan(ConformanceLogsDocument, { limit: DEFAULT_MAX_LIMIT + 1 })).toBeUndefined();
    // Two operations and no name: execution says that one must be named.
    const two: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...TypenameDocument.definitions, ...ConformanceLogsDocument.definitions] };
    expect(plan(two)).toBeUndefined();
    expect(keys(two, {}, 'ConformanceLogs')).toEqual(['log']);
  });
});
