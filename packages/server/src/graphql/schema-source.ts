/**
 * The contract: `schema.graphql` as shipped by @runview/documents, so the server serves exactly
 * the schema the typed documents were generated and validated against.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The path of the shipped `schema.graphql`. */
export function schemaPath(): string {
  return require.resolve('@runview/documents/schema.graphql');
}

/** The SDL text of the contract. */
export function readSchemaSource(): string {
  return readFileSync(schemaPath(), 'utf8');
}
