/**
 * Renaming and relabelling runs (`set_flow_run_name`, `set_task_run_name`,
 * `set_flow_run_labels`), as the `RenameFlowRun` task, the task runner (`task_run_name`) and
 * the UI send them. A run that does not exist in the caller's tenant is answered with
 * `success: false`, as Prefect Server answers an update that touched no row.
 */
import { z } from 'zod';
import { jsonb } from '../db/tables.js';
import type { MutationResolver } from '../graphql/context.js';
import { badUserInput } from '../graphql/errors.js';
import { parseInput, uuid } from './input.js';
import { updateRun } from './run-update.js';
import { storableText } from './storable.js';
import { updatePayload } from './payloads.js';

const flowRunNameInput = z.object({ flow_run_id: uuid, name: storableText });
const taskRunNameInput = z.object({ task_run_id: uuid, name: storableText });
const flowRunLabelsInput = z.object({ flow_run_id: uuid, labels: z.array(storableText) });

function requireName(name: string): string {
  if (name === '') throw badUserInput('Invalid name');
  return name;
}

export const setFlowRunName: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_run_name', flowRunNameInput, args);
  const updated = await updateRun(ctx, 'flow_run', input.flow_run_id, { name: requireName(input.name) });
  return updatePayload(updated, `Flow run ${input.flow_run_id} not found.`);
};

export const setTaskRunName: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_task_run_name', taskRunNameInput, args);
  const updated = await updateRun(ctx, 'task_run', input.task_run_id, { name: requireName(input.name) });
  return updatePayload(updated, `Task run ${input.task_run_id} not found.`);
};

/** `set_flow_run_labels`: the run's labels become the given ones, sorted (as Prefect Server stores them). */
export const setFlowRunLabels: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_flow_run_labels', flowRunLabelsInput, args);
  const updated = await updateRun(ctx, 'flow_run', input.flow_run_id, { labels: jsonb([...input.labels].sort()) });
  return updatePayload(updated, `Flow run ${input.flow_run_id} not found.`);
};
