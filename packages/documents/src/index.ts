/**
 * Every GraphQL operation runview sends, validated against `schema.graphql` when the
 * package is generated and typed by graphql-codegen: import a document and its result and
 * variable types from here, never write GraphQL text elsewhere.
 *
 * @packageDocumentation
 */
export * from './__generated__/graphql.js';
export type { JsonObject, JsonValue } from './json.js';
export { operationSources, type OperationSource } from './sources.js';
