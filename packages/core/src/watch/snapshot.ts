/**
 * One snapshot of a watched flow run, as the `FlowRunWatch` query or the `FlowRunWatchLive`
 * subscription sends it: the run with its state history, the log lines after the log cursor
 * and the task-run state changes after the task-run cursor, read by the server in one SQL
 * statement. Both transports go through this one mapping.
 */
import type { FlowRunWatchQuery, FlowRunWatchQueryVariables } from '@runview/documents';
import * as z from 'zod/mini';
import { compareKeys, cursorKey, type HistoryKey, type HistoryPosition } from '../logs/cursor.js';
import type { FlowRunLog } from '../logs/flow-run-log.js';
import { logFromWire } from '../maps/logs.js';
import { stateFromWire } from '../maps/models.js';
import { taskRunFromWire, type TaskRunData } from '../views/task-run-columns.js';
import { flowRunFromWire, type FlowRunData } from '../views/flow-run-columns.js';
import { flowRunWire, logWire, parseWire, taskRunWire } from '../maps/wire.js';
import type { State } from '../states/state.js';
import { parseTimestamp, type Timestamp } from '../time.js';

/** A position in a history ordered by `(timestamp, id)`: every row after it comes next. */
export type HistoryCursor = HistoryPosition;

export { compareKeys, cursorKey, type HistoryKey };

/** Where a watcher is in each history it reads. */
export interface WatchCursors {
  readonly log: HistoryCursor | null;
  readonly taskRunState: HistoryCursor | null;
}

/** What a snapshot selects. */
export interface WatchSelection {
  readonly withLogs: boolean;
  readonly withTaskRuns: boolean;
  readonly logLimit: number;
}

/** Before every row: the API orders `(timestamp, id)`, and nothing precedes year 1 with the nil uuid. */
const ORIGIN: HistoryCursor = Object.freeze({ timestamp: '0001-01-01T00:00:00+00:00', id: '00000000-0000-0000-0000-000000000000' });

/** The variables of `FlowRunWatch` / `FlowRunWatchLive` for these cursors. */
export function watchVariables(flowRunId: string, cursors: WatchCursors, selection: WatchSelection): FlowRunWatchQueryVariables {
  const log = cursors.log ?? ORIGIN;
  const taskRunState = cursors.taskRunState ?? ORIGIN;
  return {
    id: flowRunId,
    logTimestamp: log.timestamp,
    logId: log.id,
    logLimit: selection.logLimit,
    withLogs: selection.withLogs,
    taskRunStateTimestamp: taskRunState.timestamp,
    taskRunStateId: taskRunState.id,
    withTaskRuns: selection.withTaskRuns,
  };
}

/** A state of the flow run's history. */
export interface SnapshotState {
  readonly key: HistoryKey;
  readonly state: State;
  readonly at: Timestamp;
}

/** One state change of a task run: the task run as it was then. */
export interface SnapshotTaskRunChange {
  readonly key: HistoryKey;
  readonly cursor: HistoryCursor;
  readonly taskRun: TaskRunData;
  readonly at: Timestamp;
}

/** One snapshot, mapped. */
export interface WatchSnapshot {
  /** The operation it answered (`FlowRunWatch`, `FlowRunWatchLive`), for error messages. */
  readonly operationName: string;
  readonly flowRun: FlowRunData;
  readonly states: readonly SnapshotState[];
  /** The log lines after the cursor the request was made with, in order. */
  readonly logs: readonly FlowRunLog[];
  /** True when the log page came back full: more lines may follow the last one. */
  readonly logPageFull: boolean;
  /** The task-run state changes after the request's cursor, in `(timestamp, id)` order. */
  readonly taskRunChanges: readonly SnapshotTaskRunChange[];
}

const taskRunStateRow = z.object({ id: z.string(), timestamp: z.string(), version: z.nullable(z.int()), serialized_state: z.unknown() });
const watchedFlowRun = z.extend(flowRunWire, {
  logs: z.optional(z.array(logWire)),
  task_runs: z.optional(z.array(z.extend(taskRunWire, { states: z.array(taskRunStateRow) }))),
});

/**
 * Maps the `flow_run_by_pk` of a watch response; null when the run does not exist (any more).
 *
 * @throws {@link InvalidResponseError} when the response does not have the expected shape.
 */
export function snapshotFromResponse(row: FlowRunWatchQuery['flow_run_by_pk'], selection: WatchSelection, operationName: string): WatchSnapshot | null {
  if (row === null) return null;
  const wire = parseWire(watchedFlowRun, row, operationName);
  const flowRun = flowRunFromWire(wire, operationName);
  const states = wire.states.map((entry, index) => {
    const at = parseTimestamp(entry.timestamp);
    return {
      key: { micros: at.epochMicros, id: entry.id },
      at,
      state: stateFromWire(entry.serialized_state, operationName, `flow_run_by_pk.states.${index}`, entry.timestamp),
    };
  });
  const logs = (wire.logs ?? []).map(logFromWire);
  const taskRunChanges: SnapshotTaskRunChange[] = [];
  for (const [runIndex, taskRun] of (wire.task_runs ?? []).entries()) {
    const current = taskRunFromWire(taskRun, operationName);
    for (const [index, entry] of taskRun.states.entries()) {
      const at = parseTimestamp(entry.timestamp);
      taskRunChanges.push({
        key: { micros: at.epochMicros, id: entry.id },
        cursor: Object.freeze({ timestamp: entry.timestamp, id: entry.id }),
        at,
        // The task run as it was when it entered this state: the history row's state and version.
        taskRun: Object.freeze({
          ...current,
          state: stateFromWire(entry.serialized_state, operationName, `flow_run_by_pk.task_runs.${runIndex}.states.${index}`, entry.timestamp),
          version: entry.version ?? current.version,
        }),
      });
    }
  }
  taskRunChanges.sort((a, b) => compareKeys(a.key, b.key));
  return { operationName, flowRun, states, logs, logPageFull: selection.withLogs && logs.length >= selection.logLimit, taskRunChanges };
}
