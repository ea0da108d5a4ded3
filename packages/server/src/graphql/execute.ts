/**
 * Runs one table root field (`T`, `T_by_pk`, `T_aggregate`) as one SQL statement and returns
 * its JSON, keyed by response key (alias). Query resolvers call it; a subscription resolver can
 * call it again with the same `info` whenever a change event touches the field's tables.
 */
import { sql } from 'kysely';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { CompiledStatement } from '../db/database.js';
import { sqlCompiler } from './compile/compiler.js';
import { isRowBudgetError, rowBudget } from '../db/row-budget.js';
import { aggregateJson, byPkJson, fieldArguments, flatRows, listJson, type FlatColumn } from './compile/select.js';
import { CompileScope } from './compile/scope.js';
import { collectFields, subSelections, type CollectedField } from './compile/selection.js';
import type { RequestContext } from './context.js';
import { badUserInput, databaseError } from './errors.js';
import { queryTooComplex } from './limits.js';
import { buildMetadata, rootFieldTable, type Metadata } from './metadata.js';

const metadataBySchema = new WeakMap<GraphQLSchema, Metadata>();

/** The tables behind a schema, built once per schema. */
export function metadataOf(schema: GraphQLSchema): Metadata {
  let metadata = metadataBySchema.get(schema);
  if (metadata === undefined) {
    metadata = buildMetadata(schema);
    metadataBySchema.set(schema, metadata);
  }
  return metadata;
}

/** The part of the resolver info the compiler reads (a subscription can pass its own). */
export type RootFieldInfo = Pick<GraphQLResolveInfo, 'schema' | 'fieldName' | 'fieldNodes' | 'parentType' | 'fragments' | 'variableValues'>;

/** PostgreSQL's wire protocol numbers bound values with 16 bits. */
export const MAX_BOUND_VALUES = 65_535;

/** A root field's statement, and whether its JSON keeps every object's fields in selection order. */
export interface CompiledRootField extends CompiledStatement {
  readonly keepsFieldOrder: boolean;
}

/** What the compiler reads from the request. */
export type CompileContext = Pick<RequestContext, 'tenantId' | 'maxLimit' | 'rowBudget'>;

/** What compiling a table root field starts from. */
function rootField(ctx: CompileContext, info: RootFieldInfo) {
  const root = rootFieldTable(info.fieldName);
  if (root === undefined) throw badUserInput(`${info.fieldName} is not a table field`);
  const budget = ctx.rowBudget === undefined ? undefined : rowBudget(ctx.rowBudget);
  const scope = new CompileScope(info.schema, metadataOf(info.schema), ctx.tenantId, ctx.maxLimit, info.fragments, info.variableValues, budget);
  const field: CollectedField = { responseKey: info.fieldName, name: info.fieldName, nodes: info.fieldNodes };
  return { kind: root.kind, scope, table: scope.table(root.table), field, args: fieldArguments(scope, info.parentType.name, field) };
}

type RootField = ReturnType<typeof rootField>;

/** The statement whose single row has the field's JSON in `data`, as `json` or as its text. */
function jsonStatement({ kind, scope, table, field, args }: RootField, info: RootFieldInfo, asText: boolean): CompiledRootField {
  let data;
  switch (kind) {
    case 'list':
      data = listJson(scope, table, args, collectFields(scope, table.name, subSelections(field)), info.fieldName);
      break;
    case 'by_pk':
      data = byPkJson(scope, table, args, collectFields(scope, table.name, subSelections(field)), info.fieldName);
      break;
    case 'aggregate':
      data = aggregateJson(scope, table, args, field, info.fieldName);
      break;
  }
  const compiled = (asText ? sql`select (${data})::text as data` : sql`select ${data} as data`).compile(sqlCompiler);
  if (compiled.parameters.length > MAX_BOUND_VALUES) {
    throw badUserInput(`${info.fieldName} has ${compiled.parameters.length} values to compare, more than the ${MAX_BOUND_VALUES} a query can take`);
  }
  return { sql: compiled.sql, parameters: compiled.parameters, keepsFieldOrder: scope.keepsFieldOrder };
}

/**
 * Compiles a table root field to one SQL statement whose single row has the JSON in `data`
 * (parsed by the driver).
 */
export function compileRootField(ctx: CompileContext, info: RootFieldInfo): CompiledRootField {
  return jsonStatement(rootField(ctx, info), info, false);
}

/** A list root field of plain columns as a rows statement, and how each row's values go into JSON. */
export interface CompiledRootRows extends CompiledStatement {
  readonly columns: readonly FlatColumn[];
}

/**
 * Compiles a table root field for an answer written without execution: a list that selects
 * plain columns only as a statement returning its rows (values first, in `columns` order),
 * any other field as the statement of its JSON as text, ready to be sent as is.
 */
export function compileRootAnswer(ctx: CompileContext, info: RootFieldInfo): { readonly rows: CompiledRootRows } | { readonly statement: CompiledRootField } {
  const root = rootField(ctx, info);
  // A budgeted statement charges its rows as it builds its JSON, and the database refuses it
  // without sending a row: no rows path for it (reading a budget's worth of rows into the
  // process only to refuse them would hold the event loop).
  const rows =
    root.kind === 'list' && root.scope.rowBudget === undefined
      ? flatRows(root.scope, root.table, root.args, collectFields(root.scope, root.table.name, subSelections(root.field)), info.fieldName)
      : undefined;
  if (rows !== undefined) {
    const compiled = rows.query.compile(sqlCompiler);
    if (compiled.parameters.length <= MAX_BOUND_VALUES) return { rows: { sql: compiled.sql, parameters: compiled.parameters, columns: rows.columns } };
  }
  return { statement: jsonStatement(root, info, true) };
}

/**
 * A failed statement as the caller's error: the row budget spent (QUERY_TOO_COMPLEX, with the
 * budget), or what {@link databaseError} recognizes; anything else unchanged.
 */
export function statementError(error: unknown, ctx: Pick<RequestContext, 'rowBudget'>): unknown {
  if (isRowBudgetError(error)) return queryTooComplex('rows', ctx.rowBudget ?? 0);
  return databaseError(error) ?? error;
}

/** Runs a compiled root field: its `data`, a failure reported as {@link statementError} says. */
export async function runRootField(ctx: Pick<RequestContext, 'db' | 'signal' | 'rowBudget'>, statement: CompiledStatement): Promise<unknown> {
  try {
    const rows = await ctx.db.query<{ data: unknown }>(statement, ctx.signal);
    return rows[0]?.data ?? null;
  } catch (error) {
    throw statementError(error, ctx);
  }
}

/** Runs a table root field and returns its JSON (null for a `T_by_pk` that matches no row). */
export async function executeRootField(ctx: RequestContext, info: RootFieldInfo): Promise<unknown> {
  return runRootField(ctx, compileRootField(ctx, info));
}
