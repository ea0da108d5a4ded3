import type { JsonObject } from '@runview/prefect';
import { SERIALIZER_CORE_VERSION, type StateType } from './types.js';

/** A serialized state, parameters, context: a JSON object. */
export type { JsonObject } from '@runview/prefect';

export interface StateFields {
  readonly message?: string | null;
  /** For Scheduled-like states: when the run should start (ISO 8601). */
  readonly startTime?: string | null;
  /** The serialized `_result` ({type, location, __version__}); NoResultType when absent. */
  readonly result?: JsonObject | null;
  /** Class-specific fields, e.g. `{ n_map_states: 50 }` for Mapped. */
  readonly extra?: JsonObject;
  readonly version?: string;
}

/**
 * A state serialized as Prefect Core's StateSchema writes it, for the states the server or
 * the demo data create themselves (a run's initial Scheduled state, a task run's Pending
 * state, cancellations). Mapped leaves out `_result`, as Core does.
 */
export function serializeState(type: StateType, fields: StateFields = {}): JsonObject {
  const version = fields.version ?? SERIALIZER_CORE_VERSION;
  const state: JsonObject = { type, message: fields.message ?? null, context: {} };
  if (type !== 'Mapped') state['_result'] = fields.result ?? { type: 'NoResultType', __version__: version };
  state['cached_inputs'] = {};
  if (fields.startTime !== undefined) state['start_time'] = fields.startTime;
  Object.assign(state, fields.extra);
  state['__version__'] = version;
  return state;
}
