/**
 * The server's conformance probes: operations its tests send to check Hasura and Prefect Server
 * semantics. Not part of the operations runview ships (see `index.ts`).
 *
 * @packageDocumentation
 */
export * from './__generated__/conformance.js';
