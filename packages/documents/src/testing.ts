/**
 * The writes tests and benchmarks make through the public API (create a flow run, set states,
 * write logs...) and the state history they read back. runview only reads: not part of the
 * operations it ships (see `index.ts`).
 *
 * @packageDocumentation
 */
export * from './__generated__/testing.js';
