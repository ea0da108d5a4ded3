/**
 * `TaskRunView`'s columns, each written once (see `columns.ts`): how it is read from the API's
 * `TaskRunFields` row, its JSON form, and what the view exposes.
 */
import * as z from 'zod/mini';
import { stateFromWire } from '../maps/models.js';
import type { TaskRunWire } from '../maps/wire.js';
import { Scheduled } from '../states/state.js';
import { parseTimestamp } from '../time.js';
import {
  asDate,
  asOptionalDate,
  column,
  optionalTimestamp,
  dataFromWire,
  nullable,
  plain,
  state,
  timestamp,
  uuid,
  type DataOf,
  type JsonOf,
} from './columns.js';

type Wire = TaskRunWire;

/** The columns of a task run, in the order of its JSON form. */
export const TASK_RUN_COLUMNS = {
  taskRunId: column({ fromWire: (wire: Wire) => wire.id, codec: uuid }),
  taskId: column({ fromWire: (wire: Wire) => wire.task.id, codec: uuid }),
  /** The task's slug (`say_hello-1`); the `task_run` table has none, it comes from the task. */
  taskSlug: column({ fromWire: (wire: Wire) => wire.task.slug, codec: plain(z.nullable(z.string())) }),
  taskName: column({ fromWire: (wire: Wire) => wire.task.name, codec: plain(z.nullable(z.string())) }),
  /** Whether the task is mapped: a `mapIndex` -1 run of it is a mapped parent. */
  taskMapped: column({ fromWire: (wire: Wire) => wire.task.mapped, codec: plain(z.boolean()) }),
  /** The task run's own name, or null. */
  name: column({ fromWire: (wire: Wire) => wire.name, codec: plain(z.nullable(z.string())) }),
  flowRunId: column({ fromWire: (wire: Wire) => wire.flow_run_id, codec: uuid }),
  /** -1 for an unmapped task or a mapped parent, 0..n-1 for mapped children. */
  mapIndex: column({ fromWire: (wire: Wire) => wire.map_index, codec: plain(z.int()) }),
  version: column({ fromWire: (wire: Wire) => wire.version, codec: plain(z.int()) }),
  state: column({
    fromWire: (wire: Wire, operationName: string) =>
      wire.serialized_state === null || wire.serialized_state === undefined
        ? // Prefect gives a new mapped child without a state `Scheduled()`; its start time is unknown.
          new Scheduled({ startTime: null })
        : stateFromWire(wire.serialized_state, operationName, 'task_run.serialized_state'),
    codec: state,
  }),
  startTime: column({ fromWire: (wire: Wire) => optionalTimestamp(wire.start_time), codec: nullable(timestamp), expose: asOptionalDate }),
  endTime: column({ fromWire: (wire: Wire) => optionalTimestamp(wire.end_time), codec: nullable(timestamp), expose: asOptionalDate }),
  /** When the backend last changed the task run. */
  updated: column({ fromWire: (wire: Wire) => parseTimestamp(wire.updated), codec: timestamp, expose: asDate, property: 'updatedAt' }),
};

/** A task run as the model holds it. */
export type TaskRunData = DataOf<typeof TASK_RUN_COLUMNS>;

/** A `TaskRunView` as JSON (`toJSON()`), the form `TaskRunView.fromJSON()` reads. */
export type TaskRunViewJson = JsonOf<typeof TASK_RUN_COLUMNS>;

/** A task run row (`TaskRunFields`) to the model. */
export function taskRunFromWire(wire: TaskRunWire, operationName: string): TaskRunData {
  return dataFromWire(TASK_RUN_COLUMNS, wire, operationName);
}
