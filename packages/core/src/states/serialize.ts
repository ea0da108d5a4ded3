/**
 * Prefect's serialized state JSON (`serialized_state`, Prefect Core's `StateSchema`) to the
 * state classes and back. The JSON is validated at this boundary; an unknown `type` becomes an
 * explicit `UnknownState` that keeps the raw JSON.
 */
import type { JsonObject } from '@runview/documents';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors.js';
import { issueLines, timestampString } from '../schemas.js';
import { isStateTypeName, type StateTypeName } from './names.js';
import { resultFromJson, type ResultLocation } from './result.js';
import type {
  State} from './state.js';
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

const json: z.ZodType<JsonObject[string]> = z.json();
const jsonObject = z.record(z.string(), json);
const dateTime = timestampString;
const count = z.number().int().nonnegative();

const resultSchema = z.looseObject({ type: z.string(), location: z.string().nullish() });

/** Fields common to every state (`BaseStateSchema`); unknown keys are ignored, as Prefect does. */
const baseSchema = z.looseObject({
  type: z.string(),
  message: z.string().nullish(),
  context: jsonObject.nullish(),
  _result: resultSchema.nullish(),
  cached_inputs: z.record(z.string(), resultSchema).nullish(),
  __version__: z.string().nullish(),
});

/**
 * The type-specific fields, all optional and nullable as in Prefect's schemas. A type reads
 * only its own (see {@link BUILDERS}) and, like Prefect's, ignores the others: a `Running`
 * state with a `start_time` is a `Running` state whatever that field holds.
 */
const extraSchema = z.looseObject({
  start_time: dateTime.nullish(),
  run_count: count.nullish(),
  loop_count: count.nullish(),
  n_map_states: count.nullish(),
  cached_parameters: jsonObject.nullish(),
  cached_result_expiration: dateTime.nullish(),
  hashed_inputs: z.record(z.string(), z.string()).nullish(),
  state: jsonObject.nullish(),
});

type Serialized = z.infer<typeof baseSchema> & z.infer<typeof extraSchema>;
type ExtraField = keyof z.infer<typeof extraSchema>;

/** The type-specific fields one class reads, and how it is built from them and the common options. */
interface Builder {
  readonly reads: readonly ExtraField[];
  readonly build: (fields: Serialized, options: StateOptions) => State;
}

const withStart = (fields: Serialized) => ({ startTime: fields.start_time ?? null });
const nested = (fields: Serialized) => ({ state: fields.state ? deserializeState(fields.state) : null });

/** Every serializable state type to its class; the compiler checks that none is missing. */
const BUILDERS = {
  Pending: { reads: [], build: (_, o) => new Pending(o) },
  Scheduled: { reads: ['start_time'], build: (f, o) => new Scheduled({ ...o, ...withStart(f) }) },
  Paused: { reads: ['start_time'], build: (f, o) => new Paused({ ...o, ...withStart(f) }) },
  Resume: { reads: ['start_time'], build: (f, o) => new Resume({ ...o, ...withStart(f) }) },
  Retrying: { reads: ['start_time', 'run_count'], build: (f, o) => new Retrying({ ...o, ...withStart(f), runCount: f.run_count ?? null }) },
  ClientFailed: { reads: ['state'], build: (f, o) => new ClientFailed({ ...o, ...nested(f) }) },
  Submitted: { reads: ['state'], build: (f, o) => new Submitted({ ...o, ...nested(f) }) },
  Queued: { reads: ['state', 'start_time'], build: (f, o) => new Queued({ ...o, ...nested(f), ...withStart(f) }) },
  Running: { reads: [], build: (_, o) => new Running(o) },
  Cancelling: { reads: [], build: (_, o) => new Cancelling(o) },
  Finished: { reads: [], build: (_, o) => new Finished(o) },
  Looped: { reads: ['loop_count'], build: (f, o) => new Looped({ ...o, loopCount: f.loop_count ?? null }) },
  Success: { reads: [], build: (_, o) => new Success(o) },
  Cached: {
    reads: ['cached_parameters', 'cached_result_expiration', 'hashed_inputs'],
    build: (f, o) =>
      new Cached({
        ...o,
        cachedParameters: f.cached_parameters ?? null,
        cachedResultExpiration: f.cached_result_expiration ?? null,
        hashedInputs: f.hashed_inputs ?? null,
      }),
  },
  Mapped: { reads: ['n_map_states'], build: (f, o) => new Mapped({ ...o, nMapStates: f.n_map_states ?? 0 }) },
  Skipped: { reads: [], build: (_, o) => new Skipped(o) },
  Cancelled: { reads: [], build: (_, o) => new Cancelled(o) },
  Failed: { reads: [], build: (_, o) => new Failed(o) },
  TimedOut: { reads: [], build: (_, o) => new TimedOut(o) },
  TriggerFailed: { reads: [], build: (_, o) => new TriggerFailed(o) },
  ValidationFailed: { reads: [], build: (_, o) => new ValidationFailed(o) },
} as const satisfies Record<StateTypeName, Builder>;

/** Options of {@link deserializeState}. */
export interface DeserializeOptions {
  /** When the run entered the state (a history row's `timestamp`). */
  readonly timestamp?: Date | string | null;
}

function problems(error: z.ZodError): string {
  return issueLines(error).join('; ');
}

function toResult(value: z.infer<typeof resultSchema>): ResultLocation {
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
  const base = baseSchema.safeParse(value);
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
  const builder: Builder = BUILDERS[type];
  const fields: Record<string, unknown> = base.data;
  const extra = extraSchema.safeParse(Object.fromEntries(builder.reads.map((field) => [field, fields[field]])));
  if (!extra.success) {
    throw new InvalidArgumentError('serializedState', `Malformed serialized ${type} state: ${problems(extra.error)}`, {
      cause: extra.error,
    });
  }
  return builder.build({ ...base.data, ...extra.data }, common);
}
