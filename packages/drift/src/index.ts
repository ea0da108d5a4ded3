/**
 * Schema-drift detection: does a target API (a Prefect Server release, Prefect Cloud,
 * `@runview/server`) still accept every operation runview ships, and how does it differ
 * from the contract (schema.graphql) they were generated from? Runs in Node and browsers.
 *
 * @packageDocumentation
 */
export { checkSchema, analyseSchema, type DriftReport, type DriftSummary, type FailOn } from './report.js';
export { compareWithOperations, checkOperationsAgainst, describeProblem, type DriftProblem } from './compare.js';
export { formatReport, type FormatOptions } from './format.js';
export { printSchemaFromEndpoint } from './pull.js';
export { loadSchema, fetchIntrospection, schemaFromSdl, schemaFromIntrospection, type SchemaSource } from './load.js';
export { DriftCheckError, type DriftCheckErrorCode } from './errors.js';
export type { BrokenOperation, OperationError } from './operations.js';
export type { Criticality, NewEnumValue, SchemaChange } from './changes.js';
export { contractSdl } from './__generated__/contract.js';
