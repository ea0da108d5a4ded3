/**
 * The custom scalars of the contract. Hasura's (`uuid`, `timestamptz`, `jsonb`, `interval`) and
 * the Prefect layer's (`UUID`, `DateTime`, `JSON`) validate their input here, so a bad value is
 * refused with an error naming it before any SQL runs; output passes through as the database
 * rendered it.
 */
import { isUuid } from '@runview/prefect';
import { Kind, valueFromASTUntyped, type ValueNode } from 'graphql';

type Maybe<T> = T | null | undefined;
type ObjMap<T> = Record<string, T>;
import { badUserInput } from './errors.js';
import { normalizeTimestamp } from './timestamps.js';

/** Interval text PostgreSQL accepts: `00:01:00`, `1 day 02:00:00`, `-3 hours`, `P1DT2H`. */
const INTERVAL_PATTERN = /^[\w\s:.+-]{1,100}$/;

const describe = (value: unknown): string => {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** A lower-case uuid, or a BAD_USER_INPUT error naming the value. */
export function parseUuid(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw badUserInput(`invalid uuid: ${describe(value)}`);
  return value.toLowerCase();
}

/**
 * Hasura's `_uuid`: a PostgreSQL array literal of uuids (`{id1,id2}`, elements optionally
 * quoted), as its canonical text, or a BAD_USER_INPUT error naming the value.
 */
export function parseUuidArray(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const inner = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1).trim() : undefined;
  const items = inner === undefined ? undefined : inner === '' ? [] : inner.split(',').map((item) => item.trim().replace(/^"(.*)"$/, '$1'));
  if (items?.every((item) => isUuid(item)) !== true) {
    throw badUserInput(`invalid _uuid: ${describe(value)} (expected a PostgreSQL array literal of uuids, e.g. "{id1,id2}")`);
  }
  return `{${items.map((item) => item.toLowerCase()).join(',')}}`;
}

/** A normalized timestamp (see {@link normalizeTimestamp}), or a BAD_USER_INPUT error naming the value. */
export function parseTimestamp(value: unknown): string {
  const normalized = typeof value === 'string' ? normalizeTimestamp(value) : undefined;
  if (normalized === undefined) throw badUserInput(`invalid timestamp: ${describe(value)} (expected ISO 8601, e.g. 2021-05-12T17:59:56.383629+00:00)`);
  return normalized;
}

function parseInterval(value: unknown): string {
  if (typeof value !== 'string' || !INTERVAL_PATTERN.test(value.trim())) throw badUserInput(`invalid interval: ${describe(value)}`);
  return value.trim();
}

function stringLiteral(ast: ValueNode): unknown {
  return ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast);
}

function serializeTimestamp(value: unknown): unknown {
  return value instanceof Date ? `${value.toISOString().slice(0, -1)}+00:00` : value;
}

const passThrough = (value: unknown): unknown => value;

/** The behaviour of one custom scalar: how input is validated and output rendered. */
export interface ScalarBehaviour {
  serialize(value: unknown): unknown;
  parseValue(value: unknown): unknown;
  parseLiteral(ast: ValueNode, variables?: Maybe<ObjMap<unknown>>): unknown;
}

const uuidBehaviour: ScalarBehaviour = {
  serialize: passThrough,
  parseValue: parseUuid,
  parseLiteral: (ast) => parseUuid(stringLiteral(ast)),
};

const timestampBehaviour: ScalarBehaviour = {
  serialize: serializeTimestamp,
  parseValue: parseTimestamp,
  parseLiteral: (ast) => parseTimestamp(stringLiteral(ast)),
};

/** The contract's custom scalars by name (applied to the schema built from the SDL). */
export const scalarBehaviours: Readonly<Record<string, ScalarBehaviour>> = {
  uuid: uuidBehaviour,
  UUID: uuidBehaviour,
  timestamptz: timestampBehaviour,
  DateTime: timestampBehaviour,
  interval: {
    serialize: passThrough,
    parseValue: parseInterval,
    parseLiteral: (ast) => parseInterval(stringLiteral(ast)),
  },
  _uuid: {
    serialize: passThrough,
    parseValue: parseUuidArray,
    parseLiteral: (ast) => parseUuidArray(stringLiteral(ast)),
  },
  jsonb: {
    serialize: passThrough,
    parseValue: passThrough,
    parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
  },
  // Prefect's JSON scalar reads a string literal as JSON text (Ariadne json.loads); variables carry values.
  JSON: {
    serialize: passThrough,
    parseValue: passThrough,
    parseLiteral: (ast, variables) => {
      if (ast.kind !== Kind.STRING) return valueFromASTUntyped(ast, variables);
      try {
        return JSON.parse(ast.value) as unknown;
      } catch {
        throw badUserInput(`invalid JSON: ${describe(ast.value)}`);
      }
    },
  },
};
