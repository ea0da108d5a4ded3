/**
 * Hostile operation shapes built as syntax trees (no GraphQL text in the code base): fields
 * nested through relationships, fragments that spread the next one twice, many aliases of one
 * selection. Sizes are parameters, so a test sends the size an attacker would.
 */
import {
  Kind,
  OperationTypeNode,
  print,
  stripIgnoredCharacters,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type ValueNode,
} from 'graphql';

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/** A JavaScript value as a GraphQL literal (strings stay strings: no enum values). */
export function literal(value: unknown): ValueNode {
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: Kind.INT, value: String(value) } : { kind: Kind.FLOAT, value: String(value) };
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'string') return { kind: Kind.STRING, value };
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map(literal) };
  return {
    kind: Kind.OBJECT,
    fields: Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ kind: Kind.OBJECT_FIELD, name: name(key), value: literal(item) })),
  };
}

export function field(
  fieldName: string,
  options: { alias?: string; limit?: number; where?: Record<string, unknown>; selections?: readonly SelectionNode[] } = {},
): FieldNode {
  const args = [
    ...(options.limit === undefined ? [] : [{ kind: Kind.ARGUMENT, name: name('limit'), value: literal(options.limit) } as const]),
    ...(options.where === undefined ? [] : [{ kind: Kind.ARGUMENT, name: name('where'), value: literal(options.where) } as const]),
  ];
  return {
    kind: Kind.FIELD,
    name: name(fieldName),
    ...(options.alias === undefined ? {} : { alias: name(options.alias) }),
    ...(args.length === 0 ? {} : { arguments: args }),
    ...(options.selections === undefined ? {} : { selectionSet: { kind: Kind.SELECTION_SET, selections: options.selections } }),
  };
}

export function spread(fragmentName: string): SelectionNode {
  return { kind: Kind.FRAGMENT_SPREAD, name: name(fragmentName) };
}

function fragment(fragmentName: string, typeName: string, selections: readonly SelectionNode[]): FragmentDefinitionNode {
  return {
    kind: Kind.FRAGMENT_DEFINITION,
    name: name(fragmentName),
    typeCondition: { kind: Kind.NAMED_TYPE, name: name(typeName) },
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
}

/** A query document of `selections` and `fragments`. */
export function queryOf(
  selections: readonly SelectionNode[],
  fragments: readonly FragmentDefinitionNode[] = [],
  operation = OperationTypeNode.QUERY,
): DocumentNode {
  return {
    kind: Kind.DOCUMENT,
    definitions: [{ kind: Kind.OPERATION_DEFINITION, operation, name: name('Shape'), selectionSet: { kind: Kind.SELECTION_SET, selections } }, ...fragments],
  };
}

/** A subscription document of `selections`. */
export function subscriptionOf(selections: readonly SelectionNode[]): DocumentNode {
  return queryOf(selections, [], OperationTypeNode.SUBSCRIPTION);
}

/** `flow_run { task_runs { flow_run { task_runs { … id } } } }`: `levels` relationships below the root list. */
export function runTaskRunChain(levels: number, leaf: readonly SelectionNode[] = [field('id')]): FieldNode {
  let inner: readonly SelectionNode[] = leaf;
  for (let level = levels; level >= 1; level -= 1) inner = [field('id'), field(level % 2 === 1 ? 'task_runs' : 'flow_run', { selections: inner })];
  return field('flow_run', { selections: inner });
}

/**
 * `aliases` aliases of one root list whose selection goes `levels` relationships deep through
 * a chain of fragments (each level a fragment spreading the next).
 */
export function aliasesThroughFragments(aliases: number, levels: number): DocumentNode {
  const fragments: FragmentDefinitionNode[] = [];
  for (let level = 1; level <= levels; level += 1) {
    const onRun = level % 2 === 1;
    const next =
      level === levels ? [field('id')] : [field('id'), field(onRun ? 'task_runs' : 'flow_run', { selections: [spread(`Level${String(level + 1)}`)] })];
    fragments.push(fragment(`Level${String(level)}`, onRun ? 'flow_run' : 'task_run', next));
  }
  const roots = Array.from({ length: aliases }, (_, index) => field('flow_run', { alias: `a${String(index)}`, selections: [spread('Level1')] }));
  return queryOf(roots, fragments);
}

/** `count` fragments on flow_run, each spreading the next twice (the text grows linearly, the expansion doubles). */
export function doublingFragments(count: number): DocumentNode {
  const fragments = Array.from({ length: count }, (_, index) =>
    fragment(
      `F${String(index)}`,
      'flow_run',
      index === count - 1 ? [field('id'), field('name')] : [field('id'), spread(`F${String(index + 1)}`), spread(`F${String(index + 1)}`)],
    ),
  );
  return queryOf([field('flow_run', { limit: 1, selections: [spread('F0')] })], fragments);
}

/** `depth` aliased selections nested in one another (`a0: flow_run { a1: flow_run { … } }`). */
export function nestedAliases(depth: number): DocumentNode {
  let inner: FieldNode = field('id');
  for (let level = depth - 1; level >= 0; level -= 1) inner = field('flow_run', { alias: `a${String(level)}`, selections: [inner] });
  return queryOf([inner]);
}

/** A document's text, compact, as a client would send it. */
export const text = (document: DocumentNode): string => stripIgnoredCharacters(print(document));

/** A value nested `depth` levels (`{a: {a: … 1}}`) as JSON text, built without recursion. */
export function nestedJsonText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `{_not: {_not: … {id: {_is_null: false}}}}`, `depth` levels, as a value. */
export function nestedNot(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { id: { _is_null: false } };
  for (let level = 0; level < depth; level += 1) value = { _not: value };
  return value;
}

/** Relationship filters alternating `task_runs` and `flow_run`, `levels` deep, on flow_run. */
export function nestedRunFilter(levels: number, leaf: Record<string, unknown> = { state: { _eq: 'Nope' } }): Record<string, unknown> {
  let value = leaf;
  for (let level = levels; level >= 1; level -= 1) value = { [level % 2 === 1 ? 'task_runs' : 'flow_run']: value };
  return value;
}
