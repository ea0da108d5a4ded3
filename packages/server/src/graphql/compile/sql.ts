/**
 * Small SQL building blocks over Kysely's `sql` template: every value is a bound parameter and
 * every identifier comes from the schema metadata or from the compiler's own alias counter.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ColumnScalar } from '../metadata.js';

export type Sql = RawBuilder<unknown>;

export const TRUE: Sql = sql`true`;
export const FALSE: Sql = sql`false`;

/** The PostgreSQL type a bound value of each column scalar is cast to. */
const CASTS: Record<ColumnScalar, string> = {
  uuid: 'uuid',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  interval: 'interval',
  Int: 'integer',
  String: 'text',
  Boolean: 'boolean',
};

/** A bound value with the cast of its column, jsonb values sent as JSON text. */
export function param(scalar: ColumnScalar, value: unknown): Sql {
  const bound = scalar === 'jsonb' ? JSON.stringify(value) : value;
  return sql`${bound}::${sql.raw(CASTS[scalar])}`;
}

/** `alias.column`. */
export function column(alias: string, name: string): Sql {
  return sql.ref(`${alias}.${name}`);
}

export function and(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0] ?? TRUE;
  return sql`(${sql.join(parts, sql` and `)})`;
}

export function or(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return FALSE;
  if (parts.length === 1) return parts[0] ?? FALSE;
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Hands out table and subquery aliases unique within one statement. */
export class AliasCounter {
  #next = 0;

  next(prefix: string): string {
    this.#next += 1;
    return `_${prefix}${this.#next}`;
  }
}

export function not(part: Sql): Sql {
  return sql`not (${part})`;
}
