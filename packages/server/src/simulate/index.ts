/**
 * A live flow-run simulator: registers a flow and drives runs of it over HTTP as Prefect Core's
 * agent and flow and task runners do, so watching and following have something real to watch.
 */
export { createGraphQLClient, graphqlEndpoint, SimulationError, type GraphQLAnswer, type GraphQLClient, type GraphQLClientOptions } from './client.js';
export { describeCalls, runSimulateCommand, SIMULATE_USAGE, type CommandOutput } from './cli.js';
export { runSimulationLoop, simulateWhileServing, type SimulationLoopOptions } from './loop.js';
export { simulateFlowRun, startSimulatedFlowRun, type FinalState, type SimulatedFlowRun, type SimulateOptions } from './run.js';
