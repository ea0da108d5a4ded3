/**
 * What watching a flow run yields: one discriminated union, so a consumer switches on `type`
 * and TypeScript narrows the rest. Every event but a warning carries the API's timestamp;
 * events come in `(timestamp, kind, id)` order.
 */
import type { FlowRunLog } from '../logs/flow-run-log.js';
import type { State } from '../states/state.js';
import type { TaskRunView } from '../views/task-run-view.js';

/** The flow run entered `state` at `timestamp` (its history comes first, as Prefect prints it). */
export interface StateEvent {
  readonly type: 'state';
  readonly state: State;
  readonly timestamp: Date;
}

/** A log line of the flow run or of one of its task runs. */
export interface LogEvent {
  readonly type: 'log';
  readonly log: FlowRunLog;
}

/** A task run entered a state: `taskRun` is the task run as it was then (its `state` has the `timestamp`). */
export interface TaskRunEvent {
  readonly type: 'taskRun';
  readonly taskRun: TaskRunView;
  readonly timestamp: Date;
}

/** Prefect's warning that no agent has submitted the run yet, with the agent diagnosis. */
export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
  /** When the client raised it (the client's clock). */
  readonly timestamp: Date;
}

/** One event of `watchFlowRun`. */
export type WatchEvent = StateEvent | LogEvent | TaskRunEvent | WarningEvent;

/** Prefect's line for a state change: `Entered state <Running>: Running flow.` (a null message prints `None`). */
export function formatStateEntered(state: State): string {
  return `Entered state <${state.type}>: ${state.message ?? 'None'}`;
}

/**
 * One line of text per event, as `prefect run --watch` prints the message: the state line,
 * the log message, `Task run <slug>[index] entered state <Success>: ...`, or the warning.
 */
export function formatWatchEvent(event: WatchEvent): string {
  switch (event.type) {
    case 'state':
      return formatStateEntered(event.state);
    case 'log':
      return event.log.message;
    case 'taskRun': {
      const { taskRun } = event;
      const index = taskRun.mapIndex === -1 ? '' : `[${taskRun.mapIndex}]`;
      return `Task run ${taskRun.taskSlug ?? taskRun.taskRunId}${index} entered state <${taskRun.state.type}>: ${taskRun.state.message ?? 'None'}`;
    }
    case 'warning':
      return event.message;
  }
}
