/**
 * `--task SLUG [--map-index N]` of `runview logs`: the task run ids whose lines to show. A
 * mapped task without `--map-index` means the parent and all its children; an unknown slug or
 * map index is an error that lists what the flow run has.
 */
import type { FlowRunView, TaskRunView } from '@runview/core';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

function notFound(message: string): CliError {
  return new CliError(message, { exitCode: EXIT.notFound, code: 'NOT_FOUND' });
}

/** What the flow run has, for the message of an unknown slug. */
async function knownSlugs(context: Context, flowRun: FlowRunView): Promise<string> {
  const all = await flowRun.getAllTaskRuns({ signal: context.io.signal });
  const slugs = [...new Set(all.filter((taskRun) => taskRun.mapIndex === -1).map((taskRun) => taskRun.taskSlug ?? taskRun.taskId))].sort();
  return slugs.length === 0 ? 'it has no task runs yet' : `its tasks are ${slugs.join(', ')}`;
}

/** The ids of the task runs `--task` (and `--map-index`) select. */
export async function taskRunIdsOf(context: Context, flowRun: FlowRunView, slug: string, mapIndex: number | undefined): Promise<Set<string>> {
  const signal = context.io.signal;
  const runName = flowRun.name ?? flowRun.flowRunId;
  let parent: TaskRunView;
  try {
    parent = await flowRun.getTaskRun({ taskSlug: slug, mapIndex: -1, signal });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'NOT_FOUND') throw error;
    throw notFound(`Flow run ${runName} has no task ${JSON.stringify(slug)}: ${await knownSlugs(context, flowRun)}.`);
  }
  if (mapIndex === undefined && !parent.state.isMapped()) return new Set([parent.taskRunId]);
  const children: TaskRunView[] = [];
  if (parent.state.isMapped()) for await (const child of parent.iterMapped({ signal })) children.push(child);
  if (mapIndex === undefined) return new Set([parent.taskRunId, ...children.map((child) => child.taskRunId)]);
  const child = children.find((candidate) => candidate.mapIndex === mapIndex);
  if (child) return new Set([child.taskRunId]);
  const range =
    children.length === 0 ? 'it is not mapped' : `it has ${String(children.length)} mapped children (--map-index 0 to ${String(children.length - 1)})`;
  throw notFound(`Task ${slug} of flow run ${runName} has no map index ${String(mapIndex)}: ${range}.`);
}
