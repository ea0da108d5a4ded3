/**
 * Prefect's serialized state JSON (`serialized_state`, Prefect Core's `StateSchema`) to the
 * state classes and back. The JSON is validated at this boundary; an unknown `type` becomes an
 * explicit `UnknownState` that keeps the raw JSON.
 */
import { describeIssues, isStateTypeName, stateBaseSchema, stateSchema, type SerializedState, type StateTypeName } from '@runview/prefect';
import type { JsonObject } from '@runview/prefect';
import { InvalidArgumentError } from '../errors.js';
import { resultFromJson, type ResultLocation } from './result.js';
import type { State } from './state.js';
import {
  Cached,
  Cancelled,
  Cancelling,
  ClientFailed,
  Failed,
  Finished,
  Looped,
  Mapped,
  Paused,
  Pending,
  Queued,
  Resume,
  Retrying,
  Running,
  Scheduled,
  Skipped,
  Submitted,
  Success,
  TimedOut,
  TriggerFailed,
  UnknownState,
  ValidationFailed,
  type StateOptions,
} from './state.js';

/**
 * How one class is built from its serialized fields and the common options. The fields each
 * type reads, and checks, are `STATE_FIELDS` of `@runview/prefect`: a builder reads only those,
 * and, like Prefect's, ignores the others (a `Running` state with a `start_time` is a
 * `Running` state whatever that field holds).
 */
type Builder = (fields: SerializedState, options: StateOptions) => State;

const withStart = (fields: SerializedState) => ({ startTime: fields.start_time ?? null });
const nested = (fields: SerializedState) => ({ state: fields.state ? deserializeState(fields.state) : null });

/** Every serializable state type to its class; the compiler checks that none is missing. */
const BUILDERS = {
  Pending: (_, o) => new Pending(o),
  Scheduled: (f, o) => new Scheduled({ ...o, ...withStart(f) }),
  Paused: (f, o) => new Paused({ ...o, ...withStart(f) }),
  Resume: (f, o) => new Resume({ ...o, ...withStart(f) }),
  Retrying: (f, o) => new Retrying({ ...o, ...withStart(f), runCount: f.run_count ?? null }),
  ClientFailed: (f, o) => new ClientFailed({ ...o, ...nested(f) }),
  Submitted: (f, o) => new Submitted({ ...o, ...nested(f) }),
  Queued: (f, o) => new Queued({ ...o, ...nested(f), ...withStart(f) }),
  Running: (_, o) => new Running(o),
  Cancelling: (_, o) => new Cancelling(o),
  Finished: (_, o) => new Finished(o),
  Looped: (f, o) => new Looped({ ...o, loopCount: f.loop_count ?? null }),
  Success: (_, o) => new Success(o),
  Cached: (f, o) =>
    new Cached({
      ...o,
      cachedParameters: f.cached_parameters ?? null,
      cachedResultExpiration: f.cached_result_expiration ?? null,
      hashedInputs: f.hashed_inputs ?? null,
    }),
  Mapped: (f, o) => new Mapped({ ...o, nMapStates: f.n_map_states ?? 0 }),
  Skipped: (_, o) => new Skipped(o),
  Cancelled: (_, o) => new Cancelled(o),
  Failed: (_, o) => new Failed(o),
  TimedOut: (_, o) => new TimedOut(o),
  TriggerFailed: (_, o) => new TriggerFailed(o),
  ValidationFailed: (_, o) => new ValidationFailed(o),
} as const satisfies Record<StateTypeName, Builder>;

/** Options of {@link deserializeState}. */
export interface DeserializeOptions {
  /** When the run entered the state (a history row's `timestamp`). */
  readonly timestamp?: Date | string | null;
}

function problems(error: Parameters<typeof describeIssues>[0]): string {
  return describeIssues(error).join('; ');
}

function toResult(value: NonNullable<SerializedState['_result']>): ResultLocation {
  return resultFromJson(value as Parameters<typeof resultFromJson>[0]);
}

/**
 * Turns Prefect's serialized state JSON into the matching class (`{"type": "Success", ...}` →
 * `Success`). Unknown keys are ignored as Prefect ignores them; an unknown `type` gives an
 * `UnknownState` holding the raw JSON. `state.serialize()` turns it back.
 *
 * @throws {@link InvalidArgumentError} when the JSON is not a state (no `type`, a field of the
 * wrong type, a malformed timestamp).
 */
export function deserializeState(value: unknown, options: DeserializeOptions = {}): State {
  const base = stateBaseSchema.safeParse(value);
  if (!base.success) {
    throw new InvalidArgumentError('serializedState', `Not a serialized Prefect state: ${problems(base.error)}`, {
      cause: base.error,
    });
  }
  const common: StateOptions = {
    message: base.data.message ?? null,
    context: base.data.context ?? {},
    result: base.data._result ? toResult(base.data._result) : null,
    cachedInputs: base.data.cached_inputs
      ? Object.fromEntries(Object.entries(base.data.cached_inputs).map(([name, result]) => [name, toResult(result)]))
      : null,
    serializedVersion: base.data.__version__ ?? null,
    timestamp: options.timestamp ?? null,
  };
  const type = base.data.type;
  if (!isStateTypeName(type)) return new UnknownState(value as JsonObject & { type: string }, common);
  const fields = stateSchema(type).safeParse(value);
  if (!fields.success) {
    throw new InvalidArgumentError('serializedState', `Malformed serialized ${type} state: ${problems(fields.error)}`, {
      cause: fields.error,
    });
  }
  const build: Builder = BUILDERS[type];
  return build(fields.data, common);
}
