/**
 * The write mutations of Prefect's Python layer (`type Mutation` in schema.graphql), as a
 * flow runner, an agent or the UI call them. Every write is scoped to the caller's tenant,
 * runs in one transaction and announces what changed after it commits.
 */
import type { MutationResolvers } from '../graphql/context.js';
import { cancelFlowRun } from './cancel.js';
import { cloudHookResolvers } from './cloud-hooks.js';
import { createFlowRun } from './create-flow-run.js';
import { deleteFlowRun } from './delete.js';
import { writeRunLogs } from './logs.js';
import { registrationResolvers } from './registration.js';
import { runtimeResolvers } from './runtime.js';
import { setFlowRunStates, setTaskRunStates } from './set-states.js';
import { getOrCreateTaskRun } from './task-runs.js';

export { LOG_LEVELS } from './logs.js';
export { generateRunName } from './names.js';

/** Resolvers by field name of `type Mutation`: `(args, ctx) => payload`. */
export const mutationResolvers = {
  create_flow_run: createFlowRun,
  set_flow_run_states: setFlowRunStates,
  set_task_run_states: setTaskRunStates,
  get_or_create_task_run: getOrCreateTaskRun,
  write_run_logs: writeRunLogs,
  cancel_flow_run: cancelFlowRun,
  delete_flow_run: deleteFlowRun,
  ...registrationResolvers,
  ...cloudHookResolvers,
  ...runtimeResolvers,
} satisfies MutationResolvers;
