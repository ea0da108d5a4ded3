/**
 * Following a flow run until it ends: its states (history first), its task runs' state
 * changes and its log lines, as one stream of events. `watch` and `logs --follow` read only
 * this module, so moving to @runview/core's watcher is one edit here.
 *
 * This version polls core's views: a fresh `FlowRunView` each interval, the task runs that
 * are not finished yet, and the log lines after the last one seen (a `(timestamp, id)`
 * keyset cursor, so none is lost or repeated). After the final state it reads once more for
 * lines that land late.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortError,
  FlowRunView,
  TimeoutError,
  type FlowRunLog,
  type LogCursor,
  type RunviewClient,
  type State,
  type TaskRunView,
} from '@runview/core';

/** The flow run entered `state` at `timestamp`. */
export interface StateEvent {
  readonly type: 'state';
  readonly state: State;
  readonly timestamp: Date;
}

/** A log line of the flow run or one of its task runs. */
export interface LogEvent {
  readonly type: 'log';
  readonly log: FlowRunLog;
}

/** A task run entered a state. */
export interface TaskRunEvent {
  readonly type: 'taskRun';
  readonly taskRun: TaskRunView;
  readonly timestamp: Date;
}

/** Something the person watching should know (no agent has picked the run up...). */
export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
  readonly timestamp: Date;
}

/** One event of a followed flow run. */
export type WatchEvent = StateEvent | LogEvent | TaskRunEvent | WarningEvent;

/** What to follow and for how long. */
export interface FollowOptions {
  readonly client: RunviewClient;
  /** Stops following: the iterator throws an `AbortError`. */
  readonly signal?: AbortSignal | undefined;
  /** Gives up after this long with a `TimeoutError` naming the run's state. */
  readonly timeoutMs?: number | undefined;
  /** How often to look (default 2 s, as Prefect). */
  readonly pollIntervalMs?: number | undefined;
  readonly streamStates?: boolean | undefined;
  readonly streamLogs?: boolean | undefined;
  readonly streamTaskRuns?: boolean | undefined;
  /** Start the log lines after this position. */
  readonly afterLog?: LogCursor | null | undefined;
}

/** A followed flow run: iterate it once; `result` is the final view. */
export interface FollowedFlowRun extends AsyncIterable<WatchEvent> {
  readonly result: Promise<FlowRunView>;
}

const TIMED_OUT = Symbol('timed out');

function eventTime(event: WatchEvent): number {
  return event.type === 'log' ? event.log.timestamp.getTime() : event.timestamp.getTime();
}

/** Follows a flow run until it is finished. */
export function followFlowRun(flowRunId: string, options: FollowOptions): FollowedFlowRun {
  let settle!: { resolve: (view: FlowRunView) => void; reject: (error: unknown) => void };
  const result = new Promise<FlowRunView>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  return {
    result,
    [Symbol.asyncIterator]: () => poll(flowRunId, options, settle),
  };
}

async function* poll(
  flowRunId: string,
  options: FollowOptions,
  settle: { resolve: (view: FlowRunView) => void; reject: (error: unknown) => void },
): AsyncGenerator<WatchEvent> {
  const stop = new AbortController();
  const onAbort = (): void => {
    stop.abort(options.signal?.reason);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          stop.abort(TIMED_OUT);
        }, options.timeoutMs);
  const signal = stop.signal;
  const interval = options.pollIntervalMs ?? 2000;
  const seenTaskRuns = new Map<string, string>();
  let logCursor = options.afterLog ?? null;
  let statesSeen = 0;
  let view: FlowRunView | null = null;
  try {
    view = await FlowRunView.fromFlowRunId(flowRunId, { client: options.client, signal });
    for (let finalPass = false; ; ) {
      const batch: WatchEvent[] = [];
      if (options.streamStates !== false) {
        const history = view.states.length > 0 ? view.states : [view.state];
        for (const state of history.slice(statesSeen)) batch.push({ type: 'state', state, timestamp: state.timestamp ?? view.updatedAt });
        statesSeen = history.length;
      }
      if (options.streamTaskRuns !== false) {
        for (const taskRun of await view.getAllTaskRuns({ signal })) {
          const key = `${taskRun.state.type}:${String(taskRun.version)}`;
          if (seenTaskRuns.get(taskRun.taskRunId) === key) continue;
          seenTaskRuns.set(taskRun.taskRunId, key);
          batch.push({ type: 'taskRun', taskRun, timestamp: taskRun.state.timestamp ?? taskRun.updatedAt });
        }
      }
      if (options.streamLogs !== false) {
        const logs = view.iterLogs({ after: logCursor, signal });
        for await (const log of logs) batch.push({ type: 'log', log });
        logCursor = logs.cursor ?? logCursor;
      }
      yield* batch.sort((a, b) => eventTime(a) - eventTime(b));
      if (finalPass) break;
      // Lines can land after the final state: one more look, then stop.
      finalPass = view.state.isFinished();
      await sleep(interval, undefined, { signal });
      view = await view.getLatest({ signal });
    }
    settle.resolve(view);
  } catch (error) {
    const failure = !signal.aborted
      ? error
      : signal.reason === TIMED_OUT
        ? new TimeoutError(`Watching flow run ${flowRunId} timed out; it is still in state ${view?.state.toString() ?? 'unknown (no answer yet)'}`, { timeoutMs: options.timeoutMs ?? 0, cause: error })
        : new AbortError(`Watching flow run ${flowRunId} was aborted`, { cause: signal.reason });
    settle.reject(failure);
    throw failure;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
