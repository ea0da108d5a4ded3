// Typed builders of API answers, one per generated operation type: a field the API drops or
// renames breaks the build here, not in a browser. Defaults describe a finished, successful
// run of the reference flow; tests override what they are about.
import { deserializeState } from '@runview/core';
import type {
  FlowByIdQuery,
  FlowFilterOptionsQuery,
  FlowRunByIdQuery,
  FlowRunLogFieldsFragment,
  FlowRunStatesQuery,
  FlowRunsByNameQuery,
  FlowRunsQuery,
  JsonValue,
  MappedTaskRunsQuery,
  TaskRunStateCountsQuery,
  TaskRunsTableQuery,
} from '@runview/documents';

export type FlowRunSummary = FlowRunsQuery['flow_run'][number];
export type FlowRunDetail = FlowRunByIdQuery['flow_run'][number];
export type TaskRunRow = TaskRunsTableQuery['task_run'][number];
export type FlowRunStateRow = FlowRunStatesQuery['flow_run_state'][number];
export type Flow = NonNullable<FlowByIdQuery['flow_by_pk']>;
export type LogRow = FlowRunLogFieldsFragment;
/** The states the per-state count query names. */
export type CountedState = Exclude<keyof TaskRunStateCountsQuery, 'total'>;

export const FLOW_ID = '0e1f3f6a-6d5b-4d2c-9a55-3b1e2c4d5e6f';
export const FLOW_GROUP_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
export const PROJECT = { id: '2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e', name: 'demo' } as const;

/** The `index`th element, which the test knows is there. */
export function nth<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`No element ${String(index)} of ${String(items.length)}`);
  return item;
}

/** A uuid a reader can tell apart: `n` in the last block. */
export const uuid = (n: number, prefix = '4c0101af-c6bb-4b96-8661'): string => `${prefix}-${n.toString(16).padStart(12, '0')}`;

/** A state as the API serialises it (serialized_state). */
export const serialized = (type: string, message: string | null = null): JsonValue => deserializeState({ type, message }).serialize();

const aggregate = (count: number) => ({ aggregate: { count } });

export function flowRunSummary(overrides: Partial<FlowRunSummary> = {}): FlowRunSummary {
  return {
    id: uuid(1),
    name: 'woodoo-leopard',
    flow_id: FLOW_ID,
    state: 'Success',
    state_message: 'All reference tasks succeeded.',
    labels: [],
    scheduled_start_time: '2021-05-12T19:59:50.000000+00:00',
    start_time: '2021-05-12T19:59:56.383000+00:00',
    end_time: '2021-05-12T20:00:03.000000+00:00',
    updated: '2021-05-12T20:00:03.000000+00:00',
    flow: { id: FLOW_ID, name: 'hello-world', project: { ...PROJECT } },
    ...overrides,
  };
}

export function flowRunsAnswer(runs: readonly FlowRunSummary[], total = runs.length): FlowRunsQuery {
  return { flow_run: [...runs], flow_run_aggregate: aggregate(total) };
}

export function flowRunDetail(overrides: Partial<FlowRunDetail> = {}): FlowRunDetail {
  const state = overrides.state ?? 'Success';
  return {
    id: uuid(1),
    name: 'woodoo-leopard',
    flow_id: FLOW_ID,
    version: 3,
    labels: ['demo'],
    parameters: { x: 1 },
    context: {},
    run_config: { type: 'UniversalRun' },
    state,
    state_message: 'All reference tasks succeeded.',
    serialized_state: serialized(state, overrides.state_message ?? 'All reference tasks succeeded.'),
    scheduled_start_time: '2021-05-12T19:59:50.000000+00:00',
    start_time: '2021-05-12T19:59:56.383000+00:00',
    end_time: '2021-05-12T20:00:03.000000+00:00',
    created: '2021-05-12T19:59:40.000000+00:00',
    updated: '2021-05-12T20:00:03.000000+00:00',
    states: [],
    ...overrides,
  };
}

export function taskRun(overrides: Partial<Omit<TaskRunRow, 'task'>> & { readonly task?: Partial<TaskRunRow['task']> } = {}): TaskRunRow {
  const { task, ...rest } = overrides;
  const state = rest.state ?? 'Success';
  return {
    id: uuid(100),
    name: null,
    flow_run_id: uuid(1),
    task_id: uuid(200),
    map_index: -1,
    version: 3,
    state,
    state_message: 'Task run succeeded.',
    serialized_state: serialized(state),
    start_time: '2021-05-12T19:59:57.000000+00:00',
    end_time: '2021-05-12T19:59:58.500000+00:00',
    updated: '2021-05-12T19:59:58.500000+00:00',
    ...rest,
    task: { id: rest.task_id ?? uuid(200), name: 'say_hello', slug: 'say_hello-1', mapped: false, ...task },
  };
}

export function taskRunsAnswer(rows: readonly TaskRunRow[], total = rows.length): TaskRunsTableQuery {
  return { task_run: [...rows], task_run_aggregate: aggregate(total) };
}

export function mappedAnswer(rows: readonly TaskRunRow[]): MappedTaskRunsQuery {
  return { task_run: [...rows] };
}

/** Counts by state; `total` may exceed their sum (states this dashboard does not know). */
export function stateCountsAnswer(counts: Partial<Record<CountedState, number>>, total?: number): TaskRunStateCountsQuery {
  const of = (state: CountedState) => aggregate(counts[state] ?? 0);
  const sum = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    total: aggregate(total ?? sum),
    Pending: of('Pending'),
    Scheduled: of('Scheduled'),
    Paused: of('Paused'),
    Resume: of('Resume'),
    Retrying: of('Retrying'),
    ClientFailed: of('ClientFailed'),
    Submitted: of('Submitted'),
    Queued: of('Queued'),
    Running: of('Running'),
    Cancelling: of('Cancelling'),
    Finished: of('Finished'),
    Looped: of('Looped'),
    Success: of('Success'),
    Cached: of('Cached'),
    Mapped: of('Mapped'),
    Skipped: of('Skipped'),
    Cancelled: of('Cancelled'),
    Failed: of('Failed'),
    TimedOut: of('TimedOut'),
    TriggerFailed: of('TriggerFailed'),
    ValidationFailed: of('ValidationFailed'),
  };
}

export function stateRow(overrides: Partial<FlowRunStateRow> & { readonly state: string; readonly timestamp: string }): FlowRunStateRow {
  return {
    id: uuid(300 + (Math.floor(Date.parse(overrides.timestamp) / 1000) % 1000)),
    message: null,
    start_time: null,
    version: 1,
    serialized_state: serialized(overrides.state, overrides.message ?? null),
    ...overrides,
  };
}

export function flow(overrides: Partial<Flow> = {}): Flow {
  return {
    id: FLOW_ID,
    name: 'hello-world',
    version: 2,
    core_version: '1.4.1',
    archived: false,
    created: '2021-05-01T10:00:00.000000+00:00',
    storage: { type: 'Local' },
    run_config: { type: 'UniversalRun' },
    settings: {},
    serialized_flow: null,
    flow_group_id: FLOW_GROUP_ID,
    project: { ...PROJECT },
    flow_group: { id: FLOW_GROUP_ID, labels: ['demo'] },
    ...overrides,
  };
}

export const flowAnswer = (value: Flow | null): FlowByIdQuery => ({ flow_by_pk: value });

export function flowOptionsAnswer(flows: readonly Pick<Flow, 'id' | 'name' | 'version' | 'archived' | 'flow_group_id'>[]): FlowFilterOptionsQuery {
  return { flow: flows.map((entry) => ({ ...entry, project: { ...PROJECT } })) };
}

export const byNameAnswer = (runs: readonly { id: string; state?: string }[]): FlowRunsByNameQuery => ({
  flow_run: runs.map((run) => ({ id: run.id, state: run.state ?? 'Success', start_time: '2021-05-12T19:59:56.383000+00:00' })),
});

/** A log line at `timestamp` (the API's text, microseconds and offset). */
export function logRow(overrides: Partial<LogRow> & { readonly id: string; readonly timestamp: string }): LogRow {
  return { flow_run_id: uuid(1), task_run_id: null, level: 'INFO', name: 'prefect.FlowRunner', message: 'A line', ...overrides };
}
