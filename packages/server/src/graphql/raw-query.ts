/**
 * Queries made only of table root fields are answered as Hasura answers them: the JSON that each
 * field's one SQL statement builds in the database goes into the response as text. It is never
 * parsed into objects, walked field by field by the executor and serialized again, which is where
 * most of a large answer's time went (a page of 1,000 log lines is 7,000 resolved fields). A list
 * of plain columns (a page of log lines) is read as rows and written as JSON here, which costs
 * less than PostgreSQL's JSON building.
 *
 * Everything else goes through GraphQL execution: mutations and subscriptions, introspection,
 * `api` and `hello`, an operation whose variables do not coerce, a field that does not compile
 * (both report their errors there), and an object with more fields than `json_build_object`
 * takes in selection order.
 */
import { getOperationAST, getVariableValues, Kind, OperationTypeNode, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import type { CompiledStatement } from '../db/database.js';
import { collectFields } from './compile/selection.js';
import type { RequestContext } from './context.js';
import type { FlatColumn, FlatRead } from './compile/select.js';
import { compileRootAnswer, runRootField, statementError, type CompiledRootRows, type CompileContext } from './execute.js';
import { rootFieldTable } from './metadata.js';

/**
 * One key of the response's `data`: a table field whose JSON the database builds, a list of
 * plain columns whose rows the server writes as JSON, or the root's `__typename`.
 */
type RawField =
  | { readonly responseKey: string; readonly statement: CompiledStatement }
  | { readonly responseKey: string; readonly rows: CompiledRootRows }
  | { readonly responseKey: string; readonly typename: string };

/** A query ready to be answered without execution. */
export interface RawQueryPlan {
  readonly fields: readonly RawField[];
}

export interface RawQueryRequest {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly variableValues?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The plan of a query that can be answered from the database's JSON alone, or undefined. */
export function planRawQuery(request: RawQueryRequest, ctx: CompileContext): RawQueryPlan | undefined {
  const { schema, document } = request;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  const queryType = schema.getQueryType();
  if (operation?.operation !== OperationTypeNode.QUERY || queryType === null || queryType === undefined) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variableValues ?? {});
  if (coerced.errors !== undefined) return undefined;
  const variableValues = coerced.coerced;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const fields: RawField[] = [];
  for (const field of collectFields({ fragments, variables: variableValues }, queryType.name, [operation.selectionSet])) {
    if (field.name === '__typename') {
      fields.push({ responseKey: field.responseKey, typename: queryType.name });
      continue;
    }
    if (rootFieldTable(field.name) === undefined) return undefined;
    const info = { schema, fieldName: field.name, fieldNodes: field.nodes, parentType: queryType, fragments, variableValues };
    let answer;
    try {
      answer = compileRootAnswer(ctx, info);
    } catch {
      return undefined;
    }
    if ('statement' in answer && !answer.statement.keepsFieldOrder) return undefined;
    fields.push({ responseKey: field.responseKey, ...answer });
  }
  return { fields };
}

/** PostgreSQL's text of a flat row's value as the JSON value it stands for. */
const READERS: Record<FlatRead, (text: string) => unknown> = {
  text: (text) => text,
  integer: (text) => Number(text),
  boolean: (text) => text === 't',
  json: (text) => JSON.parse(text) as unknown,
};

/**
 * A list of flat rows (values in `columns` order) as the JSON array PostgreSQL would have
 * built: objects handed to `JSON.stringify` at once, twice as fast as writing the text piece
 * by piece.
 */
export function renderRows(rows: readonly (readonly (string | null)[])[], columns: readonly FlatColumn[]): string {
  const objects = new Array<Record<string, unknown>>(rows.length);
  // An alias named `__proto__` is a key like any other only in an object without a prototype
  // (in a plain one it is the prototype's setter and vanishes); such objects are slower to
  // build, so only that case gets them.
  const newRow: () => Record<string, unknown> = columns.some(({ responseKey }) => responseKey === '__proto__')
    ? () => Object.create(null) as Record<string, unknown>
    : () => ({});
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] ?? [];
    const object = newRow();
    let valueIndex = 0;
    for (const { responseKey, value } of columns) {
      if ('typename' in value) {
        object[responseKey] = value.typename;
        continue;
      }
      const text = row[valueIndex++];
      object[responseKey] = text === null || text === undefined ? null : READERS[value.read](text);
    }
    objects[index] = object;
  }
  return JSON.stringify(objects);
}

/** What running a plan reads from the request: its database, its signal, its row budget. */
type RunContext = Pick<RequestContext, 'db' | 'signal' | 'rowBudget'>;

async function runField(field: RawField, ctx: RunContext): Promise<string> {
  if ('typename' in field) return JSON.stringify(field.typename);
  if ('rows' in field) {
    let rows;
    try {
      rows = await ctx.db.queryTextRows(field.rows, ctx.signal);
    } catch (error) {
      throw statementError(error, ctx);
    }
    return renderRows(rows, field.rows.columns);
  }
  return ((await runRootField(ctx, field.statement)) as string | null) ?? 'null';
}

/**
 * Runs a plan's statements (at once, as execution runs a query's root fields) and returns the
 * response's text, `{"data":{...}}`. Throws what a statement threw.
 */
export async function runRawQuery(plan: RawQueryPlan, ctx: RunContext): Promise<string> {
  const values = await Promise.all(plan.fields.map((field) => runField(field, ctx)));
  const members = plan.fields.map((field, index) => `${JSON.stringify(field.responseKey)}:${values[index] ?? 'null'}`);
  return `{"data":{${members.join(',')}}}`;
}
