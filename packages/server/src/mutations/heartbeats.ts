import { z } from 'zod';
import type { MutationResolver } from '../graphql/context.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { updateRun } from './run-update.js';
import { successPayload } from './payloads.js';

const flowRunHeartbeatInput = z.object({ flow_run_id: uuid });
const taskRunHeartbeatInput = z.object({ task_run_id: uuid });

/**
 * `update_flow_run_heartbeat`: the flow runner's sign of life (at the start of a run, then
 * every 30 s). Prefect Server answers `success: true` at once and updates in the background,
 * losing its "Invalid flow run ID" for an unknown run; here the update is done before the
 * answer and an unknown run is reported with that message.
 */
export const updateFlowRunHeartbeat: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_flow_run_heartbeat', flowRunHeartbeatInput, args);
  if (!(await updateRun(ctx, 'flow_run', input.flow_run_id, { heartbeat: ctx.now() }))) throw notFound('Invalid flow run ID');
  return successPayload(true);
};

/** `update_task_run_heartbeat`: the same for a task run (its flow run's heartbeat is left alone, as in Prefect Server). */
export const updateTaskRunHeartbeat: MutationResolver = async (args, ctx) => {
  const input = parseInput('update_task_run_heartbeat', taskRunHeartbeatInput, args);
  if (!(await updateRun(ctx, 'task_run', input.task_run_id, { heartbeat: ctx.now() }))) throw notFound('Invalid task run ID');
  return successPayload(true);
};
