/**
 * The benchmarks' request shapes: baselines and loads that runview's own calls never send.
 * Not part of the operations runview ships (see `index.ts`).
 *
 * @packageDocumentation
 */
export * from './__generated__/bench.js';
