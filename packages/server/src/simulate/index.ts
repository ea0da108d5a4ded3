/**
 * A live flow-run simulator: drives runs of the demo flow through the public mutations
 * over HTTP, so watching and following have something real to watch.
 */
export { createGraphQLClient, graphqlEndpoint, SimulationError, type GraphQLAnswer, type GraphQLClient, type GraphQLClientOptions } from './client.js';
export { runSimulateCommand, SIMULATE_USAGE, type CommandOutput } from './cli.js';
export { runSimulationLoop, type SimulationLoopOptions } from './loop.js';
export { simulateFlowRun, startSimulatedFlowRun, type FinalState, type SimulatedFlowRun, type SimulateOptions } from './run.js';
