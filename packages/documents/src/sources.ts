import type { DefinitionNode, DocumentNode, OperationDefinitionNode } from 'graphql';
import * as generated from './__generated__/graphql.js';

/** One shipped operation: its name, kind and full document (fragments included). */
export interface OperationSource {
  readonly name: string;
  readonly operation: OperationDefinitionNode['operation'];
  readonly document: DocumentNode;
}

/**
 * graphql's `Kind.OPERATION_DEFINITION`, compared as text: a value import of graphql here would
 * make every bundle of this package's entry carry graphql-js, which clients never run.
 */
function isOperation(definition: DefinitionNode): definition is OperationDefinitionNode {
  return (definition.kind as string) === 'OperationDefinition';
}

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document';
}

/**
 * Every operation this package ships, for tools that check them against another schema
 * (the drift check) without knowing their names in advance.
 */
export function operationSources(): readonly OperationSource[] {
  const sources: OperationSource[] = [];
  for (const value of Object.values(generated)) {
    if (!isDocument(value)) continue;
    for (const definition of value.definitions) {
      if (isOperation(definition) && definition.name) {
        sources.push({ name: definition.name.value, operation: definition.operation, document: value });
      }
    }
  }
  return sources.sort((a, b) => a.name.localeCompare(b.name));
}
