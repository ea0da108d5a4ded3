/**
 * Everything `runview inspect` shows about a flow run, gathered in at most two requests
 * whatever the run's size: the run and its flow, its first parent task runs with their total,
 * the children of its mapped tasks counted by state, and its newest log lines.
 */
import { InspectFlowRunDocument, InspectMappedCountsDocument } from '@runview/documents';
import * as z from 'zod/mini';
import { requireInteger, requireUuid } from '../arguments.js';
import { NotFoundError } from '../errors.js';
import type { FlowRunLog } from '../logs/flow-run-log.js';
import { MAX_LOG_PAGE_SIZE } from '../logs/iterate.js';
import { logsFromResponse } from '../maps/logs.js';
import { flowFromWire } from '../maps/models.js';
import { taskRunFromWire } from './task-run-columns.js';
import { flowRunFromWire } from './flow-run-columns.js';
import { aggregateCount, aggregateWire, flowRunWire, flowWire, parseWire, taskRunWire } from '../maps/wire.js';
import { callOf, clientOf, type ViewOptions } from './common.js';
import { FlowRunView, stateCountsFromAggregates, type TaskRunStateCounts } from './flow-run-view.js';
import { FlowView } from './flow-view.js';
import { TaskRunView } from './task-run-view.js';

/** Options of {@link inspectFlowRun}. */
export interface InspectOptions extends ViewOptions {
  /** How many parent task runs (map index -1) to include, in creation order (default 100). */
  readonly taskRunLimit?: number | undefined;
  /** How many of the newest log lines to include (default 20). */
  readonly logLimit?: number | undefined;
}

/** What {@link inspectFlowRun} gathers. */
export interface FlowRunInspection {
  /** The flow run, with its flow metadata and its finished task runs already cached. */
  readonly flowRun: FlowRunView;
  readonly flow: FlowView;
  /** The first `taskRunLimit` parent task runs (unmapped tasks and mapped parents), in creation order. */
  readonly taskRuns: readonly TaskRunView[];
  /** How many parent task runs the run has in all. */
  readonly parentTaskRunCount: number;
  /** How many task runs the run has in all, mapped children included. */
  readonly taskRunCount: number;
  /** For each mapped task among `taskRuns` (by task id), its children counted by state. */
  readonly mappedChildCounts: ReadonlyMap<string, TaskRunStateCounts>;
  /** The newest `logLimit` log lines, oldest first. */
  readonly logs: readonly FlowRunLog[];
  /** How many log lines the run has in all. */
  readonly logCount: number;
}

const inspectResponse = z.object({
  flow_run: z.array(
    z.extend(flowRunWire, {
      flow: flowWire,
      parent_task_runs: aggregateWire,
      all_task_runs: aggregateWire,
    }),
  ),
  task_run: z.array(taskRunWire),
  log: z.unknown(),
  log_aggregate: aggregateWire,
});

const mappedResponse = z.object({ task: z.array(z.looseObject({ id: z.string() })) });

/**
 * Gathers what `runview inspect` shows about a flow run in at most two requests, whatever the
 * run's size: one for the run, its flow, parent task runs and newest logs, and one more only
 * when some of those task runs are mapped, to count their children by state.
 *
 * @throws {@link NotFoundError}; {@link InvalidArgumentError} for a malformed id or limit.
 */
export async function inspectFlowRun(flowRunId: string, options: InspectOptions = {}): Promise<FlowRunInspection> {
  const id = requireUuid(flowRunId, 'flowRunId');
  const taskRunLimit = requireInteger(options.taskRunLimit ?? 100, 'taskRunLimit', 0, 10_000);
  const logLimit = requireInteger(options.logLimit ?? 20, 'logLimit', 0, MAX_LOG_PAGE_SIZE);
  const client = clientOf(options);
  const call = callOf(options);
  const raw = await client.query(InspectFlowRunDocument, { flowRunId: id, taskRunLimit, logLimit }, call);
  const data = parseWire(inspectResponse, raw, 'InspectFlowRun');
  const [row] = data.flow_run;
  if (!row) throw new NotFoundError('flow run', { flowRunId: id });
  const flow = new FlowView(flowFromWire(row.flow));
  const taskRuns = Object.freeze(data.task_run.map((taskRun) => new TaskRunView(taskRunFromWire(taskRun, 'InspectFlowRun'), client)));
  const flowRun = new FlowRunView(flowRunFromWire(row, 'InspectFlowRun'), client, taskRuns, flow);
  const logs = Object.freeze(logsFromResponse(data.log, 'InspectFlowRun').reverse());

  const mappedTaskIds = [...new Set(taskRuns.filter((taskRun) => taskRun.taskMapped || taskRun.state.isMapped()).map((taskRun) => taskRun.taskId))];
  const mappedChildCounts = new Map<string, TaskRunStateCounts>();
  if (mappedTaskIds.length > 0) {
    const counts = parseWire(
      mappedResponse,
      await client.query(InspectMappedCountsDocument, { flowRunId: id, taskIds: mappedTaskIds }, call),
      'InspectMappedCounts',
    );
    for (const task of counts.task) mappedChildCounts.set(task.id, stateCountsFromAggregates(task, 'InspectMappedCounts'));
  }
  return Object.freeze({
    flowRun,
    flow,
    taskRuns,
    parentTaskRunCount: aggregateCount(row.parent_task_runs),
    taskRunCount: aggregateCount(row.all_task_runs),
    mappedChildCounts,
    logs,
    logCount: aggregateCount(data.log_aggregate),
  });
}
