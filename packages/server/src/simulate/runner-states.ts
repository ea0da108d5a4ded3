/**
 * States as Prefect Core 1.4.1's runners serialize them for `set_flow_run_states` and
 * `set_task_run_states` (the keys in the order they were recorded on the wire).
 */
import type { JsonObject, JsonValue } from '@runview/prefect';
import type { StateType } from '../states/index.js';
import { PREFECT_CORE_VERSION } from './prefect-client.js';

const version = PREFECT_CORE_VERSION;

/** The `_result` of a state that carries none. */
export const NO_RESULT: JsonObject = { __version__: version, type: 'NoResultType' };

export interface RunnerStateFields {
  /** The serialized `_result` (default NoResultType). */
  readonly result?: JsonObject;
  /** `context`: `{tags: [...]}` on task states, `{}` on flow states. */
  readonly context?: JsonObject;
  /** Class-specific fields (`n_map_states`) or a meta state's wrapped `state`. */
  readonly extra?: Readonly<Record<string, JsonValue>>;
}

export function runnerState(type: StateType, message: string, fields: RunnerStateFields = {}): JsonObject {
  return {
    cached_inputs: {},
    message,
    _result: fields.result ?? NO_RESULT,
    context: fields.context ?? {},
    ...fields.extra,
    __version__: version,
    type,
  };
}

/** A task state: its context carries the task's tags. */
export function taskState(type: StateType, message: string, fields: Omit<RunnerStateFields, 'context'> = {}): JsonObject {
  return runnerState(type, message, { ...fields, context: { tags: [] } });
}

/** A Mapped state, which Prefect serializes without `_result`. */
export function mappedState(children: number): JsonObject {
  return { context: { tags: [] }, cached_inputs: {}, message: 'Ready to proceed with mapping.', n_map_states: children, __version__: version, type: 'Mapped' };
}

/** The result of a finished task or flow (`Result` with no location: nothing checkpointed). */
export const RESULT: JsonObject = { location: null, __version__: version, type: 'Result' };
