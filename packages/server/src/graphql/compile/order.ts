/**
 * `order_by` (an object or a list of objects, `T_order_by`) compiled to ORDER BY terms, with
 * ordering through object relationships as correlated subqueries. Plain `asc` puts nulls last
 * and `desc` first, as PostgreSQL and Hasura do.
 */
import { sql } from 'kysely';
import { badUserInput } from '../errors.js';
import type { TableInfo } from '../metadata.js';
import type { CompileScope } from './scope.js';
import { and, column, type Sql } from './sql.js';

const DIRECTIONS: Readonly<Record<string, string>> = {
  asc: 'asc nulls last',
  asc_nulls_first: 'asc nulls first',
  asc_nulls_last: 'asc nulls last',
  desc: 'desc nulls first',
  desc_nulls_first: 'desc nulls first',
  desc_nulls_last: 'desc nulls last',
};

export interface OrderTerm {
  readonly expression: Sql;
  readonly direction: Sql;
  /** The column when the term orders by a column of the table itself (for `distinct_on`). */
  readonly column?: string;
}

function orderTerms(
  scope: CompileScope,
  table: TableInfo,
  alias: string,
  orderBy: Readonly<Record<string, unknown>>,
  wrap: (expression: Sql) => Sql,
  nested: boolean,
): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const [key, value] of Object.entries(orderBy)) {
    if (value === null || value === undefined) continue;
    if (table.columns.has(key)) {
      const direction = typeof value === 'string' ? DIRECTIONS[value] : undefined;
      if (direction === undefined) throw badUserInput(`invalid order_by value for ${table.name}.${key}`);
      terms.push({ expression: wrap(column(alias, key)), direction: sql.raw(direction), ...(nested ? {} : { column: key }) });
      continue;
    }
    const relationship = table.relationships.get(key);
    if (relationship?.kind !== 'object' || typeof value !== 'object') throw badUserInput(`cannot order ${table.name} by ${key}`);
    const target = scope.table(relationship.target);
    const inner = scope.aliases.next('o');
    const through = (expression: Sql): Sql =>
      wrap(
        sql`(select ${expression} from ${sql.table(target.name)} as ${sql.id(inner)} where ${and([
          scope.tenantCondition(inner),
          sql`${column(inner, relationship.remoteColumn)} = ${column(alias, relationship.localColumn)}`,
        ])})`,
      );
    terms.push(...orderTerms(scope, target, inner, value as Readonly<Record<string, unknown>>, through, true));
  }
  return terms;
}

/** Compiles an `order_by` argument value (null, one object, or a list of objects). */
export function compileOrderBy(scope: CompileScope, table: TableInfo, alias: string, orderBy: unknown): OrderTerm[] {
  if (orderBy === null || orderBy === undefined) return [];
  const items = Array.isArray(orderBy) ? orderBy : [orderBy];
  return items.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) throw badUserInput(`invalid order_by for ${table.name}`);
    return orderTerms(scope, table, alias, item as Readonly<Record<string, unknown>>, (expression) => expression, false);
  });
}
