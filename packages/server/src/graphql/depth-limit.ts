/**
 * Prefect Server's query depth limit (Apollo with graphql-depth-limit, depth 7): root fields
 * are at depth 0, fragments count where they are spread, introspection fields are not counted.
 * Each fragment's own depth is measured once and added where it is spread, so the rule takes
 * time linear in the document (measured at every spread, 22 fragments each spreading the next
 * twice took seconds, and each one more doubled it).
 */
import { GraphQLError, Kind, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { DEFAULT_QUERY_LIMITS } from './limits.js';

export const MAX_QUERY_DEPTH = DEFAULT_QUERY_LIMITS.maxDepth;

/** The depth of the deepest field below a selection set, relative to it (its own fields are at 0). */
class DepthMeasurer {
  readonly #fragments = new Map<string, FragmentDefinitionNode>();
  readonly #memo = new Map<string, number>();
  readonly #inProgress = new Set<string>();

  constructor(document: DocumentNode) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) this.#fragments.set(definition.name.value, definition);
  }

  depthOf(selectionSet: SelectionSetNode): number {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.selectionSet !== undefined) deepest = Math.max(deepest, this.depthOf(selection.selectionSet) + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, this.depthOf(selection.selectionSet));
      } else {
        deepest = Math.max(deepest, this.#fragmentDepth(selection.name.value));
      }
    }
    return deepest;
  }

  #fragmentDepth(name: string): number {
    const known = this.#memo.get(name);
    if (known !== undefined) return known;
    const fragment = this.#fragments.get(name);
    // A fragment cycle is reported by GraphQL's own validation.
    if (fragment === undefined || this.#inProgress.has(name)) return 0;
    this.#inProgress.add(name);
    const depth = this.depthOf(fragment.selectionSet);
    this.#inProgress.delete(name);
    this.#memo.set(name, depth);
    return depth;
  }
}

/** A validation rule refusing operations deeper than `maxDepth`. */
export function depthLimit(maxDepth = MAX_QUERY_DEPTH): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const measurer = new DepthMeasurer(context.getDocument());
    return {
      OperationDefinition(operation) {
        const depth = measurer.depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          const name = operation.name?.value ?? '';
          context.reportError(new GraphQLError(`'${name}' exceeds maximum operation depth of ${maxDepth}`, { nodes: [operation] }));
        }
      },
    };
  };
}
