/**
 * Flattens a selection set the way GraphQL execution does: fragments and inline fragments
 * expanded, `@skip`/`@include` applied, fields grouped by response key (alias) with their
 * sub-selections merged.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface CollectedField {
  /** The alias, or the field name when there is none: the key in the response. */
  readonly responseKey: string;
  readonly name: string;
  /** Every node merged under this response key (same field and arguments, validated). */
  readonly nodes: readonly FieldNode[];
}

export interface SelectionScope {
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
}

function included(node: FieldNode | { directives?: FieldNode['directives'] }, variables: Readonly<Record<string, unknown>>): boolean {
  const asNode = node as FieldNode;
  if (getDirectiveValues(GraphQLSkipDirective, asNode, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, asNode, variables)?.['if'] !== false;
}

/** Collects the fields selected on `typeName` by the given selection sets. */
export function collectFields(scope: SelectionScope, typeName: string, selectionSets: readonly (SelectionSetNode | undefined)[]): CollectedField[] {
  const byKey = new Map<string, { name: string; nodes: FieldNode[] }>();
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, scope.variables)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = byKey.get(key);
          if (entry === undefined) byKey.set(key, { name: selection.name.value, nodes: [selection] });
          else entry.nodes.push(selection);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition?.name.value;
          if (condition === undefined || condition === typeName) visit(selection.selectionSet);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = scope.fragments[name];
          if (visited.has(name) || fragment?.typeCondition.name.value !== typeName) break;
          visited.add(name);
          visit(fragment.selectionSet);
          break;
        }
      }
    }
  };
  for (const selectionSet of selectionSets) if (selectionSet !== undefined) visit(selectionSet);
  return [...byKey].map(([responseKey, { name, nodes }]) => ({ responseKey, name, nodes }));
}

/** The sub-selection sets of a collected field, for collecting its children. */
export function subSelections(field: CollectedField): (SelectionSetNode | undefined)[] {
  return field.nodes.map((node) => node.selectionSet);
}
