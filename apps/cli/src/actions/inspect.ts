/**
 * `runview inspect`: everything about one flow run on one screen, in at most two requests
 * whatever the run's size (core's `inspectFlowRun`), plus one per mapped task with `--expand`.
 */
import { inspectFlowRun, type FlowRunInspection, type TaskRunView } from '@runview/core';
import type { Context } from '../context.js';
import { formatSpan } from '../output/duration.js';
import { fieldLines, formatCount, formatJsonInline, formatList, plural } from '../output/format.js';
import { formatLogLine, LogClock, type TimestampStyle } from '../output/log-line.js';
import { flowJson, flowRunJson, logJson, stateCountsJson, taskRunJson } from '../json/models.js';
import { paintStateWithMessage } from '../output/state.js';
import { renderTaskRuns } from '../output/task-runs.js';
import { formatOptionalDateTime } from '../output/time.js';
import { resolveFlowRunId } from '../resolve.js';

/** The options of `runview inspect`. */
export interface InspectOptions {
  readonly name?: string;
  readonly expand?: boolean;
  readonly logs: number;
  readonly tasks: number;
  readonly timestamps?: TimestampStyle;
}

/** Inspects a flow run by id or `--name`. */
export async function inspect(context: Context, id: string | undefined, options: InspectOptions): Promise<number> {
  const flowRunId = await resolveFlowRunId(context, id, options.name);
  const inspection = await inspectFlowRun(flowRunId, {
    client: context.client(),
    logLimit: options.logs,
    taskRunLimit: options.tasks,
    signal: context.io.signal,
  });
  const children = options.expand === true ? await loadChildren(context, inspection.taskRuns) : null;
  if (context.json) {
    context.printJson('flowRun', inspectionJson(inspection, children));
    return 0;
  }
  context.printLines(render(context, inspection, children, options.timestamps));
  return 0;
}

/** The children of each mapped task among the listed task runs (`--expand`). */
async function loadChildren(context: Context, taskRuns: readonly TaskRunView[]): Promise<Map<string, TaskRunView[]>> {
  const children = new Map<string, TaskRunView[]>();
  for (const taskRun of taskRuns) {
    if (taskRun.mapIndex !== -1 || !taskRun.state.isMapped()) continue;
    const list: TaskRunView[] = [];
    for await (const child of taskRun.iterMapped({ signal: context.io.signal })) list.push(child);
    children.set(taskRun.taskId, list);
  }
  return children;
}

function inspectionJson(inspection: FlowRunInspection, children: ReadonlyMap<string, readonly TaskRunView[]> | null): unknown {
  return {
    flowRun: flowRunJson(inspection.flowRun),
    flow: flowJson(inspection.flow),
    taskRuns: inspection.taskRuns.map((taskRun) => ({
      ...taskRunJson(taskRun),
      ...(children?.has(taskRun.taskId) ? { children: (children.get(taskRun.taskId) ?? []).map(taskRunJson) } : {}),
    })),
    parentTaskRunCount: inspection.parentTaskRunCount,
    taskRunCount: inspection.taskRunCount,
    mappedChildCounts: Object.fromEntries([...inspection.mappedChildCounts].map(([taskId, counts]) => [taskId, stateCountsJson(counts)])),
    logs: inspection.logs.map(logJson),
    logCount: inspection.logCount,
  };
}

function render(
  context: Context,
  inspection: FlowRunInspection,
  children: ReadonlyMap<string, readonly TaskRunView[]> | null,
  timestamps: TimestampStyle | undefined,
): string[] {
  const { palette } = context;
  const time = { utc: context.utc };
  const { flowRun, flow } = inspection;
  const lines: string[] = [];
  lines.push(`${palette.bold(flowRun.name ?? '(unnamed flow run)')}  ${palette.dim(flowRun.flowRunId)}`);
  lines.push(
    ...fieldLines(
      [
        ['State', paintStateWithMessage(palette, flowRun.state)],
        ['Scheduled', formatOptionalDateTime(flowRun.scheduledStartTime, time)],
        ['Started', formatOptionalDateTime(flowRun.startTime, time)],
        ['Ended', formatOptionalDateTime(flowRun.endTime, time)],
        ['Duration', `${formatSpan(flowRun.startTime, flowRun.endTime)}${flowRun.startTime && !flowRun.endTime ? ' so far' : ''}`],
        ['Labels', formatList(flowRun.labels)],
        ['Parameters', formatJsonInline(flowRun.parameters)],
      ],
      palette,
    ),
  );
  lines.push('', palette.bold('Flow'));
  lines.push(
    ...fieldLines(
      [
        ['Name', `${flow.name}  ${palette.dim(flow.flowId)}`],
        ['Project', flow.projectName],
        ['Storage', flow.storageType ?? '-'],
        ['Core version', flow.coreVersion ?? '-'],
        ['Version', flow.version === null ? '-' : String(flow.version)],
      ],
      palette,
    ).map((line) => `  ${line}`),
  );

  const shown = inspection.taskRuns.length;
  const parents = inspection.parentTaskRunCount;
  const heading =
    shown < parents
      ? `Task runs (${formatCount(shown)} of ${formatCount(parents)} shown, ${plural(inspection.taskRunCount, 'task run')} in all)`
      : `Task runs (${plural(inspection.taskRunCount, 'task run')} in all)`;
  lines.push('', palette.bold(heading));
  if (shown === 0) lines.push('  none yet');
  else
    lines.push(
      ...renderTaskRuns(inspection.taskRuns, {
        ...time,
        palette,
        width: context.width,
        mappedChildCounts: inspection.mappedChildCounts,
        ...(children ? { children } : {}),
        indent: '  ',
      }),
    );

  const logCount = inspection.logs.length;
  lines.push(
    '',
    palette.bold(
      logCount < inspection.logCount ? `Logs (last ${formatCount(logCount)} of ${formatCount(inspection.logCount)})` : `Logs (${formatCount(logCount)})`,
    ),
  );
  if (logCount === 0) lines.push('  none');
  const clock = new LogClock(time, timestamps);
  for (const log of inspection.logs) lines.push(formatLogLine(log, { ...time, palette, clock, indent: '  ' }));
  return lines;
}
