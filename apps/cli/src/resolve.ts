/**
 * Turning what a user typed into a flow run id: a uuid argument, or `--name` looked up by
 * name (names are not unique: several matches are an error that lists them).
 */
import { FlowRunView, isUuid } from '@runview/core';
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
  const view = await FlowRunView.fromFlowRunName(name, { client: context.client(), signal: context.io.signal });
  return view.flowRunId;
}
