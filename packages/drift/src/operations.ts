import { validate, type GraphQLSchema } from 'graphql';
import type { OperationSource } from '@runview/documents';
import { documentCoordinates } from './usage.js';

/** Why one shipped operation is rejected by the target schema. */
export interface OperationError {
  /** graphql-js's validation message, e.g. `Cannot query field "serialized_state" on type "flow_run".` */
  readonly message: string;
  /**
   * Where the error points, as a coordinate of the contract: `flow_run.serialized_state`,
   * `Query.flow_run_by_pk`, `Query.flow_run.where`, `log` (a type). `null` when the error
   * names no part of the document.
   */
  readonly path: string | null;
}

/** A shipped operation that no longer validates against the target schema. */
export interface BrokenOperation {
  readonly operation: string;
  readonly kind: OperationSource['operation'];
  readonly errors: readonly OperationError[];
}

/**
 * Validates every operation against `target` with graphql-js's standard rules, the same
 * check a server runs before executing a request. `contract` names the error positions.
 */
export function brokenOperations(contract: GraphQLSchema, target: GraphQLSchema, operations: readonly OperationSource[]): BrokenOperation[] {
  const broken: BrokenOperation[] = [];
  for (const operation of operations) {
    const errors = validate(target, operation.document);
    if (errors.length === 0) continue;
    const { positions } = documentCoordinates(contract, operation.document);
    broken.push({
      operation: operation.name,
      kind: operation.operation,
      errors: errors.map((error) => {
        // The last node is the most specific one (a variable's use rather than its definition).
        const path = (error.nodes ?? []).reduce<string | null>((found, node) => positions.get(node) ?? found, null);
        return { message: error.message, path };
      }),
    });
  }
  return broken;
}
