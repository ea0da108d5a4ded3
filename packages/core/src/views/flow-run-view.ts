/**
 * `FlowRunView`: a flow run as Prefect Core's `prefect.backend.FlowRunView` reads it. A view is
 * an immutable snapshot of the run when it was made; `getLatest()` returns a new one. Finished
 * task runs are cached in the view (they cannot change any more), keyed by id and by
 * `(slug, mapIndex)`, and carried over by `getLatest()`; nothing else is.
 */
import {
  FlowRunByIdDocument,
  FlowRunsByNameFullDocument,
  TaskRunIdsInCreationOrderDocument,
  TaskRunsPageDocument,
  TaskRunStateCountsDocument,
  type Task_Run_Bool_Exp,
} from '@runview/documents';
import * as z from 'zod/mini';
import { requireInteger, requireNonEmpty, requireUuid } from '../arguments.js';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { AmbiguousError, InvalidArgumentError, NotFoundError } from '../errors.js';
import type { LogFilterOptions } from '../logs/filter.js';
import type { FlowRunLog } from '../logs/flow-run-log.js';
import { FlowRunLogIterator, headFlowRunLogs, tailFlowRunLogs, type IterLogsOptions, type LogWindowOptions } from '../logs/iterate.js';
import { aggregateCount, aggregateWire, flowRunWire, parseWire, taskRunWire } from '../maps/wire.js';
import { STATE_TYPE_NAMES, type StateTypeName } from '../states/names.js';
import { parseInput } from '../schemas.js';
import { dataFromJson, dataToJson, jsonShape, viewOf } from './columns.js';
import { callOf, clientOf, inspectCustom, reprValue, type ViewOptions } from './common.js';
import { FLOW_RUN_COLUMNS, flowRunFromWire, type FlowRunColumnsJson, type FlowRunData } from './flow-run-columns.js';
import { FlowView, type FlowViewJson } from './flow-view.js';
import { taskRunFromWire } from './task-run-columns.js';
import { TaskRunView, type TaskRunViewJson } from './task-run-view.js';
import { FlowRunWatch, type WatchOptions } from '../watch/watch.js';

/** Task runs per request when paging through a flow run's task runs or their ids. */
export const TASK_RUN_PAGE_SIZE = 1000;

/**
 * At most this many cached ids are sent as `id: {_nin: [...]}`; past it, re-reading a few
 * cached task runs costs less than sending every id with every page.
 */
const MAX_EXCLUDED_IDS = 1000;

/** Options of {@link FlowRunView.fromFlowRunId}. */
export interface FromFlowRunIdOptions extends ViewOptions {
  /** Also load the run's static task runs (`mapIndex` -1) into the cache, as Prefect's `load_static_tasks`. */
  readonly loadStaticTasks?: boolean | undefined;
}

/** Options of {@link FlowRunView.getTaskRun}: a task run id, or a task slug with a map index. */
export interface GetTaskRunOptions extends CallOptions {
  readonly taskRunId?: string | undefined;
  readonly taskSlug?: string | undefined;
  /** The map index for a slug lookup (default -1: the unmapped run or the mapped parent). */
  readonly mapIndex?: number | undefined;
}

/** Options of {@link FlowRunView.getLogs}: Prefect's bounds (start exclusive, end inclusive, default the view's `updatedAt`). */
export interface GetLogsOptions extends LogFilterOptions, CallOptions {
  /** Lines per request (default 1,000). */
  readonly pageSize?: number | undefined;
}

/** Options of {@link FlowRunView.getTaskRunStateCounts}. */
export interface TaskRunStateCountsOptions extends CallOptions {
  /** `parents`: map index -1 only; `children`: mapped children only; `all` (default). */
  readonly scope?: 'all' | 'parents' | 'children' | undefined;
  /** Only the runs of this task slug (e.g. the children of one mapped task). */
  readonly taskSlug?: string | undefined;
}

/** How many task runs are in each state. */
export interface TaskRunStateCounts {
  readonly total: number;
  /** Per Prefect state name (0 for the states none is in). */
  readonly byState: Readonly<Record<StateTypeName, number>>;
  /** Task runs with no state yet or a state this client does not know (total minus the named ones). */
  readonly other: number;
}

/** A `FlowRunView` as JSON (`toJSON()`), the form `FlowRunView.fromJSON()` reads: its columns, and what the view caches. */
export type FlowRunViewJson = FlowRunColumnsJson & {
  /** The finished task runs cached in the view. */
  readonly taskRuns: readonly TaskRunViewJson[];
  /** The flow metadata, when the view had loaded it. */
  readonly flow?: FlowViewJson | undefined;
};

const taskRunRows = z.array(taskRunWire);
const flowRunRows = z.array(flowRunWire);
const idRows = z.array(z.object({ id: z.string(), created: z.string() }));

function slugKey(slug: string, mapIndex: number): string {
  return `${mapIndex}\u0000${slug}`;
}

/** A flow run. Build one with {@link FlowRunView.fromFlowRunId} or {@link FlowRunView.fromFlowRunName}. */
export class FlowRunView extends viewOf(FLOW_RUN_COLUMNS) {
  readonly #data: FlowRunData;
  readonly #client: RunviewClient;
  readonly #cachedById = new Map<string, TaskRunView>();
  readonly #cachedBySlug = new Map<string, string>();
  #taskRunIds: readonly string[] | null = null;
  #flow: FlowView | null;

  /** @internal Views are built by the static methods. */
  constructor(data: FlowRunData, client: RunviewClient, taskRuns: Iterable<TaskRunView> = [], flow: FlowView | null = null) {
    super(data);
    this.#data = data;
    this.#client = client;
    this.#flow = flow !== null && flow.flowId === data.flowId ? flow : null;
    for (const taskRun of taskRuns) this.#cacheIfFinished(taskRun);
    Object.freeze(this);
  }

  /** `updatedAt` exactly as the API sent it (microseconds kept). */
  get updatedAtRaw(): string {
    return this.#data.updated.raw;
  }

  /** The finished task runs cached in this view. */
  get cachedTaskRuns(): readonly TaskRunView[] {
    return [...this.#cachedById.values()];
  }

  /** The client this view queries with. */
  get client(): RunviewClient {
    return this.#client;
  }

  /**
   * The flow run with this id.
   *
   * @throws {@link NotFoundError}; {@link InvalidArgumentError} for a malformed id.
   */
  static async fromFlowRunId(flowRunId: string, options: FromFlowRunIdOptions = {}): Promise<FlowRunView> {
    return FlowRunView.#load(requireUuid(flowRunId, 'flowRunId'), options, []);
  }

  /**
   * The flow run with this name. Names are not unique: several matches are an error that lists
   * them (the newest first).
   *
   * @throws {@link AmbiguousError} with the matches; {@link NotFoundError}.
   */
  static async fromFlowRunName(name: string, options: FromFlowRunIdOptions = {}): Promise<FlowRunView> {
    const runName = requireNonEmpty(name, 'name');
    const client = clientOf(options);
    const data = await client.query(FlowRunsByNameFullDocument, { name: runName, limit: 10 }, callOf(options));
    const rows = parseWire(flowRunRows, data.flow_run, 'FlowRunsByNameFull');
    const [first] = rows;
    if (!first) throw new NotFoundError('flow run', { name: runName });
    if (rows.length > 1) {
      throw new AmbiguousError(
        'flow run',
        { name: runName },
        rows.map((row) => ({ id: row.id, name: row.name, detail: `${row.state ?? 'no state'}, scheduled ${row.scheduled_start_time}` })),
        'Look the flow run up by its id.',
      );
    }
    const view = new FlowRunView(flowRunFromWire(first, 'FlowRunsByNameFull'), client);
    if (options.loadStaticTasks) await view.#loadStaticTasks(callOf(options));
    return view;
  }

  static async #load(flowRunId: string, options: FromFlowRunIdOptions, carried: readonly TaskRunView[]): Promise<FlowRunView> {
    const client = clientOf(options);
    const data = await client.query(FlowRunByIdDocument, { id: flowRunId }, callOf(options));
    const rows = parseWire(flowRunRows, data.flow_run, 'FlowRunById');
    const [first] = rows;
    if (!first) throw new NotFoundError('flow run', { flowRunId });
    if (rows.length > 1) {
      throw new AmbiguousError(
        'flow run',
        { flowRunId },
        rows.map((row) => ({ id: row.id, name: row.name, detail: null })),
        'The backend holds duplicate ids.',
      );
    }
    const view = new FlowRunView(flowRunFromWire(first, 'FlowRunById'), client, carried);
    if (options.loadStaticTasks) await view.#loadStaticTasks(callOf(options));
    return view;
  }

  /** Reads the static task runs (map index -1) that are not cached yet, and caches the finished ones. */
  async #loadStaticTasks(call: CallOptions): Promise<void> {
    for await (const taskRun of this.#pageTaskRuns({ map_index: { _eq: -1 } }, call)) this.#cacheIfFinished(taskRun);
  }

  /** Pages through this run's task runs matching `filter`, skipping the cached ones where that is cheap. */
  async *#pageTaskRuns(filter: Task_Run_Bool_Exp, call: CallOptions): AsyncGenerator<TaskRunView> {
    const cachedIds = [...this.#cachedById.keys()];
    const excludeIds = cachedIds.length <= MAX_EXCLUDED_IDS ? cachedIds : [];
    let afterId: string | undefined;
    for (;;) {
      const data = await this.#client.query(
        TaskRunsPageDocument,
        { flowRunId: this.flowRunId, excludeIds, filter, limit: TASK_RUN_PAGE_SIZE, ...(afterId === undefined ? {} : { afterId }) },
        call,
      );
      const rows = parseWire(taskRunRows, data.task_run, 'TaskRunsPage');
      for (const row of rows) {
        afterId = row.id;
        yield new TaskRunView(taskRunFromWire(row, 'TaskRunsPage'), this.#client);
      }
      if (rows.length < TASK_RUN_PAGE_SIZE) return;
    }
  }

  #cacheIfFinished(taskRun: TaskRunView): void {
    if (!taskRun.state.isFinished() || taskRun.flowRunId !== this.flowRunId) return;
    this.#cachedById.set(taskRun.taskRunId, taskRun);
    if (taskRun.taskSlug !== null) this.#cachedBySlug.set(slugKey(taskRun.taskSlug, taskRun.mapIndex), taskRun.taskRunId);
  }

  /**
   * A new view of this flow run with its current data. The finished task runs cached here are
   * carried over; the flow metadata and the task run ids are not.
   */
  getLatest(options: FromFlowRunIdOptions = {}): Promise<FlowRunView> {
    return FlowRunView.#load(this.flowRunId, { ...options, client: this.#client }, this.cachedTaskRuns);
  }

  /**
   * Every log line of the run in order, with Prefect's bounds: after `startTime` (exclusive) up
   * to `endTime` (inclusive), which defaults to the view's `updatedAt` so the logs match the
   * snapshot. Read a page at a time; for huge logs prefer {@link FlowRunView.iterLogs}.
   */
  async getLogs(options: GetLogsOptions = {}): Promise<FlowRunLog[]> {
    const logs: FlowRunLog[] = [];
    for await (const log of this.iterLogs({ ...options, endTime: options.endTime ?? this.#data.updated.raw })) logs.push(log);
    return logs;
  }

  /**
   * The run's log lines in `(timestamp, id)` order as an async iterable that reads a page at a
   * time and exposes a resumable `cursor`. No default end: it reads up to the newest line.
   */
  iterLogs(options: IterLogsOptions = {}): FlowRunLogIterator {
    return new FlowRunLogIterator(this.#client, this.flowRunId, options);
  }

  /** The first `n` log lines of the run, in order. */
  headLogs(n: number, options: LogWindowOptions = {}): Promise<FlowRunLog[]> {
    return headFlowRunLogs(this.#client, this.flowRunId, n, options);
  }

  /** The newest `n` log lines of the run, oldest first, in one request. */
  tailLogs(n: number, options: LogWindowOptions = {}): Promise<FlowRunLog[]> {
    return tailFlowRunLogs(this.#client, this.flowRunId, n, options);
  }

  /**
   * Watches this flow run until it finishes and its late logs have drained (see
   * `watchFlowRun`); the finished task runs cached here carry over to the final view.
   */
  watch(options: Omit<WatchOptions, 'client'> = {}): FlowRunWatch<FlowRunView> {
    return new FlowRunWatch(this.flowRunId, { ...options, client: this.#client }, (flowRun, client) => new FlowRunView(flowRun, client, this.cachedTaskRuns));
  }

  /** The flow's metadata, loaded on first use and cached in this view; `noCache` reloads it. */
  async getFlowMetadata(options: CallOptions & { readonly noCache?: boolean | undefined } = {}): Promise<FlowView> {
    if (this.#flow === null || options.noCache) {
      this.#flow = await FlowView.fromFlowId(this.flowId, { ...callOf(options), client: this.#client });
    }
    return this.#flow;
  }

  /**
   * One task run of this flow run, by id (which wins) or by task slug and map index (default
   * -1). A finished task run is cached: asking again costs no request.
   *
   * @throws {@link InvalidArgumentError} when neither is given, when a slug or map index
   * contradicts the id, or when the id is another flow run's task run; {@link NotFoundError}.
   */
  async getTaskRun(options: GetTaskRunOptions): Promise<TaskRunView> {
    const { taskRunId, taskSlug, mapIndex } = options;
    if (taskRunId !== undefined) {
      const id = requireUuid(taskRunId, 'taskRunId');
      const taskRun = this.#cachedById.get(id) ?? (await TaskRunView.fromTaskRunId(id, { ...callOf(options), client: this.#client }));
      if (taskSlug !== undefined && taskRun.taskSlug !== taskSlug) {
        throw new InvalidArgumentError(
          'taskSlug',
          `Both taskSlug and taskRunId were given, but task run ${id} has the slug ${JSON.stringify(taskRun.taskSlug)}, not ${JSON.stringify(taskSlug)}.`,
        );
      }
      if (mapIndex !== undefined && taskRun.mapIndex !== mapIndex) {
        throw new InvalidArgumentError(
          'mapIndex',
          `Both mapIndex and taskRunId were given, but task run ${id} has the map index ${taskRun.mapIndex}, not ${mapIndex}.`,
        );
      }
      if (taskRun.flowRunId !== this.flowRunId) {
        throw new InvalidArgumentError('taskRunId', `Task run ${id} belongs to flow run ${taskRun.flowRunId}, not to ${this.flowRunId}.`);
      }
      this.#cacheIfFinished(taskRun);
      return taskRun;
    }
    if (taskSlug === undefined) {
      throw new InvalidArgumentError('taskSlug', 'One of taskRunId or taskSlug must be given.');
    }
    const slug = requireNonEmpty(taskSlug, 'taskSlug');
    const index = requireInteger(mapIndex ?? -1, 'mapIndex', -1);
    const cachedId = this.#cachedBySlug.get(slugKey(slug, index));
    const cached = cachedId === undefined ? undefined : this.#cachedById.get(cachedId);
    if (cached) return cached;
    const taskRun = await TaskRunView.fromTaskSlug(slug, this.flowRunId, index, { ...callOf(options), client: this.#client });
    this.#cacheIfFinished(taskRun);
    return taskRun;
  }

  /**
   * Every task run of the flow run, mapped children included, a page at a time (no limit on
   * their number). Cached finished task runs are not read again; the finished ones read are
   * cached. Ordered by id.
   */
  async getAllTaskRuns(options: CallOptions = {}): Promise<TaskRunView[]> {
    const byId = new Map(this.#cachedById);
    for await (const taskRun of this.#pageTaskRuns({}, callOf(options))) {
      // Past MAX_EXCLUDED_IDS the cached runs come back too; the cached view wins.
      if (!byId.has(taskRun.taskRunId)) byId.set(taskRun.taskRunId, taskRun);
      this.#cacheIfFinished(taskRun);
    }
    return [...byId.values()].sort((a, b) => (a.taskRunId < b.taskRunId ? -1 : a.taskRunId > b.taskRunId ? 1 : 0));
  }

  /**
   * The ids of every task run of the flow run, in creation order (the order a Prefect Server
   * returns them in), a page at a time. Cached once the flow run is finished, since they can
   * no longer change.
   */
  async getTaskRunIds(options: CallOptions = {}): Promise<readonly string[]> {
    if (this.#taskRunIds !== null) return this.#taskRunIds;
    const ids: string[] = [];
    let after: Task_Run_Bool_Exp = {};
    for (;;) {
      const data = await this.#client.query(
        TaskRunIdsInCreationOrderDocument,
        { flowRunId: this.flowRunId, after, limit: TASK_RUN_PAGE_SIZE },
        callOf(options),
      );
      const rows = parseWire(idRows, data.task_run, 'TaskRunIdsInCreationOrder');
      for (const row of rows) ids.push(row.id);
      const last = rows.at(-1);
      if (!last || rows.length < TASK_RUN_PAGE_SIZE) break;
      after = { _or: [{ created: { _gt: last.created } }, { created: { _eq: last.created }, id: { _gt: last.id } }] };
    }
    const frozen = Object.freeze(ids);
    // Prefect caches the ids only once the run is finished, and never an empty list.
    if (this.state.isFinished() && frozen.length > 0) this.#taskRunIds = frozen;
    return frozen;
  }

  /** How many of the run's task runs are in each state, counted by the server in one request. */
  async getTaskRunStateCounts(options: TaskRunStateCountsOptions = {}): Promise<TaskRunStateCounts> {
    const filter: Task_Run_Bool_Exp = {};
    const scope: unknown = options.scope ?? 'all';
    if (scope === 'parents') filter.map_index = { _eq: -1 };
    else if (scope === 'children') filter.map_index = { _gt: -1 };
    else if (scope !== 'all') throw new InvalidArgumentError('scope', `scope must be 'all', 'parents' or 'children', got ${String(scope)}`);
    if (options.taskSlug !== undefined) filter.task = { slug: { _eq: requireNonEmpty(options.taskSlug, 'taskSlug') } };
    const data = await this.#client.query(TaskRunStateCountsDocument, { flowRunId: this.flowRunId, filter }, callOf(options));
    return stateCountsFromAggregates(data, 'TaskRunStateCounts');
  }

  /** Restores a view from its `toJSON()` form, without a request. */
  static fromJSON(json: unknown, options: { client?: RunviewClient | undefined } = {}): FlowRunView {
    const value = parseInput(flowRunJsonSchema, json, 'json', 'a FlowRunView JSON');
    const client = clientOf(options);
    const data = dataFromJson(FLOW_RUN_COLUMNS, value);
    const taskRuns = value.taskRuns.map((taskRun) => TaskRunView.fromJSON(taskRun, { client }));
    const flow = value.flow === undefined ? null : FlowView.fromJSON(value.flow);
    return new FlowRunView(data, client, taskRuns, flow);
  }

  toJSON(): FlowRunViewJson {
    return {
      ...dataToJson(FLOW_RUN_COLUMNS, this.#data),
      taskRuns: this.cachedTaskRuns.map((taskRun) => taskRun.toJSON()),
      ...(this.#flow === null ? {} : { flow: this.#flow.toJSON() }),
    };
  }

  /** Prefect's repr: `FlowRunView(flowRunId='…', name='…', state=<Success: "…">, labels=[], cachedTaskRuns=3)`. */
  override toString(): string {
    const labels = `[${this.labels.map((label) => reprValue(label)).join(', ')}]`;
    return `FlowRunView(flowRunId=${reprValue(this.flowRunId)}, name=${reprValue(this.name)}, state=${this.state.toString()}, labels=${labels}, cachedTaskRuns=${this.#cachedById.size})`;
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

type StateCountsResponse = Record<string, unknown>;

const aggregates = z.record(z.string(), aggregateWire);

/** Reads a response with a `total` aggregate and one aggregate per state name. */
export function stateCountsFromAggregates(response: StateCountsResponse, operationName: string): TaskRunStateCounts {
  const { id: _id, ...rest } = response;
  const parsed = parseWire(aggregates, rest, operationName);
  const byState = Object.fromEntries(STATE_TYPE_NAMES.map((name) => [name, parsed[name] ? aggregateCount(parsed[name]) : 0])) as Record<StateTypeName, number>;
  const total = parsed['total'] ? aggregateCount(parsed['total']) : 0;
  const named = Object.values(byState).reduce((sum, n) => sum + n, 0);
  return Object.freeze({ total, byState: Object.freeze(byState), other: Math.max(0, total - named) });
}

const flowRunJsonSchema = z.object({
  ...jsonShape(FLOW_RUN_COLUMNS),
  taskRuns: z.array(z.unknown()),
  flow: z.optional(z.unknown()),
});

/**
 * Watches a flow run until it finishes and its late logs have drained.
 *
 * ```ts
 * const watch = watchFlowRun(flowRunId, { client, timeoutMs: 3_600_000 });
 * for await (const event of watch) console.log(formatWatchEvent(event));
 * const final = await watch.result; // FlowRunView
 * ```
 *
 * @throws {@link InvalidArgumentError} for a malformed id or option (at once);
 * the iterator throws {@link TimeoutError}, {@link AbortError}, {@link NotFoundError} or the
 * client's request errors.
 */
export function watchFlowRun(flowRunId: string, options: WatchOptions = {}): FlowRunWatch<FlowRunView> {
  return new FlowRunWatch(flowRunId, options, (flowRun, client) => new FlowRunView(flowRun, client, []));
}
