/**
 * Hasura's boolean expressions (`T_bool_exp`) compiled to a SQL condition. Prefect Server runs
 * Hasura with boolean null collapse, so an explicit null anywhere (`{_eq: null}`, `_and: null`,
 * `_not: null`) means "no condition"; `{}` is true, `_or: []` false. A relationship matches
 * when a related row of the caller's tenant matches (for an array relationship: any row).
 */
import { sql } from 'kysely';
import { badUserInput } from '../errors.js';
import type { Column, Relationship, TableInfo } from '../metadata.js';
import type { CompileScope } from './scope.js';
import { and, column, FALSE, not, or, param, TRUE, type Sql } from './sql.js';

type BoolExp = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is BoolExp {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function inList(target: Sql, col: Column, values: unknown[], negate: boolean): Sql {
  if (values.length === 0) return negate ? TRUE : FALSE;
  const items = sql.join(values.map((value) => param(col.scalar, value)));
  return negate ? sql`${target} not in (${items})` : sql`${target} in (${items})`;
}

const BINARY: Readonly<Record<string, string>> = {
  _eq: '=',
  _neq: '<>',
  _gt: '>',
  _gte: '>=',
  _lt: '<',
  _lte: '<=',
  _like: 'like',
  _nlike: 'not like',
  _ilike: 'ilike',
  _nilike: 'not ilike',
  _similar: 'similar to',
  _nsimilar: 'not similar to',
  _contains: '@>',
  _contained_in: '<@',
};

const PATTERN_OPERATORS = new Set(['_like', '_nlike', '_ilike', '_nilike', '_similar', '_nsimilar']);
const JSONB_OPERATORS = new Set(['_contains', '_contained_in', '_has_key', '_has_keys_any', '_has_keys_all']);

function keysArray(values: unknown[]): Sql {
  return sql`array[${sql.join(values.map((value) => sql`${value}::text`))}]::text[]`;
}

/** One operator of a `<scalar>_comparison_exp` on `col`. */
function comparison(target: Sql, col: Column, operator: string, value: unknown): Sql {
  if (operator === '_is_null') return value === true ? sql`${target} is null` : sql`${target} is not null`;
  if (operator === '_in' || operator === '_nin') return inList(target, col, list(value), operator === '_nin');
  if (JSONB_OPERATORS.has(operator) && col.scalar !== 'jsonb') throw badUserInput(`operator ${operator} applies to jsonb columns only (${col.name})`);
  if (PATTERN_OPERATORS.has(operator) && col.scalar !== 'String') throw badUserInput(`operator ${operator} applies to String columns only (${col.name})`);
  if (operator === '_has_key') return sql`jsonb_exists(${target}, ${value}::text)`;
  if (operator === '_has_keys_any') {
    const keys = list(value);
    return keys.length === 0 ? FALSE : sql`jsonb_exists_any(${target}, ${keysArray(keys)})`;
  }
  if (operator === '_has_keys_all') {
    const keys = list(value);
    return keys.length === 0 ? TRUE : sql`jsonb_exists_all(${target}, ${keysArray(keys)})`;
  }
  const binary = BINARY[operator];
  if (binary === undefined) throw badUserInput(`unknown comparison operator ${operator} on ${col.name}`);
  const bound = PATTERN_OPERATORS.has(operator) ? sql`${value}::text` : param(col.scalar, value);
  return sql`${target} ${sql.raw(binary)} ${bound}`;
}

function columnCondition(alias: string, col: Column, expression: unknown): Sql {
  if (!isObject(expression)) throw badUserInput(`expected a comparison expression for ${col.name}`);
  const target = column(alias, col.name);
  const parts: Sql[] = [];
  for (const [operator, value] of Object.entries(expression)) {
    if (value === null || value === undefined) continue;
    parts.push(comparison(target, col, operator, value));
  }
  return and(parts);
}

/** `EXISTS` a row of the relationship's target (in the caller's tenant) matching `expression`. */
function relationshipCondition(scope: CompileScope, alias: string, relationship: Relationship, expression: unknown): Sql {
  const target = scope.table(relationship.target);
  const inner = scope.aliases.next('w');
  const condition = compileWhere(scope, target, inner, expression);
  return sql`exists (select 1 from ${sql.table(target.name)} as ${sql.id(inner)} where ${and([
    scope.tenantCondition(inner),
    sql`${column(inner, relationship.remoteColumn)} = ${column(alias, relationship.localColumn)}`,
    condition,
  ])})`;
}

/** Compiles `expression` (a `T_bool_exp` value, possibly null) for rows of `table` aliased `alias`. */
export function compileWhere(scope: CompileScope, table: TableInfo, alias: string, expression: unknown): Sql {
  if (expression === null || expression === undefined) return TRUE;
  if (!isObject(expression)) throw badUserInput(`expected a ${table.name}_bool_exp object`);
  const parts: Sql[] = [];
  for (const [key, value] of Object.entries(expression)) {
    if (value === null || value === undefined) continue;
    if (key === '_and')
      parts.push(
        and(
          list(value)
            .filter((item) => item !== null)
            .map((item) => compileWhere(scope, table, alias, item)),
        ),
      );
    else if (key === '_or')
      parts.push(
        or(
          list(value)
            .filter((item) => item !== null)
            .map((item) => compileWhere(scope, table, alias, item)),
        ),
      );
    else if (key === '_not') parts.push(not(compileWhere(scope, table, alias, value)));
    else {
      const col = table.columns.get(key);
      if (col !== undefined) {
        parts.push(columnCondition(alias, col, value));
        continue;
      }
      const relationship = table.relationships.get(key);
      if (relationship === undefined) throw badUserInput(`unknown field ${key} in ${table.name}_bool_exp`);
      parts.push(relationshipCondition(scope, alias, relationship, value));
    }
  }
  return and(parts);
}
