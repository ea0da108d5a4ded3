/**
 * `runview tasks`: every task run of a flow run, mapped children included.
 */
import type { TaskRunView } from '@runview/core';
import { FlowRunView } from '@runview/core';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { parseStateName } from '../output/state.js';
import { renderTaskRuns } from '../output/task-runs.js';
import { taskRunJson } from '../json/models.js';
import { resolveFlowRunId } from '../resolve.js';

/** The options of `runview tasks`. */
export interface TasksOptions {
  readonly name?: string;
  readonly state?: string;
}

/** Started first, then by slug and map index: the order a run unfolds in. */
function byStart(a: TaskRunView, b: TaskRunView): number {
  const start = (taskRun: TaskRunView): number => taskRun.startTime?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return start(a) - start(b) || (a.taskSlug ?? '').localeCompare(b.taskSlug ?? '') || a.mapIndex - b.mapIndex;
}

/** Lists a flow run's task runs. */
export async function tasks(context: Context, id: string | undefined, options: TasksOptions): Promise<number> {
  const stateName = options.state === undefined ? null : parseStateName(options.state);
  if (options.state !== undefined && stateName === null)
    throw new UsageError(`--state: ${JSON.stringify(options.state)} is not a Prefect state (Success, Failed, Running, Mapped, ...).`);
  const flowRunId = await resolveFlowRunId(context, id, options.name);
  const flowRun = await FlowRunView.fromFlowRunId(flowRunId, { client: context.client(), signal: context.io.signal });
  const all = await flowRun.getAllTaskRuns({ signal: context.io.signal });
  const taskRuns = all.filter((taskRun) => stateName === null || taskRun.state.type === stateName).sort(byStart);
  if (context.json) {
    context.printJson('taskRuns', { flowRunId, taskRuns: taskRuns.map(taskRunJson) });
    return 0;
  }
  if (taskRuns.length === 0) {
    context.print(stateName === null ? 'This flow run has no task runs yet.' : `No task runs in state ${stateName}.`);
    return 0;
  }
  context.printLines(renderTaskRuns(taskRuns, { utc: context.utc, palette: context.palette, width: context.width }));
  return 0;
}
