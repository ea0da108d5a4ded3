import { printSchema } from 'graphql';
import { loadSchema, type SchemaSource } from './load.js';

/**
 * The SDL of a live schema, for `runview schema pull`: introspects `endpoint` and prints
 * the result, so a team can commit a snapshot and diff it in review.
 *
 * @throws {@link DriftCheckError} when the endpoint cannot be reached or introspected.
 */
export async function printSchemaFromEndpoint(
  options: Omit<SchemaSource, 'schema' | 'introspection' | 'label'> & { readonly endpoint: string },
): Promise<string> {
  return `${printSchema(await loadSchema(options))}\n`;
}
