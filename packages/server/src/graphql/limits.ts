/**
 * The limits every operation is measured against before anything runs, on HTTP and WebSocket
 * alike, and the error that refuses one. Each limit is one measure of the operation (see
 * `cost.ts`); the defaults admit every query Prefect Core 1.4.1, the Prefect UI and runview's
 * own documents send, with room to spare.
 */
import { GraphQLError } from 'graphql';

export interface QueryLimits {
  /** Selection depth, Prefect Server's rule (root fields at 0, fragments where spread). */
  readonly maxDepth: number;
  /** Fields selected, every fragment counted where it is spread. */
  readonly maxFields: number;
  /** Aliased fields, counted the same way. */
  readonly maxAliases: number;
  /**
   * Rows the answer may hold at most: each list field counts its `limit` (the maximum `limit`
   * when it has none) times the rows of the fields above it.
   */
  readonly maxRows: number;
  /** Nesting of one `where` (or `order_by`): each relationship and each `_and`/`_or`/`_not` is a level. */
  readonly maxFilterDepth: number;
  /**
   * Relationships followed inside one `where`, on its longest path: each is a correlated
   * subquery run once per row of the level above, so their cost multiplies.
   */
  readonly maxFilterJoins: number;
  /**
   * Array relationships entered after an object relationship on one path of a filter
   * (`task_runs: {flow_run: {task_runs: …}}`): each reads a whole group of rows again for every
   * row, so the work grows with the square of the data. None by default.
   */
  readonly maxFilterRevisits: number;
  /** Conditions in all filters of the operation together (comparisons, relationships, `_and`/`_or`/`_not`). */
  readonly maxFilterSize: number;
  /** Nesting of any input value: a variable's JSON or a literal (a jsonb value nested 5,000 levels). */
  readonly maxInputDepth: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 7,
  maxFields: 1_000,
  maxAliases: 200,
  maxRows: 100_000,
  maxFilterDepth: 16,
  maxFilterJoins: 4,
  maxFilterRevisits: 0,
  maxFilterSize: 1_000,
  maxInputDepth: 100,
};

/**
 * Query text nested deeper than this (brackets, braces and parentheses) is refused before it is
 * parsed: GraphQL's parser recurses once per level and would exhaust the stack first.
 */
export const MAX_SOURCE_NESTING = 256;

/** The measures an operation is refused for, named as in `extensions.measure`. */
export type Measure =
  'depth' | 'fields' | 'aliases' | 'rows' | 'filterDepth' | 'filterJoins' | 'filterRevisits' | 'filterSize' | 'inputDepth' | 'sourceNesting';

/** The code of every refusal by the limits. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

const WHAT: Record<Measure, string> = {
  depth: 'is nested',
  fields: 'selects',
  aliases: 'has',
  rows: 'could return',
  filterDepth: 'has a filter nested',
  filterJoins: 'has a filter that follows',
  filterRevisits: 'has a filter that returns to the rows it came from through',
  filterSize: 'has filters with',
  inputDepth: 'has an input value nested',
  sourceNesting: 'has text nested',
};

const UNIT: Record<Measure, string> = {
  depth: 'levels',
  fields: 'fields',
  aliases: 'aliases',
  rows: 'rows',
  filterDepth: 'levels',
  filterJoins: 'relationships',
  filterRevisits: 'relationships',
  filterSize: 'conditions',
  inputDepth: 'levels',
  sourceNesting: 'levels',
};

const number = (value: number): string => value.toLocaleString('en-US');

/**
 * The refusal of an operation that exceeds a limit: `extensions` carry the code, the measure,
 * the operation's figure (`value`; absent when counting stopped at the limit) and the `limit`.
 */
export function queryTooComplex(measure: Measure, limit: number, value?: number): GraphQLError {
  const figure = value === undefined ? `more than ${number(limit)}` : number(value);
  const message = `The operation ${WHAT[measure]} ${figure} ${UNIT[measure]}${value === undefined ? '' : `, more than the limit of ${number(limit)}`}.`;
  return new GraphQLError(message, { extensions: { code: QUERY_TOO_COMPLEX, measure, limit, ...(value === undefined ? {} : { value }) } });
}

/** The limits with `overrides` applied, each checked to be a whole number (0 allows none). */
export function resolveQueryLimits(overrides: Partial<QueryLimits> = {}): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  return limits;
}
