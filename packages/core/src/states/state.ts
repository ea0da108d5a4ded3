/**
 * Prefect 1's state classes with the same tree, predicates, colours and repr as Prefect
 * Core's `prefect.engine.state`. Each predicate is an `instanceof` test, so subclasses count
 * (a `Cached` state is successful and finished), and each is a type guard that narrows.
 * States are immutable; results are location information only, never values.
 */
import type { JsonObject, JsonValue } from '@runview/prefect';
import { InvalidArgumentError, type RunviewError } from '../errors.js';
import { frozenCopy } from '../json.js';
import { formatTimestamp, parseTimestamp, type Timestamp } from '../time.js';
import { STATE_COLORS, type StateSubtypeName } from './names.js';
import { NO_RESULT, resultToJson, type ResultLocation } from './result.js';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** A date-time option: a `Date`, or an ISO 8601 string kept exactly as given. */
export type DateTimeInput = Date | string;

/** What every state can be built with (`new Success({ message })`). */
export interface StateOptions {
  readonly message?: string | null;
  /** Prefect's state context (`task_run_count`, `task_loop_count`...). */
  readonly context?: JsonObject | null;
  /** Where the result is stored; `NoResult` when absent. */
  readonly result?: ResultLocation | null;
  /** The deprecated `cached_inputs`: input name to result location. */
  readonly cachedInputs?: Readonly<Record<string, ResultLocation>> | null;
  /** When the run entered this state (set on the states of a run's history). */
  readonly timestamp?: DateTimeInput | null;
  /** The Prefect version the state was serialized with (`__version__`), kept for a lossless round trip. */
  readonly serializedVersion?: string | null;
}

/** Options of `Scheduled`, `Paused` and `Resume`. */
export interface ScheduledOptions extends StateOptions {
  /** When the run should start. Defaults to now, except for `Paused` (none); `null` keeps none. */
  readonly startTime?: DateTimeInput | null;
}

/** Options of `Retrying`. */
export interface RetryingOptions extends ScheduledOptions {
  /** How many times the task has run. Defaults to 1. */
  readonly runCount?: number | null;
}

/** Options of the meta states `ClientFailed`, `Submitted` and `Queued`. */
export interface MetaStateOptions extends StateOptions {
  /** The state the run was in when the meta state was set; a nested meta state is unwrapped. */
  readonly state?: State | null;
}

/** Options of `Queued`. */
export interface QueuedOptions extends MetaStateOptions {
  /** When the run may be retried. Defaults to now; `null` keeps none. */
  readonly startTime?: DateTimeInput | null;
}

/** Options of `Looped`. */
export interface LoopedOptions extends StateOptions {
  readonly loopCount?: number | null;
}

/** Options of `Cached`. */
export interface CachedOptions extends StateOptions {
  readonly cachedParameters?: JsonObject | null;
  readonly cachedResultExpiration?: DateTimeInput | null;
  readonly hashedInputs?: Readonly<Record<string, string>> | null;
}

/** Options of `Mapped`. */
export interface MappedOptions extends StateOptions {
  /** The children's states; after deserialization, `nMapStates` nulls (Prefect does not serialize them). */
  readonly mapStates?: readonly (State | null)[];
  readonly nMapStates?: number | null;
}

/** A datetime held with its exact string. */
function toTimestamp(value: DateTimeInput | Timestamp | null | undefined, argument: string): Timestamp | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return parseTimestamp(value, argument);
  if (value instanceof Date) {
    const raw = formatTimestamp(value);
    return parseTimestamp(raw, argument);
  }
  return value;
}

/** A copy, so that no caller can change a state's time through the `Date` it was given. */
function copyDate(timestamp: Timestamp | null): Date | null {
  return timestamp === null ? null : new Date(timestamp.date);
}

function nowTimestamp(): Timestamp {
  return parseTimestamp(formatTimestamp(new Date()));
}

/** Sorted-key JSON, so equal values compare equal whatever their key order. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key] ?? null)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How a serialized datetime is written: exactly as held, or normalized for comparison. */
type TimeMode = 'raw' | 'normalized';

function timeJson(timestamp: Timestamp | null, mode: TimeMode): JsonValue {
  if (timestamp === null) return null;
  return mode === 'raw' ? timestamp.raw : timestamp.epochMicros.toString();
}

function nonNegativeInteger(value: number | null | undefined, argument: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, `${argument} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/**
 * The base of Prefect's state tree. A plain `State` is neither pending, running nor finished.
 * Build one of its subclasses directly (`new Success({ message: 'done' })`) or read one with
 * `deserializeState`.
 */
export class State {
  /** The state's message, or null. */
  readonly message: string | null;
  /** Prefect's state context; `{}` when none was given. */
  readonly context: Readonly<JsonObject>;
  /** Where the result is stored (never the value); `type: 'NoResultType'` when there is none. */
  readonly result: ResultLocation;
  /** Prefect's deprecated `cached_inputs`, kept for a lossless round trip. */
  readonly cachedInputs: Readonly<Record<string, ResultLocation>>;
  /** The Prefect version the state was serialized with (`__version__`), or null. */
  readonly serializedVersion: string | null;
  readonly #timestamp: Timestamp | null;

  constructor(options: StateOptions = {}) {
    this.message = options.message ?? null;
    this.context = frozenCopy(options.context ?? {});
    this.result = options.result ?? NO_RESULT;
    this.cachedInputs = Object.freeze({ ...(options.cachedInputs ?? {}) });
    this.serializedVersion = options.serializedVersion ?? null;
    this.#timestamp = toTimestamp(options.timestamp, 'timestamp');
    sealIf(this, new.target, State);
  }

  /** The state's class name (`Success`, `Retrying`...), as `serialized_state.type` holds it. */
  // An accessor, not a field, so that each subclass narrows it to its own literal type.
  // eslint-disable-next-line @typescript-eslint/class-literal-property-style
  get type(): string {
    return 'State';
  }

  /** Prefect's colour for this state. */
  get color(): string {
    return STATE_COLORS[this.type as keyof typeof STATE_COLORS];
  }

  /** When the run entered this state, for the states of a run's history; null otherwise. */
  get timestamp(): Date | null {
    return copyDate(this.#timestamp);
  }

  /** The exact `timestamp` string the API sent (microseconds kept), or null. */
  get timestampRaw(): string | null {
    return this.#timestamp?.raw ?? null;
  }

  /** Pending, Scheduled, Paused, Resume or Retrying. */
  isPending(): this is Pending {
    return this instanceof Pending;
  }

  /** Scheduled, Paused, Resume, Retrying and (as in Prefect) Queued. */
  isScheduled(): this is Scheduled | Queued {
    return this instanceof Scheduled || this instanceof Queued;
  }

  /** Retrying only. */
  isRetrying(): this is Retrying {
    return this instanceof Retrying;
  }

  /** Queued only. */
  isQueued(): this is Queued {
    return this instanceof Queued;
  }

  /** Submitted only. */
  isSubmitted(): this is Submitted {
    return this instanceof Submitted;
  }

  /** ClientFailed, Submitted or Queued: states about the run, not of it. */
  isMetaState(): this is MetaState {
    return this instanceof MetaState;
  }

  /** Running or Cancelling. */
  isRunning(): this is Running {
    return this instanceof Running;
  }

  /** Finished and every subclass: Looped, Success, Cached, Mapped, Skipped, Cancelled, Failed... */
  isFinished(): this is Finished {
    return this instanceof Finished;
  }

  /** Success, Cached, Mapped or Skipped (not Cancelled). */
  isSuccessful(): this is Success {
    return this instanceof Success;
  }

  /** Failed, TimedOut, TriggerFailed or ValidationFailed (not ClientFailed, not Cancelled). */
  isFailed(): this is Failed {
    return this instanceof Failed;
  }

  /** Skipped only. */
  isSkipped(): this is Skipped {
    return this instanceof Skipped;
  }

  /** Cached only. */
  isCached(): this is Cached {
    return this instanceof Cached;
  }

  /** Mapped only. */
  isMapped(): this is Mapped {
    return this instanceof Mapped;
  }

  /** Looped only. */
  isLooped(): this is Looped {
    return this instanceof Looped;
  }

  /**
   * Prefect's equality: the same class, the same result and the same type-specific fields
   * (start time, run count...); the message and the context are ignored.
   */
  equals(other: unknown): boolean {
    if (!(other instanceof State) || other.type !== this.type || other.constructor !== this.constructor) return false;
    const strip = (json: JsonObject): JsonObject => {
      const { message: _m, context: _c, __version__: _v, ...rest } = json;
      return rest;
    };
    return canonical(strip(this.toSerialized('normalized'))) === canonical(strip(other.toSerialized('normalized')));
  }

  /** Prefect's serialized JSON of this state (`StateSchema().dump(state)`), as `serialized_state` holds it. */
  serialize(): JsonObject {
    return this.toSerialized('raw');
  }

  /** The serialized form, so `JSON.stringify(state)` writes what Prefect would. */
  toJSON(): JsonObject {
    return this.serialize();
  }

  /** Prefect's repr: `<Success: "All reference tasks succeeded.">`, or `<Success>` without a message. */
  toString(): string {
    return this.message ? `<${this.type}: "${this.message}">` : `<${this.type}>`;
  }

  [inspectCustom](): string {
    return this.toString();
  }

  /** @internal The serialized form with datetimes raw (to send) or normalized (to compare). */
  protected toSerialized(mode: TimeMode): JsonObject {
    const json: Record<string, JsonValue> = {
      type: this.type,
      message: this.message,
      context: structuredClone(this.context),
      _result: resultToJson(this.result),
      cached_inputs: Object.fromEntries(Object.entries(this.cachedInputs).map(([name, result]) => [name, resultToJson(result)])),
      ...this.extraFields(mode),
    };
    if (this.serializedVersion !== null) json['__version__'] = this.serializedVersion;
    return json;
  }

  /** @internal The fields of a subclass's schema. */
  protected extraFields(_mode: TimeMode): JsonObject {
    return {};
  }
}

/** Freezes an instance once its most derived constructor has run. */
function sealIf(instance: State, target: unknown, cls: unknown): void {
  if (target === cls) Object.freeze(instance);
}

/** A run that has not started. */
export class Pending extends State {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Pending);
  }

  override get type(): StateSubtypeName<'Pending'> {
    return 'Pending';
  }
}

/** A run scheduled to start at `startTime`. */
export class Scheduled extends Pending {
  readonly #startTime: Timestamp | null;

  constructor(options: ScheduledOptions = {}) {
    super(options);
    this.#startTime = options.startTime === undefined ? (new.target === Paused ? null : nowTimestamp()) : toTimestamp(options.startTime, 'startTime');
    sealIf(this, new.target, Scheduled);
  }

  override get type(): StateSubtypeName<'Scheduled'> {
    return 'Scheduled';
  }

  /** When the run should start, or null. */
  get startTime(): Date | null {
    return copyDate(this.#startTime);
  }

  protected override extraFields(mode: TimeMode): JsonObject {
    return { start_time: timeJson(this.#startTime, mode) };
  }
}

/** A run paused until it is resumed (its start time defaults to none). */
export class Paused extends Scheduled {
  constructor(options: ScheduledOptions = {}) {
    super(options);
    sealIf(this, new.target, Paused);
  }

  override get type(): 'Paused' {
    return 'Paused';
  }
}

/** A paused run that has been resumed. */
export class Resume extends Scheduled {
  constructor(options: ScheduledOptions = {}) {
    super(options);
    sealIf(this, new.target, Resume);
  }

  override get type(): 'Resume' {
    return 'Resume';
  }
}

/** A failed task run waiting to run again. */
export class Retrying extends Scheduled {
  /** How many times the task has run. */
  readonly runCount: number;

  constructor(options: RetryingOptions = {}) {
    super(options);
    this.runCount = nonNegativeInteger(options.runCount, 'runCount') ?? 1;
    sealIf(this, new.target, Retrying);
  }

  override get type(): 'Retrying' {
    return 'Retrying';
  }

  protected override extraFields(mode: TimeMode): JsonObject {
    return { ...super.extraFields(mode), run_count: this.runCount };
  }
}

/**
 * Prefect's private `_MetaState`: a state about a run (submitted, queued, failed to report)
 * that wraps the state the run was in. Meta states are neither pending, running nor finished.
 */
export class MetaState extends State {
  /** The wrapped state, or null. */
  readonly state: State | null;

  constructor(options: MetaStateOptions = {}) {
    super(options);
    let inner = options.state ?? null;
    while (inner instanceof MetaState) inner = inner.state;
    this.state = inner;
    sealIf(this, new.target, MetaState);
  }

  override get type(): '_MetaState' | StateSubtypeName<'_MetaState'> {
    return '_MetaState';
  }

  protected override extraFields(_mode: TimeMode): JsonObject {
    return { state: this.state ? this.state.serialize() : null };
  }
}

/** The client could not report a state change. */
export class ClientFailed extends MetaState {
  constructor(options: MetaStateOptions = {}) {
    super(options);
    sealIf(this, new.target, ClientFailed);
  }

  override get type(): 'ClientFailed' {
    return 'ClientFailed';
  }
}

/** An agent has picked the run up. */
export class Submitted extends MetaState {
  constructor(options: MetaStateOptions = {}) {
    super(options);
    sealIf(this, new.target, Submitted);
  }

  override get type(): 'Submitted' {
    return 'Submitted';
  }
}

/** The run waits for a concurrency slot; it counts as scheduled. */
export class Queued extends MetaState {
  readonly #startTime: Timestamp | null;

  constructor(options: QueuedOptions = {}) {
    super(options);
    this.#startTime = options.startTime === undefined ? nowTimestamp() : toTimestamp(options.startTime, 'startTime');
    sealIf(this, new.target, Queued);
  }

  override get type(): 'Queued' {
    return 'Queued';
  }

  /** When the run may try again, or null. */
  get startTime(): Date | null {
    return copyDate(this.#startTime);
  }

  protected override extraFields(mode: TimeMode): JsonObject {
    return { ...super.extraFields(mode), start_time: timeJson(this.#startTime, mode) };
  }
}

/** A run in progress. */
export class Running extends State {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Running);
  }

  override get type(): StateSubtypeName<'Running'> {
    return 'Running';
  }
}

/** A run asked to cancel that has not stopped yet; it counts as running. */
export class Cancelling extends Running {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Cancelling);
  }

  override get type(): 'Cancelling' {
    return 'Cancelling';
  }
}

/** A run that has ended, however it ended. */
export class Finished extends State {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Finished);
  }

  override get type(): StateSubtypeName<'Finished'> {
    return 'Finished';
  }
}

/** A task run that finished one iteration of a loop. */
export class Looped extends Finished {
  /** The iteration that finished, or null. */
  readonly loopCount: number | null;

  constructor(options: LoopedOptions = {}) {
    super(options);
    this.loopCount = nonNegativeInteger(options.loopCount, 'loopCount');
    sealIf(this, new.target, Looped);
  }

  override get type(): 'Looped' {
    return 'Looped';
  }

  protected override extraFields(_mode: TimeMode): JsonObject {
    return { loop_count: this.loopCount };
  }
}

/** A run that succeeded. */
export class Success extends Finished {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Success);
  }

  override get type(): StateSubtypeName<'Success'> {
    return 'Success';
  }
}

/** A task run that used a cached result. */
export class Cached extends Success {
  /** The parameters the cached result was computed with, or null. */
  readonly cachedParameters: Readonly<JsonObject> | null;
  /** The hashes of the inputs the cached result was computed from, or null. */
  readonly hashedInputs: Readonly<Record<string, string>> | null;
  readonly #expiration: Timestamp | null;

  constructor(options: CachedOptions = {}) {
    super(options);
    this.cachedParameters = options.cachedParameters ? frozenCopy(options.cachedParameters) : null;
    this.hashedInputs = options.hashedInputs ? Object.freeze({ ...options.hashedInputs }) : null;
    this.#expiration = toTimestamp(options.cachedResultExpiration, 'cachedResultExpiration');
    sealIf(this, new.target, Cached);
  }

  override get type(): 'Cached' {
    return 'Cached';
  }

  /** When the cached result expires, or null. */
  get cachedResultExpiration(): Date | null {
    return copyDate(this.#expiration);
  }

  protected override extraFields(mode: TimeMode): JsonObject {
    return {
      cached_parameters: this.cachedParameters ? structuredClone(this.cachedParameters) : null,
      cached_result_expiration: timeJson(this.#expiration, mode),
      hashed_inputs: this.hashedInputs ? { ...this.hashedInputs } : null,
    };
  }
}

/**
 * A mapped task's parent: its work is done by `nMapStates` children. Prefect does not
 * serialize the children's states nor a result, only their number.
 */
export class Mapped extends Success {
  /** The children's states: nulls after deserialization (they live on the child task runs). */
  readonly mapStates: readonly (State | null)[];
  readonly #nMapStates: number | null;

  constructor(options: MappedOptions = {}) {
    super(options);
    const n = nonNegativeInteger(options.nMapStates, 'nMapStates');
    this.mapStates = Object.freeze(options.mapStates ? [...options.mapStates] : Array<null>(n ?? 0).fill(null));
    this.#nMapStates = n;
    sealIf(this, new.target, Mapped);
  }

  override get type(): 'Mapped' {
    return 'Mapped';
  }

  /** How many children the task was mapped over (falls back to `mapStates.length`). */
  get nMapStates(): number {
    return this.#nMapStates ?? this.mapStates.length;
  }

  protected override toSerialized(mode: TimeMode): JsonObject {
    const { _result: _dropped, ...json } = super.toSerialized(mode);
    return json;
  }

  protected override extraFields(_mode: TimeMode): JsonObject {
    return { n_map_states: this.nMapStates };
  }
}

/** A task run that was skipped; it counts as successful. */
export class Skipped extends Success {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Skipped);
  }

  override get type(): 'Skipped' {
    return 'Skipped';
  }
}

/** A run that was cancelled: finished, but neither successful nor failed. */
export class Cancelled extends Finished {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Cancelled);
  }

  override get type(): 'Cancelled' {
    return 'Cancelled';
  }
}

/** A run that failed. */
export class Failed extends Finished {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, Failed);
  }

  override get type(): StateSubtypeName<'Failed'> {
    return 'Failed';
  }
}

/** A task run that exceeded its timeout. */
export class TimedOut extends Failed {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, TimedOut);
  }

  override get type(): 'TimedOut' {
    return 'TimedOut';
  }
}

/** A task run whose trigger failed (its upstream did not end as required). */
export class TriggerFailed extends Failed {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, TriggerFailed);
  }

  override get type(): 'TriggerFailed' {
    return 'TriggerFailed';
  }
}

/** A task run whose result failed validation. */
export class ValidationFailed extends Failed {
  constructor(options: StateOptions = {}) {
    super(options);
    sealIf(this, new.target, ValidationFailed);
  }

  override get type(): 'ValidationFailed' {
    return 'ValidationFailed';
  }
}

/**
 * A state whose `type` this version of runview does not know (a newer Prefect, a custom
 * state). It keeps the raw JSON, serializes back to it unchanged, prints its type name, and
 * is neither pending, running nor finished: every predicate is false.
 */
export class UnknownState extends State {
  /** The serialized JSON exactly as received. */
  readonly raw: Readonly<JsonObject>;
  readonly #type: string;

  constructor(raw: JsonObject & { type: string }, options: StateOptions = {}) {
    super(options);
    this.raw = frozenCopy(raw);
    this.#type = raw.type;
    sealIf(this, new.target, UnknownState);
  }

  /** The type name as received. */
  override get type(): string {
    return this.#type;
  }

  /** Prefect's base `State` colour. */
  override get color(): string {
    return STATE_COLORS.State;
  }

  /** `<UnknownState(NewType): "message">`. */
  override toString(): string {
    return this.message ? `<UnknownState(${this.#type}): "${this.message}">` : `<UnknownState(${this.#type})>`;
  }

  protected override toSerialized(_mode: TimeMode): JsonObject {
    return structuredClone(this.raw);
  }
}

/**
 * A state the API holds in a form that cannot be read: a field its type reads is malformed (a
 * `Scheduled` state whose `start_time` is not a time), or it is not a state at all. It stands
 * in for that one state, so that the rest of a run stays readable: an `UnknownState` that keeps
 * the JSON as received (a value that is not an object as `{ type: 'InvalidState', value }`)
 * and `problem`, the typed error that says what is wrong. Every predicate is false.
 */
export class InvalidState extends UnknownState {
  /** Why it cannot be read (an `InvalidResponseError` naming the operation and the field). */
  readonly problem: RunviewError;

  constructor(raw: unknown, problem: RunviewError, options: StateOptions = {}) {
    super(stateJson(raw), options);
    this.problem = problem;
    sealIf(this, new.target, InvalidState);
  }

  /** `<InvalidState(Scheduled): what is wrong>`. */
  override toString(): string {
    return `<InvalidState(${this.type}): ${this.problem.message}>`;
  }
}

/** The JSON of an unreadable state with a type name to show (`InvalidState` when it has none). */
function stateJson(raw: unknown): JsonObject & { type: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { type: 'InvalidState', value: (raw ?? null) as JsonValue };
  const json = raw as JsonObject;
  const type = json['type'];
  return { ...json, type: typeof type === 'string' && type !== '' ? type : 'InvalidState' };
}
