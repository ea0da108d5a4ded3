import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { normalizeTimestamp } from '../graphql/timestamps.js';
import { unstorableJson } from '../db/storable-json.js';
import { stateTimestamp } from './timestamp.js';
import { isStateType, SCHEDULED_STATE_TYPES, STATE_TYPES, type StateType } from './types.js';

/** Prefect Server refuses state payloads above this size ("State payload is too large."). */
export const MAX_STATE_PAYLOAD_CHARS = 1_000_000;

/** A serialized state that cannot be stored: unknown type, malformed JSON or bad fields. */
export class InvalidStateError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' } });
    this.name = 'InvalidStateError';
  }
}

/** A state as the server stores it: the denormalised columns plus the JSON as sent. */
export interface ParsedState {
  readonly type: StateType;
  readonly message: string | null;
  /** The `_result` object (type and location, never a value), or null. */
  readonly result: unknown;
  /** `start_time` of Scheduled-like states (when the run should start), or null. */
  readonly startTime: string | null;
  /** The serialized state as sent, stored verbatim in `serialized_state`. */
  readonly serialized: Readonly<Record<string, unknown>>;
}

const resultSchema = z.looseObject({
  type: z.string(),
  location: z.string().nullable().optional(),
  __version__: z.string().optional(),
});

const count = z.int().min(0).nullable().optional();
const jsonObject = z.record(z.string(), z.unknown());

// Every field of Prefect Core's state schemas, checked on every state whatever its class: the
// project's client checks each of them on any state it reads back (a Running state with a
// malformed `start_time` would make the run unreadable). Unknown extra keys are kept, as
// Core ignores them on load.
const fields = {
  message: z.string().nullable().optional(),
  context: jsonObject.nullable().optional(),
  _result: resultSchema.nullable().optional(),
  cached_inputs: z.record(z.string(), resultSchema).nullable().optional(),
  __version__: z.string().optional(),
  start_time: stateTimestamp.nullable().optional(),
  run_count: count,
  loop_count: count,
  n_map_states: count,
  cached_parameters: jsonObject.nullable().optional(),
  cached_result_expiration: stateTimestamp.nullable().optional(),
  hashed_inputs: z.record(z.string(), z.string()).nullable().optional(),
  // A meta state wraps the state it was given (checked by `validate`, recursively).
  state: jsonObject.nullable().optional(),
};

const NESTING_TYPES: readonly StateType[] = ['Queued', 'Submitted', 'ClientFailed'];

const schemas = new Map<StateType, z.ZodType>(STATE_TYPES.map((type) => [type, z.looseObject({ type: z.literal(type), ...fields })]));

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}

function validate(value: unknown, what: string): { type: StateType; object: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidStateError(`The ${what} must be a serialized Prefect state object, got ${describe(value)}.`);
  }
  const object = value as Record<string, unknown>;
  const type = object['type'];
  if (typeof type !== 'string') {
    throw new InvalidStateError(`The ${what} has no "type": expected one of ${STATE_TYPES.join(', ')}.`);
  }
  if (!isStateType(type)) {
    throw new InvalidStateError(`Unknown state type "${type}": expected one of ${STATE_TYPES.join(', ')}.`);
  }
  const schema = schemas.get(type);
  const checked = schema?.safeParse(object);
  if (checked && !checked.success) {
    const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || '(state)'}: ${issue.message}`);
    throw new InvalidStateError(`Invalid ${type} state: ${issues.join('; ')}.`);
  }
  const inner = object['state'];
  if (NESTING_TYPES.includes(type) && inner !== null && inner !== undefined) validate(inner, `state nested in ${type}`);
  return { type, object };
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Validate a serialized Prefect state as `set_flow_run_states` / `set_task_run_states`
 * receive it: an object, or a JSON string (the `JSON` scalar given inline), whose `type` is
 * one of the public state classes and whose extra fields fit that class.
 *
 * @throws InvalidStateError naming the bad type or field; the caller writes nothing.
 */
export function parseState(input: unknown): ParsedState {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_STATE_PAYLOAD_CHARS) throw new InvalidStateError('State payload is too large.');
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidStateError(`The state is not valid JSON: ${reason}`);
    }
  } else {
    const text = JSON.stringify(input) as string | undefined;
    if (text !== undefined && text.length > MAX_STATE_PAYLOAD_CHARS) throw new InvalidStateError('State payload is too large.');
  }
  // Before the schema walks it: what PostgreSQL cannot store, and nesting deep enough to hurt.
  const unstorable = unstorableJson(value, 'state');
  if (unstorable !== undefined) {
    const type = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['type'] : undefined;
    throw new InvalidStateError(`Invalid ${typeof type === 'string' ? `${type} ` : ''}state: ${unstorable.replace(/^state\./, '')}.`);
  }
  const { type, object } = validate(value, 'state');
  // Only the classes that have a start time of their own give the run a `state_start_time`
  // (a `start_time` key on any other class is ignored, as Core's schema drops it).
  const startTime = SCHEDULED_STATE_TYPES.includes(type) ? optionalString(object['start_time']) : null;
  return {
    type,
    message: optionalString(object['message']),
    result: object['_result'] ?? null,
    startTime: startTime === null ? null : (normalizeTimestamp(startTime) ?? null),
    serialized: object,
  };
}
