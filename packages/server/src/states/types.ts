/**
 * The public Prefect Core 1.x state classes (the finished ones last), by the name that `serialized_state.type` and
 * the `state` columns carry. `State` itself and the private `_MetaState` are never
 * written by a flow runner, so they are not accepted.
 */
export const STATE_TYPES = [
  'Pending',
  'Scheduled',
  'Paused',
  'Resume',
  'Retrying',
  'ClientFailed',
  'Submitted',
  'Queued',
  'Running',
  'Cancelling',
  'Finished',
  'Looped',
  'Success',
  'Cached',
  'Mapped',
  'Skipped',
  'Cancelled',
  'Failed',
  'TimedOut',
  'TriggerFailed',
  'ValidationFailed',
] as const;

export type StateType = (typeof STATE_TYPES)[number];

/**
 * `Finished` and its subclasses (listed last in {@link STATE_TYPES}): a run in one of these
 * gets an `end_time`.
 */
export const FINISHED_STATE_TYPES: readonly StateType[] = STATE_TYPES.slice(STATE_TYPES.indexOf('Finished'));

/** `Running` and its subclass `Cancelling`: the first of these sets a run's `start_time`. */
export const RUNNING_STATE_TYPES: readonly StateType[] = ['Running', 'Cancelling'];

/** The state types that carry a `start_time` of their own (when the run should start). */
export const SCHEDULED_STATE_TYPES: readonly StateType[] = ['Scheduled', 'Paused', 'Resume', 'Retrying', 'Queued'];

const stateTypeSet: ReadonlySet<string> = new Set(STATE_TYPES);

export function isStateType(value: string): value is StateType {
  return stateTypeSet.has(value);
}

export function isFinishedState(type: StateType): boolean {
  return FINISHED_STATE_TYPES.includes(type);
}

export function isRunningState(type: StateType): boolean {
  return RUNNING_STATE_TYPES.includes(type);
}

/**
 * The Prefect Core version the server writes into `__version__` of the states it creates
 * itself (the initial Scheduled and Pending states, cancellations), as a Prefect Server of
 * the 0.15 line would.
 */
export const SERIALIZER_CORE_VERSION = '0.15.4';
