/**
 * Turning what a user typed into a flow run id: a uuid argument, or `--name` (the run named
 * exactly so, otherwise the only run whose name contains the text; several are an error that
 * lists them, since names are not unique).
 */
import { findFlowRunByName, isUuid } from '@runview/core';
import type { Context } from './context.js';
import { UsageError } from './errors.js';

/** Checks an id argument (a flow run id by default) before any request. */
export function requireId(text: string, what = 'flow run id'): string {
  if (!isUuid(text)) {
    throw new UsageError(`${JSON.stringify(text)} is not a ${what}: expected a uuid like 4c0101af-c6bb-4b96-8661-63a5bbfb5596.`);
  }
  return text.toLowerCase();
}

/** The id of the flow run named by the `<id>` argument or `--name`, exactly one of them. */
export async function resolveFlowRunId(context: Context, id: string | undefined, name: string | undefined): Promise<string> {
  if (id !== undefined && name !== undefined) throw new UsageError('Give a flow run id or --name, not both.');
  if (id !== undefined) return requireId(id);
  if (name === undefined) throw new UsageError('Give a flow run id, or --name NAME.');
  const run = await findFlowRunByName(context.client(), name, { signal: context.io.signal });
  return run.flowRunId;
}
