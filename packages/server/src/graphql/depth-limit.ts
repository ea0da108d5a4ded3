/**
 * Prefect Server's query depth limit (Apollo with graphql-depth-limit, depth 7): root fields
 * are at depth 0, fragments count where they are spread, introspection fields are not counted.
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export const MAX_QUERY_DEPTH = 7;

function depthOf(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, depth: number, seen: ReadonlySet<string>): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const below = selection.selectionSet === undefined ? depth : depthOf(selection.selectionSet, fragments, depth + 1, seen);
      deepest = Math.max(deepest, below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, depth, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      // A fragment cycle is reported by GraphQL's own validation.
      if (fragment === undefined || seen.has(fragment.name.value)) continue;
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, depth, new Set([...seen, fragment.name.value])));
    }
  }
  return deepest;
}

/** A validation rule refusing operations deeper than `maxDepth`. */
export function depthLimit(maxDepth = MAX_QUERY_DEPTH): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments, 0, new Set());
        if (depth > maxDepth) {
          const name = operation.name?.value ?? '';
          context.reportError(new GraphQLError(`'${name}' exceeds maximum operation depth of ${maxDepth}`, { nodes: [operation] }));
        }
      },
    };
  };
}
