/**
 * `TaskRunView`: one task run as Prefect Core's `prefect.backend.TaskRunView` reads it. An
 * immutable snapshot; `getLatest()` returns a new one.
 */
import { MappedTaskRunsDocument, TaskRunByIdDocument, TaskRunBySlugDocument } from '@runview/documents';
import * as z from 'zod/mini';
import { requireInteger, requireNonEmpty, requireUuid } from '../arguments.js';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { AmbiguousError, InvalidArgumentError, NotFoundError, ResultUnavailableError } from '../errors.js';
import { parseWire, taskRunWire } from '../maps/wire.js';
import { isLoadableResultType, isNoResult, type ResultLocation } from '../states/result.js';
import { parseInput } from '../schemas.js';
import { dataFromJson, dataToJson, jsonShape, viewOf } from './columns.js';
import { callOf, clientOf, inspectCustom, reprValue, type ViewOptions } from './common.js';
import { TASK_RUN_COLUMNS, taskRunFromWire, type TaskRunData, type TaskRunViewJson } from './task-run-columns.js';

/** The default number of mapped children per request in `iterMapped`. */
export const DEFAULT_MAPPED_PAGE_SIZE = 500;

export type { TaskRunViewJson } from './task-run-columns.js';

/** Options of {@link TaskRunView.iterMapped}. */
export interface IterMappedOptions extends CallOptions {
  /** Children per request (default 500, at most 10,000). */
  readonly pageSize?: number | undefined;
}

const taskRunRows = z.array(taskRunWire);

/** A task run. Build one with the static `from…` methods or through a `FlowRunView`. */
export class TaskRunView extends viewOf(TASK_RUN_COLUMNS) {
  readonly #data: TaskRunData;
  readonly #client: RunviewClient;

  /** @internal Views are built by the static methods and by `FlowRunView`. */
  constructor(data: TaskRunData, client: RunviewClient) {
    super(data);
    this.#data = data;
    this.#client = client;
    Object.freeze(this);
  }

  /**
   * The task run with this id.
   *
   * @throws {@link NotFoundError}; {@link InvalidArgumentError} for a malformed id.
   */
  static async fromTaskRunId(taskRunId: string, options: ViewOptions = {}): Promise<TaskRunView> {
    const id = requireUuid(taskRunId, 'taskRunId');
    const client = clientOf(options);
    const data = await client.query(TaskRunByIdDocument, { id }, callOf(options));
    const row = parseWire(z.nullable(taskRunWire), data.task_run_by_pk, 'TaskRunById');
    if (row === null) throw new NotFoundError('task run', { taskRunId: id });
    return new TaskRunView(taskRunFromWire(row, 'TaskRunById'), client);
  }

  /**
   * The run of the task with this slug in a flow run; `mapIndex` -1 (the default) is the
   * unmapped run or the mapped parent, 0..n-1 a mapped child.
   *
   * @throws {@link NotFoundError}; {@link AmbiguousError} if the backend holds several.
   */
  static async fromTaskSlug(taskSlug: string, flowRunId: string, mapIndex = -1, options: ViewOptions = {}): Promise<TaskRunView> {
    const slug = requireNonEmpty(taskSlug, 'taskSlug');
    const runId = requireUuid(flowRunId, 'flowRunId');
    const index = requireInteger(mapIndex, 'mapIndex', -1);
    const client = clientOf(options);
    const data = await client.query(TaskRunBySlugDocument, { flowRunId: runId, slug, mapIndex: index }, callOf(options));
    const rows = parseWire(taskRunRows, data.task_run, 'TaskRunBySlug');
    const lookup = { taskSlug: slug, flowRunId: runId, mapIndex: index };
    const [first] = rows;
    if (!first) throw new NotFoundError('task run', lookup);
    if (rows.length > 1) {
      throw new AmbiguousError(
        'task run',
        lookup,
        rows.map((row) => ({ id: row.id, name: row.name, detail: row.state })),
        'Look the task run up by its id.',
      );
    }
    return new TaskRunView(taskRunFromWire(first, 'TaskRunBySlug'), client);
  }

  /** A new view of this task run with its current data. */
  getLatest(options: CallOptions = {}): Promise<TaskRunView> {
    return TaskRunView.fromTaskRunId(this.taskRunId, { ...callOf(options), client: this.#client });
  }

  /**
   * The children of a mapped task run in index order, fetched a page at a time (not one request
   * per child).
   *
   * @throws {@link InvalidArgumentError} (when iterated) if this task run is not `Mapped`.
   */
  async *iterMapped(options: IterMappedOptions = {}): AsyncGenerator<TaskRunView, void, undefined> {
    const pageSize = requireInteger(options.pageSize ?? DEFAULT_MAPPED_PAGE_SIZE, 'pageSize', 1, 10_000);
    if (!this.state.isMapped()) {
      throw new InvalidArgumentError('taskRun', `Task run ${this.taskRunId} is not a mapped task: its state is ${this.state.toString()}`);
    }
    const slug = this.taskSlug;
    if (slug === null) throw new InvalidArgumentError('taskRun', `Task run ${this.taskRunId} has no task slug to find its children by`);
    let afterMapIndex = this.mapIndex;
    for (;;) {
      const data = await this.#client.query(MappedTaskRunsDocument, { flowRunId: this.flowRunId, slug, afterMapIndex, limit: pageSize }, callOf(options));
      const rows = parseWire(taskRunRows, data.task_run, 'MappedTaskRuns');
      for (const row of rows) {
        afterMapIndex = row.map_index;
        yield new TaskRunView(taskRunFromWire(row, 'MappedTaskRuns'), this.#client);
      }
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Where the task run's result is stored, with Prefect's preconditions for loading it: the
   * run is finished, its result type is loadable, and it has a location. For a mapped parent,
   * the children's locations in index order. runview never loads the value itself.
   *
   * @throws {@link ResultUnavailableError} saying which precondition failed.
   */
  async getResultLocation(options: CallOptions = {}): Promise<ResultLocation | readonly ResultLocation[]> {
    if (!this.state.isFinished()) {
      throw new ResultUnavailableError('not-finished', 'The task result cannot be loaded if it is not finished.');
    }
    if (!this.state.isMapped()) return loadableLocation(this);
    const locations: ResultLocation[] = [];
    for await (const child of this.iterMapped(options)) {
      if (!child.state.isFinished()) {
        throw new ResultUnavailableError(
          'mapped-child-not-finished',
          `The child task run ${child.taskRunId} (map index ${child.mapIndex}) is not finished (${child.state.toString()}). Loading results for mapped tasks in running flows is not supported.`,
        );
      }
      locations.push(loadableLocation(child));
    }
    if (locations.length === 0) {
      throw new ResultUnavailableError('no-mapped-children', `No child task runs were found for mapped task run ${this.taskRunId}. Is the flow run finished?`);
    }
    return Object.freeze(locations);
  }

  /** Prefect's equality: the same task run in an equal state. */
  equals(other: unknown): boolean {
    return other instanceof TaskRunView && other.taskRunId === this.taskRunId && other.state.equals(this.state);
  }

  /** Restores a view from its `toJSON()` form, without a request. */
  static fromJSON(json: unknown, options: { client?: RunviewClient | undefined } = {}): TaskRunView {
    return new TaskRunView(taskRunDataFromJson(json), clientOf(options));
  }

  toJSON(): TaskRunViewJson {
    return dataToJson(TASK_RUN_COLUMNS, this.#data);
  }

  /** `TaskRunView(taskRunId='…', taskId='…', taskSlug='say_hello-1', state=<Success: "Task run succeeded.">, result=<not loaded>)`. */
  override toString(): string {
    return `TaskRunView(taskRunId=${reprValue(this.taskRunId)}, taskId=${reprValue(this.taskId)}, taskSlug=${reprValue(this.taskSlug)}, state=${this.state.toString()}, result=<not loaded>)`;
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

function loadableLocation(taskRun: TaskRunView): ResultLocation {
  const result = taskRun.state.result;
  const which = taskRun.mapIndex >= 0 ? `task run ${taskRun.taskRunId} (map index ${taskRun.mapIndex})` : `task run ${taskRun.taskRunId}`;
  if (isNoResult(result)) {
    throw new ResultUnavailableError('no-result', `The result of ${which} was not stored: the task has no result type (NoResult).`);
  }
  if (result.location === null) {
    throw new ResultUnavailableError('no-location', `The result of ${which} has no location: it cannot be loaded.`);
  }
  if (!isLoadableResultType(result)) {
    throw new ResultUnavailableError('custom-result-type', `The result of ${which} has the custom or unknown result type ${result.type}: it cannot be loaded.`);
  }
  return result;
}

/** The schema of `TaskRunView.toJSON()`. */
const taskRunJsonSchema = z.object(jsonShape(TASK_RUN_COLUMNS));

/** Reads `TaskRunView.toJSON()` back into the model. */
export function taskRunDataFromJson(json: unknown): TaskRunData {
  return dataFromJson(TASK_RUN_COLUMNS, parseInput(taskRunJsonSchema, json, 'json', 'a TaskRunView JSON'));
}
