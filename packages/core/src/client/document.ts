/**
 * The text and name of an operation as it goes on the wire, worked out once per document: the
 * documents of `@runview/documents` are ASTs, and a request carries their printed text.
 */
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** What a request sends of a document. */
export interface WireOperation {
  readonly query: string;
  /** The operation's name, e.g. `FlowRunById`, or null for an anonymous operation. */
  readonly operationName: string | null;
}

const printed = new WeakMap<DocumentNode, WireOperation>();

/** The document's text and operation name (cached: a document is printed once per process). */
export function wireOperation(document: DocumentNode): WireOperation {
  let operation = printed.get(document);
  if (operation === undefined) {
    const definition = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
    operation = Object.freeze({ query: print(document), operationName: definition?.name?.value ?? null });
    printed.set(document, operation);
  }
  return operation;
}
