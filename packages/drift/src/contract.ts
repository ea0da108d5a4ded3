import type { GraphQLSchema } from 'graphql';
import { operationSources, type OperationSource } from '@runview/documents';
import { contractSdl } from './__generated__/contract.js';
import { schemaFromSdl } from './load.js';
import { operationUsage, type CoordinateUsage } from './usage.js';

/** The contract, the operations generated from it and what they use of it. */
export interface Contract {
  readonly schema: GraphQLSchema;
  readonly operations: readonly OperationSource[];
  readonly usage: CoordinateUsage;
}

let contract: Contract | undefined;

/** The embedded contract, built once per process (the SDL and the operations never change at run time). */
export function loadContract(): Contract {
  if (!contract) {
    const schema = schemaFromSdl(contractSdl);
    const operations = operationSources();
    contract = { schema, operations, usage: operationUsage(schema, operations) };
  }
  return contract;
}
