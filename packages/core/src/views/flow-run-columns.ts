/**
 * `FlowRunView`'s columns, each written once: how it is read from the API's `FlowRunFields`
 * row, how it is written to the view's JSON form and read back, and what the view exposes.
 * A new column is one entry here (beside its field in the fragment and the wire schema).
 */
import * as z from 'zod/mini';
import { NO_FLOW_RUN_STATE_MESSAGE, stateFromWire } from '../maps/models.js';
import type { FlowRunWire } from '../maps/wire.js';
import { frozenCopy } from '../json.js';
import { Pending } from '../states/state.js';
import { compareTimestamps, parseTimestamp } from '../time.js';
import {
  asDate,
  asOptionalDate,
  column,
  optionalTimestamp,
  dataFromWire,
  labels,
  nullable,
  object,
  plain,
  state,
  stateHistory,
  timestamp,
  uuid,
  type DataOf,
  type JsonOf,
} from './columns.js';

type Wire = FlowRunWire;

/** The columns of a flow run, in the order of its JSON form. */
export const FLOW_RUN_COLUMNS = {
  flowRunId: column({ fromWire: (wire: Wire) => wire.id, codec: uuid }),
  name: column({ fromWire: (wire: Wire) => wire.name, codec: plain(z.nullable(z.string())) }),
  flowId: column({ fromWire: (wire: Wire) => wire.flow_id, codec: uuid }),
  /** The version of the run's current state (it counts state changes). */
  version: column({ fromWire: (wire: Wire) => wire.version, codec: plain(z.int()) }),
  labels: column({ fromWire: (wire: Wire) => Object.freeze([...(wire.labels ?? [])]), codec: labels }),
  parameters: column({ fromWire: (wire: Wire) => frozenCopy(wire.parameters ?? {}), codec: object }),
  context: column({ fromWire: (wire: Wire) => (wire.context === null ? null : frozenCopy(wire.context)), codec: nullable(object) }),
  /** The serialized run config (`{"type": "KubernetesRun", ...}`), or null. */
  runConfig: column({ fromWire: (wire: Wire) => (wire.run_config === null ? null : frozenCopy(wire.run_config)), codec: nullable(object) }),
  /** Prefect Core reads a run without a state as Pending. */
  state: column({
    fromWire: (wire: Wire, operationName: string) =>
      wire.serialized_state === null || wire.serialized_state === undefined
        ? new Pending({ message: NO_FLOW_RUN_STATE_MESSAGE })
        : stateFromWire(wire.serialized_state, operationName, 'flow_run.serialized_state'),
    codec: state,
  }),
  /** Every state the run has been in, oldest first, each with its `timestamp`. */
  states: column({
    fromWire: (wire: Wire, operationName: string) =>
      Object.freeze(
        wire.states
          .map((row, index) => ({
            state: stateFromWire(row.serialized_state, operationName, `flow_run.states.${index}.serialized_state`, row.timestamp),
            at: parseTimestamp(row.timestamp),
          }))
          // Prefect sorts the history on the client; a stable sort keeps the API's order for ties.
          .sort((a, b) => compareTimestamps(a.at, b.at))
          .map((entry) => entry.state),
      ),
    codec: stateHistory,
  }),
  scheduledStartTime: column({ fromWire: (wire: Wire) => parseTimestamp(wire.scheduled_start_time), codec: timestamp, expose: asDate }),
  startTime: column({ fromWire: (wire: Wire) => optionalTimestamp(wire.start_time), codec: nullable(timestamp), expose: asOptionalDate }),
  endTime: column({ fromWire: (wire: Wire) => optionalTimestamp(wire.end_time), codec: nullable(timestamp), expose: asOptionalDate }),
  created: column({ fromWire: (wire: Wire) => parseTimestamp(wire.created), codec: timestamp, expose: asDate, property: 'createdAt' }),
  /** When the backend last changed the run: the end of the snapshot (and the default end of `getLogs`). */
  updated: column({ fromWire: (wire: Wire) => parseTimestamp(wire.updated), codec: timestamp, expose: asDate, property: 'updatedAt' }),
};

/** A flow run as the model holds it. */
export type FlowRunData = DataOf<typeof FLOW_RUN_COLUMNS>;

/** A flow run's columns as JSON. */
export type FlowRunColumnsJson = JsonOf<typeof FLOW_RUN_COLUMNS>;

/** A flow run row (`FlowRunFields`) to the model. */
export function flowRunFromWire(wire: FlowRunWire, operationName: string): FlowRunData {
  return dataFromWire(FLOW_RUN_COLUMNS, wire, operationName);
}
