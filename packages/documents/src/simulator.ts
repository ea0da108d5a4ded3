/**
 * The simulator's operations: the documents of Prefect Core 1.4.1's registration, agent, flow
 * and task runners that `runview-server simulate` sends. Not part of the operations runview
 * ships (see `index.ts`).
 *
 * @packageDocumentation
 */
export * from './__generated__/simulator.js';
