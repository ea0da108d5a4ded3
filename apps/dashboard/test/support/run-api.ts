// One flow run held in memory and served as the API serves it: its page's queries, its log
// pages (keyset after (timestamp, id), filtered by level and task run) and the watch snapshot
// core polls. A test changes the run (a state, a line) and the page or hook sees it on its
// next read, as it would against a server.
import {
  FlowByIdDocument,
  FlowRunByIdDocument,
  FlowRunLogsFirstPageDocument,
  FlowRunLogsPageDocument,
  FlowRunStatesDocument,
  FlowRunWatchDocument,
  MappedTaskRunsDocument,
  TaskRunStateCountsDocument,
  TaskRunsTableDocument,
  type FlowRunWatchQuery,
  type Log_Bool_Exp,
  type Task_Run_Bool_Exp,
} from '@runview/documents';
import type { FakeApi } from './api';
import {
  flow as defaultFlow,
  flowRunDetail,
  serialized,
  stateCountsAnswer,
  uuid,
  type CountedState,
  type Flow,
  type FlowRunDetail,
  type FlowRunStateRow,
  type LogRow,
  type TaskRunRow,
} from './fixtures';

type WatchedRun = NonNullable<FlowRunWatchQuery['flow_run_by_pk']>;
type WatchedTaskRunState = NonNullable<WatchedRun['task_runs']>[number]['states'][number];

export interface RunInit {
  readonly run?: Partial<FlowRunDetail>;
  readonly taskRuns?: readonly TaskRunRow[];
  readonly states?: readonly FlowRunStateRow[];
  readonly flow?: Flow | null;
  readonly logs?: readonly LogRow[];
}

/** (timestamp, id) after (timestamp, id): the API's keyset order, on its fixed-width text. */
const after = (row: { timestamp: string; id: string }, timestamp: string, id: string) =>
  row.timestamp > timestamp || (row.timestamp === timestamp && row.id > id);
const byKey = (a: { timestamp: string; id: string }, b: { timestamp: string; id: string }) =>
  a.timestamp === b.timestamp ? (a.id < b.id ? -1 : 1) : a.timestamp < b.timestamp ? -1 : 1;

/** The API's timestamp text for an instant: microseconds and an offset. */
export const wireTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000+00:00');

function taskRunMatches(run: TaskRunRow, filter: Task_Run_Bool_Exp | undefined): boolean {
  const { map_index: mapIndex, task_id: taskId, ...rest } = filter ?? {};
  if (Object.keys(rest).length > 0) throw new TypeError(`The run fixture does not read task run filters on ${Object.keys(rest).join(', ')}`);
  return (
    (mapIndex?._eq === undefined || run.map_index === mapIndex._eq) &&
    (mapIndex?._neq === undefined || run.map_index !== mapIndex._neq) &&
    (taskId?._eq === undefined || run.task_id === taskId._eq)
  );
}

function logMatches(line: LogRow, filter: Log_Bool_Exp | undefined): boolean {
  const { level, task_run_id: taskRunId, ...rest } = filter ?? {};
  if (Object.keys(rest).length > 0) throw new TypeError(`The run fixture does not read log filters on ${Object.keys(rest).join(', ')}`);
  return (level?._in == null || level._in.includes(line.level ?? '')) && (taskRunId?._eq === undefined || line.task_run_id === taskRunId._eq);
}

export class RunFixture {
  run: FlowRunDetail;
  taskRuns: TaskRunRow[];
  states: FlowRunStateRow[];
  flow: Flow | null;
  readonly logs: LogRow[];
  readonly #taskRunStates = new Map<string, WatchedTaskRunState[]>();

  constructor(
    readonly api: FakeApi,
    init: RunInit = {},
  ) {
    this.run = flowRunDetail(init.run);
    this.taskRuns = [...(init.taskRuns ?? [])];
    this.states = [...(init.states ?? [])];
    this.flow = init.flow === undefined ? defaultFlow() : init.flow;
    this.logs = [...(init.logs ?? [])].sort(byKey);
    this.#serve();
  }

  get id(): string {
    return this.run.id;
  }

  /** The run enters `state` now (`at`, ms): its row, its history and its `updated` change. */
  setState(state: string, at: number, message: string | null = null): void {
    const timestamp = wireTime(at);
    const id = uuid(this.states.length + 1, 'a11ce000-0000-4000-8000');
    const entry = { id, timestamp, serialized_state: serialized(state, message) };
    this.states.push({ id, timestamp, state, message, start_time: null, version: this.states.length + 1, serialized_state: entry.serialized_state });
    this.run = {
      ...this.run,
      state,
      state_message: message,
      serialized_state: entry.serialized_state,
      version: this.run.version + 1,
      updated: timestamp,
      start_time: this.run.start_time ?? (state === 'Running' ? timestamp : null),
      end_time: ['Success', 'Failed', 'Cancelled'].includes(state) ? timestamp : this.run.end_time,
      states: [...this.run.states, entry],
    };
  }

  /** A task run enters `state` now: its row and its state history (what the watch streams). */
  setTaskRunState(taskRunId: string, state: string, at: number): void {
    const timestamp = wireTime(at);
    const history = this.#taskRunStates.get(taskRunId) ?? [];
    history.push({ id: uuid(history.length + 1, taskRunId.slice(0, 23)), timestamp, version: history.length + 1, serialized_state: serialized(state) });
    this.#taskRunStates.set(taskRunId, history);
    this.taskRuns = this.taskRuns.map((run) =>
      run.id === taskRunId ? { ...run, state, serialized_state: serialized(state), updated: timestamp, version: history.length } : run,
    );
  }

  addLogs(...lines: LogRow[]): void {
    this.logs.push(...lines);
    this.logs.sort(byKey);
  }

  #counts(filter: Task_Run_Bool_Exp | undefined) {
    const counts: Partial<Record<CountedState, number>> = {};
    const matching = this.taskRuns.filter((run) => taskRunMatches(run, filter));
    for (const run of matching) {
      const state = run.state as CountedState | null;
      if (state !== null) counts[state] = (counts[state] ?? 0) + 1;
    }
    return stateCountsAnswer(counts, matching.length);
  }

  #logPage(filter: Log_Bool_Exp | undefined, limit: number, from?: { timestamp: string; id: string }): LogRow[] {
    return this.logs.filter((line) => logMatches(line, filter) && (from === undefined || after(line, from.timestamp, from.id))).slice(0, limit);
  }

  #serve(): void {
    const mine = (id: string) => id === this.run.id;
    this.api
      .on(FlowRunByIdDocument, ({ id }) => ({ flow_run: mine(id) ? [this.run] : [] }))
      .on(FlowRunStatesDocument, ({ flowRunId }) => ({ flow_run_state: mine(flowRunId) ? [...this.states] : [] }))
      .on(FlowByIdDocument, ({ id }) => ({ flow_by_pk: this.flow?.id === id ? this.flow : null }))
      .on(TaskRunsTableDocument, ({ flowRunId, filter, limit, offset = 0 }) => {
        const rows = mine(flowRunId) ? this.taskRuns.filter((run) => taskRunMatches(run, filter)) : [];
        return { task_run: rows.slice(offset, offset + limit), task_run_aggregate: { aggregate: { count: rows.length } } };
      })
      .on(TaskRunStateCountsDocument, ({ flowRunId, filter }) => (mine(flowRunId) ? this.#counts(filter) : stateCountsAnswer({})))
      .on(MappedTaskRunsDocument, ({ flowRunId, slug, afterMapIndex = -1, limit }) => ({
        task_run: this.taskRuns
          .filter((run) => mine(flowRunId) && run.task.slug === slug && run.map_index > afterMapIndex)
          .sort((a, b) => a.map_index - b.map_index)
          .slice(0, limit),
      }))
      .on(FlowRunLogsFirstPageDocument, ({ flowRunId, filter, limit }) => ({ log: mine(flowRunId) ? this.#logPage(filter, limit) : [] }))
      .on(FlowRunLogsPageDocument, ({ flowRunId, filter, limit, afterTimestamp, afterId }) => ({
        log: mine(flowRunId) ? this.#logPage(filter, limit, { timestamp: afterTimestamp, id: afterId }) : [],
      }))
      .on(FlowRunWatchDocument, (variables) => {
        if (!mine(variables.id)) return { flow_run_by_pk: null };
        const watched: WatchedRun = { ...this.run };
        if (variables.withLogs) watched.logs = this.logs.filter((line) => after(line, variables.logTimestamp, variables.logId)).slice(0, variables.logLimit);
        if (variables.withTaskRuns) {
          watched.task_runs = this.taskRuns.flatMap((run) => {
            const states = (this.#taskRunStates.get(run.id) ?? []).filter((state) => after(state, variables.taskRunStateTimestamp, variables.taskRunStateId));
            return states.length === 0 ? [] : [{ ...run, states }];
          });
        }
        return { flow_run_by_pk: watched };
      });
  }
}
