import { describeIssues, storableStateSchema, stateTypesWith } from '@runview/prefect';
import { GraphQLError } from 'graphql';
import { normalizeTimestamp } from '../graphql/timestamps.js';
import { unstorableJson } from '../db/storable-json.js';
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

/** The meta states, which wrap the state the run was in: that one is checked as well. */
const NESTING_TYPES: readonly StateType[] = stateTypesWith('state');

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
  // Every field of every type, whatever this one's type: the server never stores a state that
  // a reader (the project's client, Prefect Core) would refuse, whichever fields it reads.
  const checked = storableStateSchema.safeParse(object);
  if (!checked.success) throw new InvalidStateError(`Invalid ${type} state: ${describeIssues(checked.error, '(state)').join('; ')}.`);
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
