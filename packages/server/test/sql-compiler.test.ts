// The SQL the query compiler emits, without a database: representative `where`, `order_by`,
// `distinct_on`, aggregate, nested and by-primary-key selections compiled from the shipped
// documents and compared with snapshots, so a change of the emitted SQL shows in review. Every
// value is bound (never spliced into the text) and every table read is held to the tenant.
import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { describe, expect, it } from 'vitest';
import {
  ConformanceAliasedLogsDocument,
  ConformanceFlowRunCountsDocument,
  ConformanceFlowRunsDocument,
  ConformanceFlowRunTreeDocument,
  ConformanceJsonPathsDocument,
  ConformanceProjectsDocument,
  ConformanceProjectTreeDocument,
  ConformanceTaskRunAggregateDocument,
  ConformanceTaskRunsDocument,
} from '@runview/documents/conformance';
import { compileRootAnswer, compileRootField, type CompileContext, type RootFieldInfo } from '../src/graphql/execute.js';
import { buildExecutableSchema } from '../src/graphql/schema.js';
import { readSchemaSource } from '../src/graphql/schema-source.js';

const schema = buildExecutableSchema(readSchemaSource());
const TENANT = '00000000-0000-4000-8000-00000000c0de';
const RUN = '11111111-2222-4333-8444-555555555555';
const CONTEXT: CompileContext = { tenantId: TENANT, maxLimit: 100 };

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operation = getOperationAST(document);
  if (!operation) throw new TypeError('the document has no single operation');
  return operation;
}

/** The resolver info of the operation's (single) root field, with its variables coerced. */
function rootInfo(document: DocumentNode, variables: Record<string, unknown>): RootFieldInfo {
  const operation = operationOf(document);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors !== undefined) throw coerced.errors[0] ?? new TypeError('invalid variables');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const field = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD && selection.name.value !== '__typename');
  const queryType = schema.getQueryType();
  if (field?.kind !== Kind.FIELD || queryType === null || queryType === undefined) throw new TypeError('no root field');
  return { schema, fieldName: field.name.value, fieldNodes: [field], parentType: queryType, fragments, variableValues: coerced.coerced };
}

/** Compiles the root field and checks what holds for every statement: bound values, tenant held. */
function compile(
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  context: CompileContext = CONTEXT,
): { sql: string; parameters: readonly unknown[] } {
  const compiled = compileRootField(context, rootInfo(document, variables));
  expect(compiled.parameters).toContain(TENANT);
  expect(compiled.sql).not.toContain(TENANT);
  return { sql: compiled.sql, parameters: compiled.parameters };
}

/** Occurrences of `needle` in `text`. */
function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('where', () => {
  it('compiles boolean operators, comparisons, patterns, jsonb operators and a relationship filter', () => {
    const where = {
      _and: [{ state: { _in: ['Running', 'Failed'] } }, { name: { _ilike: '%leopard%' } }],
      _or: [{ labels: { _contains: ['gpu'] } }, { parameters: { _has_key: 'x' } }],
      _not: { end_time: { _is_null: false } },
      flow: { name: { _eq: 'etl' } },
    };
    const statement = compile(ConformanceFlowRunsDocument, { where });
    for (const value of ['Running', 'Failed', '%leopard%', 'etl', 'x']) {
      expect(statement.parameters).toContain(value);
      expect(statement.sql).not.toContain(`'${value}'`);
    }
    expect(statement).toMatchSnapshot();
  });

  it('holds a relationship filter to the tenant too', () => {
    const statement = compile(ConformanceFlowRunsDocument, { where: { flow: { project: { name: { _eq: 'p' } } } } });
    // flow_run, flow and project: each read is restricted to the caller's tenant.
    expect(count(statement.sql, '"tenant_id" = $')).toBe(3);
    expect(statement).toMatchSnapshot();
  });
});

describe('order_by, distinct_on, limit and offset', () => {
  it('orders by columns with null placement and by a relationship column, then pages', () => {
    const statement = compile(ConformanceFlowRunsDocument, {
      orderBy: [{ scheduled_start_time: 'desc_nulls_last' }, { flow: { name: 'asc' } }, { id: 'asc' }],
      limit: 5,
      offset: 10,
    });
    expect(statement).toMatchSnapshot();
  });

  it('takes distinct_on with the order it must lead', () => {
    const statement = compile(ConformanceFlowRunsDocument, { distinctOn: ['state'], orderBy: [{ state: 'asc' }, { start_time: 'desc' }] });
    expect(statement.sql).toContain('distinct on');
    expect(statement).toMatchSnapshot();
  });
});

describe('aggregates', () => {
  it('compiles count, count(columns) and count(columns, distinct) with nodes at the root', () => {
    const statement = compile(ConformanceTaskRunAggregateDocument, { where: { state: { _neq: 'Pending' } }, limit: 20, orderBy: [{ map_index: 'desc' }] });
    expect(statement).toMatchSnapshot();
  });

  it('compiles aggregates through relationships, one with a literal filter of its own', () => {
    const statement = compile(ConformanceFlowRunCountsDocument, { where: { state: { _eq: 'Running' } }, taskRunWhere: { map_index: { _gte: 0 } } });
    expect(statement.parameters).toContain('Failed');
    expect(statement).toMatchSnapshot();
  });
});

describe('nested selections', () => {
  it('builds three levels of relationships in one statement', () => {
    const statement = compile(ConformanceFlowRunTreeDocument, { id: RUN, taskRunLimit: 3 });
    expect(count(statement.sql.toLowerCase(), 'select ')).toBeGreaterThan(3);
    expect(statement).toMatchSnapshot();
  });

  it('filters nested lists with their own where and order', () => {
    expect(compile(ConformanceProjectTreeDocument, { where: { name: { _like: 'a%' } }, flowRunWhere: { state: { _eq: 'Success' } } })).toMatchSnapshot();
  });

  it('answers by primary key with aliases, fragments and __typename', () => {
    expect(compile(ConformanceAliasedLogsDocument, { id: RUN, limit: 2 })).toMatchSnapshot();
  });

  it('reads JSON paths of jsonb columns as bound paths', () => {
    const statement = compile(ConformanceJsonPathsDocument, { id: RUN });
    expect(statement).toMatchSnapshot();
  });
});

describe('what the compiler adds', () => {
  it('charges the rows of a list without a limit to a row budget when the request has one', () => {
    const budgeted = compile(ConformanceTaskRunsDocument, {}, { ...CONTEXT, rowBudget: 1_000 });
    const unbudgeted = compile(ConformanceTaskRunsDocument);
    expect(budgeted.sql).not.toBe(unbudgeted.sql);
    // The budget's key is unique to the process and the statement: the snapshot names it.
    const [key, ...rest] = budgeted.parameters;
    expect(key).toMatch(/^\w+\.\d+$/);
    expect({ sql: budgeted.sql, parameters: ['<statement key>', ...rest] }).toMatchSnapshot();
  });

  it('reads a list of plain columns as rows, and a nested one as JSON text, when answering without execution', () => {
    const flat = compileRootAnswer(CONTEXT, rootInfo(ConformanceProjectsDocument, { where: { name: { _neq: 'x' } } }));
    expect('rows' in flat && flat.rows.columns.map((column) => column.responseKey)).toEqual(['id', 'name']);
    expect(flat).toMatchSnapshot();
    const nested = compileRootAnswer(CONTEXT, rootInfo(ConformanceFlowRunTreeDocument, { id: RUN }));
    expect('statement' in nested && nested.statement.sql).toMatch(/^select \(.*\)::text as data$/s);
  });

  it('refuses a limit above the maximum before any SQL is built', () => {
    expect(() => compile(ConformanceFlowRunsDocument, { limit: 101 })).toThrow(/limit 101 on flow_run exceeds the maximum of 100/);
  });
});
