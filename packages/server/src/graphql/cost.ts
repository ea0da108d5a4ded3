/**
 * The cost model: what an operation would make the server do, measured from its text and
 * variables before anything runs, and the refusal of one that exceeds a limit (`limits.ts`).
 *
 * - fields and aliases: selected fields, every fragment counted where it is spread;
 * - rows: the rows the answer may hold, each list field's `limit` (the maximum `limit` when it
 *   has none, as the compiler applies it) times the rows of the fields above it;
 * - filters: the nesting of each `where` and `order_by`, the relationships followed on its
 *   longest path (each a correlated subquery run per row of the level above, so their cost
 *   multiplies), the returns to a row's siblings on one path, and the conditions of all
 *   filters together;
 * - input depth: the nesting of every variable and argument value.
 *
 * Each fragment is measured once per request and reused wherever it is spread, so the time
 * taken is linear in the document whatever its spreads multiply to. Runs after validation: the
 * fields, arguments and fragments it meets exist and fragments do not cycle.
 */
import {
  GraphQLList,
  GraphQLNonNull,
  Kind,
  getNamedType,
  getOperationAST,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { queryTooComplex, type QueryLimits } from './limits.js';

export interface OperationCost {
  readonly fields: number;
  readonly aliases: number;
  readonly rows: number;
  readonly filterDepth: number;
  readonly filterJoins: number;
  readonly filterRevisits: number;
  readonly filterSize: number;
  readonly inputDepth: number;
  /** Root fields with a selection: one statement each. */
  readonly rootFields: number;
}

export interface CostRequest {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  /** The variables as sent (not yet coerced). */
  readonly variableValues?: unknown;
}

/** The figures of one selection set, for one row of its parent. */
interface Totals {
  fields: number;
  aliases: number;
  rows: number;
  filterDepth: number;
  filterJoins: number;
  filterRevisits: number;
  filterSize: number;
  inputDepth: number;
}

const zero = (): Totals => ({ fields: 0, aliases: 0, rows: 0, filterDepth: 0, filterJoins: 0, filterRevisits: 0, filterSize: 0, inputDepth: 0 });

/** Adds `child` (the figures of `times` rows' worth of a selection) into `into`. */
function add(into: Totals, child: Totals, times = 1): void {
  into.fields += child.fields;
  into.aliases += child.aliases;
  into.rows += times * child.rows;
  into.filterSize += child.filterSize;
  into.filterDepth = Math.max(into.filterDepth, child.filterDepth);
  into.filterJoins = Math.max(into.filterJoins, child.filterJoins);
  into.filterRevisits = Math.max(into.filterRevisits, child.filterRevisits);
  into.inputDepth = Math.max(into.inputDepth, child.inputDepth);
}

/**
 * The nesting of a JSON-like value (a scalar is 0, `{}` and `[]` are 1), without recursion so
 * that a hostile depth cannot exhaust the stack; stops counting past `stopAt`.
 */
export function valueDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > stopAt) return deepest;
    for (const item of Array.isArray(current) ? current : Object.values(current)) if (typeof item === 'object' && item !== null) pending.push([item, level]);
  }
  return deepest;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BOOLEAN_OPERATORS = new Set(['_and', '_or', '_not']);

/** Whether a relationship of a filter (a field of `T_bool_exp` or `T_order_by`) leads to many rows. */
function isArrayRelationship(schema: GraphQLSchema, filterType: GraphQLInputObjectType, key: string): boolean {
  const table = schema.getType(filterType.name.replace(/_(bool_exp|order_by)$/, ''));
  const field = isObjectType(table) ? table.getFields()[key] : undefined;
  if (field === undefined) return false;
  const type = field.type instanceof GraphQLNonNull ? field.type.ofType : field.type;
  return type instanceof GraphQLList;
}

/**
 * Adds the figures of one `where` (a `T_bool_exp` value) or `order_by` (`T_order_by` values)
 * into `totals`: its levels, the relationships on its longest path, the array relationships
 * entered after an object relationship on one path (`task_runs: {flow_run: {task_runs: …}}`:
 * back to a row's siblings, for every row, so the work grows with the square of a group), and
 * its conditions.
 */
function measureFilter(schema: GraphQLSchema, value: unknown, type: GraphQLInputObjectType, totals: Totals): void {
  interface Level {
    readonly value: Readonly<Record<string, unknown>>;
    readonly type: GraphQLInputObjectType;
    readonly depth: number;
    readonly joins: number;
    readonly revisits: number;
    /** An object relationship was followed on the way here. */
    readonly wentUp: boolean;
  }
  const pending: Level[] = [];
  const push = (item: unknown, level: Omit<Level, 'value'>): void => {
    for (const one of Array.isArray(item) ? (item as unknown[]) : [item]) if (isRecord(one)) pending.push({ ...level, value: one });
  };
  push(value, { type, depth: 1, joins: 0, revisits: 0, wentUp: false });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    totals.filterDepth = Math.max(totals.filterDepth, next.depth);
    totals.filterJoins = Math.max(totals.filterJoins, next.joins);
    totals.filterRevisits = Math.max(totals.filterRevisits, next.revisits);
    const fields = next.type.getFields();
    for (const [key, item] of Object.entries(next.value)) {
      if (item === null || item === undefined) continue;
      const field = fields[key];
      const named = field === undefined ? undefined : getNamedType(field.type);
      if (BOOLEAN_OPERATORS.has(key)) {
        totals.filterSize += 1;
        push(item, { ...next, depth: next.depth + 1 });
      } else if (isInputObjectType(named) && (named.name.endsWith('_bool_exp') || named.name.endsWith('_order_by'))) {
        // A relationship: its own filter (or ordering) one level down, on another table.
        totals.filterSize += 1;
        const many = isArrayRelationship(schema, next.type, key);
        push(item, {
          type: named,
          depth: next.depth + 1,
          joins: next.joins + 1,
          revisits: next.revisits + (many && next.wentUp ? 1 : 0),
          wentUp: next.wentUp || !many,
        });
      } else {
        // A column: each comparison operator is one condition (an ordering direction is one).
        totals.filterSize += isRecord(item) ? Math.max(1, Object.keys(item).length) : 1;
      }
    }
  }
}

class Measurer {
  readonly #fragments = new Map<string, FragmentDefinitionNode>();
  readonly #memo = new Map<string, Totals>();
  readonly #inProgress = new Set<string>();

  constructor(
    readonly schema: GraphQLSchema,
    document: DocumentNode,
    readonly variables: Readonly<Record<string, unknown>>,
    readonly maxLimit: number,
    /** What a list without a `limit` counts: it reads every row, as Hasura does. */
    readonly unlimitedRows: number,
  ) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) this.#fragments.set(definition.name.value, definition);
  }

  /** The figures of a selection set on `type`; `aggregateLimit` is the `limit` of the `T_aggregate` field it belongs to. */
  selectionSet(selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType | undefined, aggregateLimit: number): Totals {
    const totals = zero();
    if (selectionSet === undefined) return totals;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          add(totals, this.#field(selection, type, aggregateLimit));
          break;
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition === undefined ? type : this.schema.getType(selection.typeCondition.name.value);
          add(totals, this.selectionSet(selection.selectionSet, condition ?? type, aggregateLimit));
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          add(totals, this.#fragment(selection.name.value, aggregateLimit));
          break;
      }
    }
    return totals;
  }

  /** A fragment's figures, measured once per `aggregateLimit` (the only context they depend on). */
  #fragment(name: string, aggregateLimit: number): Totals {
    const key = `${name}\u0000${String(aggregateLimit)}`;
    const known = this.#memo.get(key);
    if (known !== undefined) return known;
    const fragment = this.#fragments.get(name);
    if (fragment === undefined || this.#inProgress.has(key)) return zero();
    this.#inProgress.add(key);
    const totals = this.selectionSet(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value), aggregateLimit);
    this.#inProgress.delete(key);
    this.#memo.set(key, totals);
    return totals;
  }

  /** The rows a list field reads at most: its `limit` (refused above the maximum), or all of them without one. */
  #limitOf(args: ReadonlyMap<string, unknown>): number {
    const limit = args.get('limit');
    return typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 ? Math.min(limit, this.maxLimit) : this.unlimitedRows;
  }

  #field(node: FieldNode, parentType: GraphQLNamedType | undefined, aggregateLimit: number): Totals {
    const totals = zero();
    totals.fields = 1;
    if (node.alias !== undefined) totals.aliases = 1;
    const definition: GraphQLField<unknown, unknown> | undefined =
      isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    const args = new Map<string, unknown>();
    for (const argument of node.arguments ?? []) {
      const value = valueFromASTUntyped(argument.value, this.variables);
      args.set(argument.name.value, value);
      totals.inputDepth = Math.max(totals.inputDepth, valueDepth(value));
      const argType = definition?.args.find((arg) => arg.name === argument.name.value)?.type;
      const named = argType === undefined ? undefined : getNamedType(argType);
      if (isInputObjectType(named) && (named.name.endsWith('_bool_exp') || named.name.endsWith('_order_by'))) measureFilter(this.schema, value, named, totals);
    }
    if (definition === undefined) return totals;
    const type = definition.type instanceof GraphQLNonNull ? definition.type.ofType : definition.type;
    const named = getNamedType(type);
    if (!isObjectType(named) && !isInterfaceType(named)) return totals;
    // Rows of this field per row of its parent: a list reads its limit (`nodes` its aggregate's), an object one.
    const perParent =
      type instanceof GraphQLList
        ? node.name.value === 'nodes' && parentType?.name.endsWith('_aggregate') === true
          ? aggregateLimit
          : this.#limitOf(args)
        : 1;
    const childAggregateLimit = named.name.endsWith('_aggregate') ? this.#limitOf(args) : aggregateLimit;
    const child = this.selectionSet(node.selectionSet, named, childAggregateLimit);
    // Rows are those of lists; an object adds none of its own.
    if (type instanceof GraphQLList) totals.rows = perParent;
    add(totals, child, perParent);
    return totals;
  }
}

/** The variables as sent, or `{}` for anything that is not an object (reported by execution). */
function variablesOf(value: unknown): Readonly<Record<string, unknown>> {
  return isRecord(value) ? value : {};
}

/**
 * The figures of the operation a request runs, or undefined when the document names no such
 * operation (execution reports that).
 */
export function measureOperation(request: CostRequest, maxLimit: number, unlimitedRows: number): OperationCost | undefined {
  const operation = getOperationAST(request.document, request.operationName ?? undefined);
  if (!operation) return undefined;
  const sent = variablesOf(request.variableValues);
  const variables: Record<string, unknown> = {};
  let inputDepth = 0;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const value = name in sent ? sent[name] : definition.defaultValue === undefined ? undefined : valueFromASTUntyped(definition.defaultValue);
    variables[name] = value;
    inputDepth = Math.max(inputDepth, valueDepth(value));
  }
  const rootType = request.schema.getRootType(operation.operation) ?? undefined;
  const measurer = new Measurer(request.schema, request.document, variables, maxLimit, unlimitedRows);
  const totals = measurer.selectionSet(operation.selectionSet, rootType, unlimitedRows);
  const rootFields = operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD && selection.selectionSet !== undefined).length;
  return { ...totals, inputDepth: Math.max(inputDepth, totals.inputDepth), rootFields };
}

const CHECKS: readonly (readonly [Exclude<keyof OperationCost, 'rows' | 'rootFields'>, Exclude<keyof QueryLimits, 'maxDepth' | 'maxRows'>])[] = [
  ['inputDepth', 'maxInputDepth'],
  ['filterDepth', 'maxFilterDepth'],
  ['filterJoins', 'maxFilterJoins'],
  ['filterRevisits', 'maxFilterRevisits'],
  ['filterSize', 'maxFilterSize'],
  ['fields', 'maxFields'],
  ['aliases', 'maxAliases'],
];

/** What running an operation may do: refused, or admitted (with a row budget per root field when its lists multiply past `maxRows`). */
export type Admission = { readonly refused: GraphQLError } | { readonly rowBudget?: number };

/**
 * Measures the operation a request runs against the limits. Variables nested beyond the input
 * limit are refused before anything else reads them. An operation whose lists' limits
 * multiply past `maxRows` is admitted with a row budget: each of its root fields may build
 * `maxRows` divided among them, and the database stops one that builds more
 * (`db/row-budget.ts`), since only the data tells whether the limits are reached.
 */
export function admitOperation(request: CostRequest, limits: QueryLimits, maxLimit: number): Admission {
  const sent = variablesOf(request.variableValues);
  for (const value of Object.values(sent)) {
    if (valueDepth(value, limits.maxInputDepth) > limits.maxInputDepth) return { refused: queryTooComplex('inputDepth', limits.maxInputDepth) };
  }
  // A list without a limit counts one row more than an answer may hold, so that it always
  // runs with a row budget: it answers every row, as Hasura does, or is stopped past maxRows.
  const cost = measureOperation(request, maxLimit, limits.maxRows + 1);
  if (cost === undefined) return {};
  for (const [measure, limit] of CHECKS) {
    const value = cost[measure];
    if (value > limits[limit]) return { refused: queryTooComplex(measure, limits[limit], Math.min(value, Number.MAX_SAFE_INTEGER)) };
  }
  if (cost.rows <= limits.maxRows) return {};
  return { rowBudget: Math.max(1, Math.floor(limits.maxRows / Math.max(1, cost.rootFields))) };
}
