/**
 * Prefect's serialized state (`serialized_state`, Prefect Core's `StateSchema`), as one schema
 * for whoever reads it and whoever stores it.
 *
 * A reader checks the fields every state has and the fields of the state's own type, and
 * ignores the others, as Prefect's schemas do (a `Running` state's `start_time` is ignored,
 * whatever it holds): {@link stateSchema}. A server checks every field on every state
 * ({@link storableStateSchema}), so that it never stores a state some reader would refuse,
 * and refuses a type it does not know (a reader keeps such a state as an unknown one).
 */
import * as z from 'zod/mini';
import type { JsonObject } from './json.js';
import { STATE_TYPE_NAMES, type StateTypeName } from './states.js';
import { isTimestamp } from './timestamps.js';

/** A JSON value: what the wire can carry (a caller's `Date` or `undefined` is not one). */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(isJsonValue);
}

const text = z.string({ error: 'expected a string or null' });
// Checked by a walk rather than zod's own `json()`, whose union gives no useful message.
const jsonObject = z
  .record(z.string(), z.unknown(), { error: 'expected a JSON object or null' })
  .check(
    z.refine(isJsonValue, { error: 'expected JSON values only (strings, finite numbers, booleans, null, arrays, objects)' }),
  ) as unknown as z.ZodMiniType<JsonObject>;
const count = z.int({ error: 'expected a whole number or null' }).check(z.nonnegative({ error: 'expected a whole number of at least 0' }));
const timestamp = z.string({ error: 'expected an ISO 8601 timestamp or null' }).check(
  z.refine(isTimestamp, {
    error: (issue) => `expected an ISO 8601 timestamp, got ${JSON.stringify(issue.input)} (YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|±HH:MM], years 1 to 9999)`,
  }),
);

/** A state's result: its class and location (never a value), plus the class's own settings. */
const resultSchema = z.looseObject(
  {
    type: z.string({ error: 'expected the name of a result class' }),
    location: z.nullish(text),
    __version__: z.nullish(text),
  },
  { error: 'expected a serialized result object or null' },
);

/** The fields every state has (`BaseStateSchema`); all but `type` optional and nullable, as in Prefect. */
const baseShape = {
  type: z.string({ error: 'expected the name of a state class' }),
  message: z.nullish(text),
  context: z.nullish(jsonObject),
  _result: z.nullish(resultSchema),
  cached_inputs: z.nullish(z.record(z.string(), resultSchema, { error: 'expected an object of results or null' })),
  __version__: z.nullish(text),
};

/** The fields only some types have, all optional and nullable as in Prefect's schemas. */
const fieldShape = {
  start_time: z.nullish(timestamp),
  run_count: z.nullish(count),
  loop_count: z.nullish(count),
  n_map_states: z.nullish(count),
  cached_parameters: z.nullish(jsonObject),
  cached_result_expiration: z.nullish(timestamp),
  hashed_inputs: z.nullish(z.record(z.string(), z.string({ error: 'expected a string' }), { error: 'expected an object of strings or null' })),
  /** The state a meta state wraps: itself a serialized state, checked as one by the caller. */
  state: z.nullish(jsonObject),
};

const NOT_AN_OBJECT = { error: 'expected a serialized state object' };

/** A field that only some state types have. */
export type StateField = keyof typeof fieldShape;

/** The fields each type has beyond the common ones, as Prefect Core 1.4.1's schemas declare them. */
export const STATE_FIELDS = {
  Pending: [],
  Scheduled: ['start_time'],
  Paused: ['start_time'],
  Resume: ['start_time'],
  Retrying: ['start_time', 'run_count'],
  ClientFailed: ['state'],
  Submitted: ['state'],
  Queued: ['state', 'start_time'],
  Running: [],
  Cancelling: [],
  Finished: [],
  Looped: ['loop_count'],
  Success: [],
  Cached: ['cached_parameters', 'cached_result_expiration', 'hashed_inputs'],
  Mapped: ['n_map_states'],
  Skipped: [],
  Cancelled: [],
  Failed: [],
  TimedOut: [],
  TriggerFailed: [],
  ValidationFailed: [],
} as const satisfies Record<StateTypeName, readonly StateField[]>;

/** The types that have `field` (`stateTypesWith('start_time')`: the ones that carry when the run should start). */
export function stateTypesWith(field: StateField): readonly StateTypeName[] {
  return STATE_TYPE_NAMES.filter((type) => (STATE_FIELDS[type] as readonly StateField[]).includes(field));
}

/** A serialized state with every field it may have. Unknown keys are kept. */
export type SerializedState = z.infer<typeof storableStateSchema>;

/** The fields every state has: enough to tell its type (a reader's first step). */
export const stateBaseSchema = z.looseObject(baseShape, NOT_AN_OBJECT);

/** Every field checked whatever the type: what a server stores (and never a type it does not know: see {@link isStateTypeName}). */
export const storableStateSchema = z.looseObject({ ...baseShape, ...fieldShape }, NOT_AN_OBJECT);

const byType = new Map<StateTypeName, z.ZodMiniType>(
  STATE_TYPE_NAMES.map((type) => {
    const own = Object.fromEntries(STATE_FIELDS[type].map((field) => [field, fieldShape[field]]));
    return [type, z.looseObject({ ...baseShape, ...own }, NOT_AN_OBJECT)];
  }),
);

/**
 * What a reader checks for a state of `type`: the common fields and the type's own. Its output
 * has the fields of the other types as they came (unchecked): read only the type's own.
 */
export function stateSchema(type: StateTypeName): z.ZodMiniType<SerializedState> {
  return byType.get(type) as z.ZodMiniType<SerializedState>;
}

/** One line per problem of a failed parse, with its path (`root` when it has none): `start_time: expected an ISO 8601 timestamp, …`. */
export function describeIssues(
  error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] },
  root = '(root)',
): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || root}: ${issue.message}`);
}
