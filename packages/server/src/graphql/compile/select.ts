/**
 * Selections compiled to SQL that builds the response JSON inside the database, as Hasura does:
 * one statement per root field however deep the selection, with `json_build_object` for rows,
 * `json_agg` over ordered subqueries for lists and correlated subqueries for relationships.
 * Every table access is restricted to the caller's tenant.
 */
import { GraphQLObjectType, getArgumentValues } from 'graphql';
import { sql } from 'kysely';
import { badUserInput } from '../errors.js';
import type { ColumnScalar, Relationship, TableInfo } from '../metadata.js';
import { parseJsonPath } from './json-path.js';
import { ROW_BUDGET_FUNCTION } from '../../db/row-budget.js';
import { compileOrderBy, type OrderTerm } from './order.js';
import type { CompileScope } from './scope.js';
import { collectFields, subSelections, type CollectedField } from './selection.js';
import { and, column, type Sql } from './sql.js';
import { compileWhere } from './where.js';

/** `json_build_object` takes at most 100 arguments. */
const MAX_PAIRS_PER_OBJECT = 50;

/** Where the rows of a nested field come from: the relationship and the alias of the parent row. */
interface Join {
  readonly relationship: Relationship;
  readonly parentAlias: string;
}

type Args = Readonly<Record<string, unknown>>;

/** The coerced arguments of a field selected on `typeName` (variables and defaults applied). */
export function fieldArguments(scope: CompileScope, typeName: string, field: CollectedField): Args {
  const type = scope.schema.getType(typeName);
  const node = field.nodes[0];
  const definition = type instanceof GraphQLObjectType ? type.getFields()[field.name] : undefined;
  if (definition === undefined || node === undefined) throw badUserInput(`unknown field ${typeName}.${field.name}`);
  return getArgumentValues(definition, node, scope.variables);
}

/**
 * A JSON object from key/value pairs; keys (response keys, i.e. aliases) are bound values.
 * Past 50 pairs the object is built from jsonb pieces, which sort their keys: the scope records
 * that its JSON no longer follows the selection's field order.
 */
function jsonObject(scope: CompileScope, pairs: readonly (readonly [string, Sql])[]): Sql {
  if (pairs.length === 0) return sql`json_build_object()`;
  const build = (chunk: readonly (readonly [string, Sql])[], fn: 'json_build_object' | 'jsonb_build_object'): Sql =>
    sql`${sql.raw(fn)}(${sql.join(chunk.map(([key, value]) => sql`${key}::text, ${value}`))})`;
  if (pairs.length <= MAX_PAIRS_PER_OBJECT) return build(pairs, 'json_build_object');
  scope.keepsFieldOrder = false;
  const chunks: Sql[] = [];
  for (let start = 0; start < pairs.length; start += MAX_PAIRS_PER_OBJECT) {
    chunks.push(build(pairs.slice(start, start + MAX_PAIRS_PER_OBJECT), 'jsonb_build_object'));
  }
  return sql`(${sql.join(chunks, sql` || `)})`;
}

function joinCondition(join: Join | undefined, alias: string): Sql[] {
  if (join === undefined) return [];
  return [sql`${column(alias, join.relationship.remoteColumn)} = ${column(join.parentAlias, join.relationship.localColumn)}`];
}

function nonNegativeInt(value: unknown, name: string, label: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw badUserInput(`"${name}" on ${label} must be a non-negative integer`);
  return value;
}

/** The `limit` argument, refused above the maximum. */
function limitOf(scope: CompileScope, args: Args, label: string): number | undefined {
  const limit = nonNegativeInt(args['limit'], 'limit', label);
  if (limit !== undefined && limit > scope.maxLimit) throw badUserInput(`limit ${limit} on ${label} exceeds the maximum of ${scope.maxLimit}`);
  return limit;
}

/**
 * `body` once the rows of a list (`count`) are charged against the statement's row budget:
 * past the budget the database stops the statement (see `db/row-budget.ts`).
 */
function charged(scope: CompileScope, count: Sql, body: Sql): Sql {
  const budget = scope.rowBudget;
  return budget === undefined ? body : sql`case when ${sql.raw(ROW_BUDGET_FUNCTION)}(${budget.key}::text, ${budget.rows}::bigint, ${count}) then ${body} end`;
}

/** A `T_select_column` argument (one enum value or a list) as column names. */
function columnNamesOf(value: unknown): string[] {
  const values: unknown[] = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return values.filter((item): item is string => typeof item === 'string');
}

/** Checks `distinct_on` against `order_by` as Hasura does, defaulting the order to the distinct columns. */
function distinctOrder(
  scope: CompileScope,
  table: TableInfo,
  alias: string,
  distinctOn: unknown,
  order: OrderTerm[],
): { distinct: number; order: OrderTerm[] } {
  if (distinctOn === null || distinctOn === undefined) return { distinct: 0, order };
  const columns = columnNamesOf(distinctOn);
  for (const name of columns) if (!table.columns.has(name)) throw badUserInput(`unknown distinct_on column ${name} of ${table.name}`);
  const unique = [...new Set(columns)];
  if (order.length === 0) {
    return { distinct: unique.length, order: unique.map((name) => ({ expression: column(alias, name), direction: sql.raw('asc nulls last'), column: name })) };
  }
  const leading = order.slice(0, unique.length).map((term) => term.column);
  if (leading.length < unique.length || !unique.every((name) => leading.includes(name))) {
    throw badUserInput('"distinct_on" columns must match initial "order_by" columns');
  }
  return { distinct: unique.length, order };
}

/**
 * The rows a list, aggregate or nested field reads: tenant, join, `where`, `distinct_on`,
 * `order_by`, `limit` and `offset` applied; `items` are the output columns. The order terms are
 * output as `_o0`, `_o1`, ... so the enclosing `json_agg` keeps the same order.
 */
function rowsQuery(
  scope: CompileScope,
  table: TableInfo,
  alias: string,
  args: Args,
  label: string,
  join: Join | undefined,
  items: readonly Sql[],
  defaultLimit: number | undefined,
): { query: Sql; aggregateOrder: (outer: string) => Sql } {
  const where = compileWhere(scope, table, alias, args['where']);
  const { distinct, order } = distinctOrder(scope, table, alias, args['distinct_on'], compileOrderBy(scope, table, alias, args['order_by']));
  const limit = limitOf(scope, args, label) ?? defaultLimit;
  const offset = nonNegativeInt(args['offset'], 'offset', label);
  const orderNames = order.map((_term, index) => `_o${index}`);
  const outputs = [...items, ...order.map((term, index) => sql`${term.expression} as ${sql.id(orderNames[index] ?? '')}`)];
  const select = outputs.length === 0 ? sql`1` : sql.join(outputs);
  const distinctOn = distinct > 0 ? sql`distinct on (${sql.join(orderNames.slice(0, distinct).map((name) => sql.id(name)))}) ` : sql``;
  const orderBy = order.length > 0 ? sql` order by ${sql.join(order.map((term, index) => sql`${sql.id(orderNames[index] ?? '')} ${term.direction}`))}` : sql``;
  const limitClause = limit === undefined ? sql`` : sql` limit ${limit}`;
  const offsetClause = offset === undefined ? sql`` : sql` offset ${offset}`;
  const query = sql`select ${distinctOn}${select} from ${sql.table(table.name)} as ${sql.id(alias)} where ${and([
    scope.tenantCondition(alias),
    ...joinCondition(join, alias),
    where,
  ])}${orderBy}${limitClause}${offsetClause}`;
  const aggregateOrder = (outer: string): Sql =>
    order.length === 0 ? sql`` : sql` order by ${sql.join(order.map((term, index) => sql`${column(outer, orderNames[index] ?? '')} ${term.direction}`))}`;
  return { query, aggregateOrder };
}

/** `value #> path`, the path elements bound as values. */
function jsonPath(value: Sql, path: string): Sql {
  const elements = parseJsonPath(path).map((element) => sql`${element}::text`);
  return elements.length === 0 ? value : sql`${value} #> array[${sql.join(elements)}]::text[]`;
}

/** The JSON of one row of `table` aliased `alias` with the selected fields. */
function rowJson(scope: CompileScope, table: TableInfo, alias: string, fields: readonly CollectedField[], label: string): Sql {
  const pairs: (readonly [string, Sql])[] = [];
  for (const field of fields) {
    if (field.name === '__typename') {
      pairs.push(typename(field, table.name));
      continue;
    }
    const col = table.columns.get(field.name);
    if (col !== undefined) {
      const path = col.scalar === 'jsonb' ? fieldArguments(scope, table.name, field)['path'] : undefined;
      const value = column(alias, col.name);
      pairs.push([field.responseKey, typeof path === 'string' ? jsonPath(value, path) : value]);
      continue;
    }
    const nestedLabel = `${label}.${field.name}`;
    const relationship = table.relationships.get(field.name);
    if (relationship !== undefined) {
      const join = { relationship, parentAlias: alias };
      const target = scope.table(relationship.target);
      const children = collectFields(scope, target.name, subSelections(field));
      pairs.push([
        field.responseKey,
        relationship.kind === 'object'
          ? objectJson(scope, target, children, nestedLabel, join)
          : listJson(scope, target, fieldArguments(scope, table.name, field), children, nestedLabel, join),
      ]);
      continue;
    }
    const aggregated = table.aggregateRelationships.get(field.name);
    if (aggregated !== undefined) {
      const target = scope.table(aggregated.target);
      const args = fieldArguments(scope, table.name, field);
      pairs.push([field.responseKey, aggregateJson(scope, target, args, field, nestedLabel, { relationship: aggregated, parentAlias: alias })]);
      continue;
    }
    throw badUserInput(`unknown field ${table.name}.${field.name}`);
  }
  return jsonObject(scope, pairs);
}

/**
 * `__typename` as a literal, so that the statement's JSON is the complete response of its field
 * (GraphQL execution, when it runs, answers `__typename` itself and ignores this).
 */
function typename(field: CollectedField, typeName: string): readonly [string, Sql] {
  return [field.responseKey, sql`${typeName}::text`];
}

/** An object relationship: the related row's JSON, or null. */
function objectJson(scope: CompileScope, table: TableInfo, fields: readonly CollectedField[], label: string, join: Join): Sql {
  const alias = scope.aliases.next('t');
  return sql`(select ${rowJson(scope, table, alias, fields, label)} from ${sql.table(table.name)} as ${sql.id(alias)} where ${and([
    scope.tenantCondition(alias),
    ...joinCondition(join, alias),
  ])})`;
}

/** A list field (root or array relationship): a JSON array of the selected rows, `[]` when none. */
export function listJson(scope: CompileScope, table: TableInfo, args: Args, fields: readonly CollectedField[], label: string, join?: Join): Sql {
  const alias = scope.aliases.next('t');
  const outer = scope.aliases.next('s');
  const { query, aggregateOrder } = rowsQuery(
    scope,
    table,
    alias,
    args,
    label,
    join,
    [sql`${rowJson(scope, table, alias, fields, label)} as j`],
    scope.unlimitedRows,
  );
  const list = sql`coalesce(json_agg(${column(outer, 'j')}${aggregateOrder(outer)}), '[]'::json)`;
  return sql`(select ${charged(scope, sql`count(*)`, list)} from (${query}) as ${sql.id(outer)})`;
}

/**
 * How a flat row's value is read from PostgreSQL's text: as the string itself, an integer, `t`
 * or `f`, or JSON (timestamps, which PostgreSQL renders with `to_json` as it renders them in
 * the JSON it builds); a `typename` is the literal type name, not read from the row.
 */
export type FlatRead = 'text' | 'integer' | 'boolean' | 'json';
export type FlatValue = { readonly read: FlatRead } | { readonly typename: string };

export interface FlatColumn {
  readonly responseKey: string;
  readonly value: FlatValue;
}

/** jsonb is left out: its numbers may not survive a round trip through JavaScript's. */
const FLAT_READ: Partial<Record<ColumnScalar, FlatRead>> = {
  uuid: 'text',
  String: 'text',
  interval: 'text',
  Int: 'integer',
  Boolean: 'boolean',
  timestamptz: 'json',
};

/**
 * A list field that selects plain columns only (no relationship, aggregate or jsonb) as
 * rows instead of JSON, or undefined for any other selection. PostgreSQL escapes the JSON it
 * builds one character at a time, which for a page of log lines costs several times what
 * reading the rows does; the server writes that JSON instead (`graphql/raw-query.ts`). The rows
 * query is the one `listJson` aggregates: same tenant, filter, order and limit.
 */
export function flatRows(
  scope: CompileScope,
  table: TableInfo,
  args: Args,
  fields: readonly CollectedField[],
  label: string,
): { query: Sql; columns: FlatColumn[] } | undefined {
  const alias = scope.aliases.next('t');
  const columns: FlatColumn[] = [];
  const items: Sql[] = [];
  for (const field of fields) {
    if (field.name === '__typename') {
      columns.push({ responseKey: field.responseKey, value: { typename: table.name } });
      continue;
    }
    const col = table.columns.get(field.name);
    const read = col === undefined ? undefined : FLAT_READ[col.scalar];
    if (col === undefined || read === undefined) return undefined;
    const value = column(alias, col.name);
    items.push(sql`${read === 'json' ? sql`to_json(${value})::text` : value} as ${sql.id(`_v${items.length}`)}`);
    columns.push({ responseKey: field.responseKey, value: { read } });
  }
  return { query: rowsQuery(scope, table, alias, args, label, undefined, items, scope.unlimitedRows).query, columns };
}

/** `count(columns, distinct)` over the output columns `_c…` of the rows query. */
function countExpression(outer: string, counted: readonly string[], distinct: boolean): Sql {
  if (counted.length === 0) return sql`count(*)`;
  const refs = counted.map((name) => column(outer, name));
  const notNull = and(refs.map((ref) => sql`${ref} is not null`));
  if (refs.length === 1) return distinct ? sql`count(distinct ${refs[0]})` : sql`count(${refs[0]})`;
  const row = sql`row(${sql.join(refs)})`;
  return distinct ? sql`count(distinct ${row}) filter (where ${notNull})` : sql`count(*) filter (where ${notNull})`;
}

/** A `T_aggregate` field (root or `<relationship>_aggregate`): `{ aggregate { count }, nodes }`. */
export function aggregateJson(scope: CompileScope, table: TableInfo, args: Args, field: CollectedField, label: string, join?: Join): Sql {
  const alias = scope.aliases.next('t');
  const outer = scope.aliases.next('s');
  const aggregateType = `${table.name}_aggregate`;
  const fieldsType = `${table.name}_aggregate_fields`;
  const items: Sql[] = [];
  const columnNames = new Map<string, string>();
  const countedColumn = (name: string): string => {
    let output = columnNames.get(name);
    if (output === undefined) {
      if (!table.columns.has(name)) throw badUserInput(`unknown column ${name} of ${table.name}`);
      output = `_c${columnNames.size}`;
      columnNames.set(name, output);
      items.push(sql`${column(alias, name)} as ${sql.id(output)}`);
    }
    return output;
  };
  const pairs: (readonly [string, Sql])[] = [];
  // `nodes` pairs are filled in once the rows query exists; their place keeps the selection's order.
  const nodes: { index: number; key: string; output: string; fields: CollectedField[] }[] = [];
  let counting = false;
  for (const part of collectFields(scope, aggregateType, subSelections(field))) {
    if (part.name === 'aggregate') {
      counting = true;
      const counts: (readonly [string, Sql])[] = [];
      for (const aggregate of collectFields(scope, fieldsType, subSelections(part))) {
        if (aggregate.name === '__typename') {
          counts.push(typename(aggregate, fieldsType));
          continue;
        }
        if (aggregate.name !== 'count') throw badUserInput(`unknown aggregate ${aggregate.name} of ${table.name}`);
        const countArgs = fieldArguments(scope, fieldsType, aggregate);
        counts.push([aggregate.responseKey, countExpression(outer, columnNamesOf(countArgs['columns']).map(countedColumn), countArgs['distinct'] === true)]);
      }
      pairs.push([part.responseKey, jsonObject(scope, counts)]);
    } else if (part.name === 'nodes') {
      nodes.push({ index: pairs.length, key: part.responseKey, output: `_j${nodes.length}`, fields: collectFields(scope, table.name, subSelections(part)) });
      pairs.push([part.responseKey, sql`null`]);
    } else if (part.name === '__typename') {
      pairs.push(typename(part, aggregateType));
    } else {
      throw badUserInput(`unknown field ${aggregateType}.${part.name}`);
    }
  }
  if (nodes.length > 0 && limitOf(scope, args, label) === undefined) {
    // Without a limit the count covers every row and each list of nodes is its own query,
    // read (and charged) as a list field without a limit is.
    for (const node of nodes) pairs[node.index] = [node.key, listJson(scope, table, args, node.fields, label, join)];
    if (!counting) return sql`(select ${jsonObject(scope, pairs)})`;
    const { query } = rowsQuery(scope, table, alias, args, label, join, items, undefined);
    return sql`(select ${jsonObject(scope, pairs)} from (${query}) as ${sql.id(outer)})`;
  }
  for (const node of nodes) items.push(sql`${rowJson(scope, table, alias, node.fields, label)} as ${sql.id(node.output)}`);
  const { query, aggregateOrder } = rowsQuery(scope, table, alias, args, label, join, items, undefined);
  for (const node of nodes) pairs[node.index] = [node.key, sql`coalesce(json_agg(${column(outer, node.output)}${aggregateOrder(outer)}), '[]'::json)`];
  const body = jsonObject(scope, pairs);
  return sql`(select ${nodes.length === 0 ? body : charged(scope, sql`count(*)`, body)} from (${query}) as ${sql.id(outer)})`;
}

/** A `T_by_pk` field: the row's JSON, or null when there is no such row in the caller's tenant. */
export function byPkJson(scope: CompileScope, table: TableInfo, args: Args, fields: readonly CollectedField[], label: string): Sql {
  const alias = scope.aliases.next('t');
  return sql`(select ${rowJson(scope, table, alias, fields, label)} from ${sql.table(table.name)} as ${sql.id(alias)} where ${and([
    scope.tenantCondition(alias),
    sql`${column(alias, 'id')} = ${args['id']}::uuid`,
  ])})`;
}
