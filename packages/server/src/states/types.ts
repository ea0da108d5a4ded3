/**
 * The public Prefect Core 1.x state classes by the name that `serialized_state.type` and the
 * `state` columns carry, from `@runview/prefect`. `State` itself and the private `_MetaState`
 * are never written by a flow runner, so they are not accepted.
 */
import { isStateSubtype, STATE_TYPE_NAMES, stateSubtypes, stateTypesWith, type StateTypeName } from '@runview/prefect';

export { isStateTypeName as isStateType, type StateTypeName as StateType } from '@runview/prefect';

/** Every state type, in the order of Prefect's state tree (the finished ones last). */
export const STATE_TYPES = STATE_TYPE_NAMES;

/** `Finished` and its subclasses: a run in one of these gets an `end_time`. */
export const FINISHED_STATE_TYPES: readonly StateTypeName[] = stateSubtypes('Finished');

/** `Running` and its subclass `Cancelling`: the first of these sets a run's `start_time`. */
export const RUNNING_STATE_TYPES: readonly StateTypeName[] = stateSubtypes('Running');

/** The state types that carry a `start_time` of their own (when the run should start). */
export const SCHEDULED_STATE_TYPES: readonly StateTypeName[] = stateTypesWith('start_time');

export function isFinishedState(type: StateTypeName): boolean {
  return isStateSubtype(type, 'Finished');
}

export function isRunningState(type: StateTypeName): boolean {
  return isStateSubtype(type, 'Running');
}

/**
 * The Prefect Core version the server writes into `__version__` of the states it creates
 * itself (the initial Scheduled and Pending states, cancellations), as a Prefect Server of
 * the 0.15 line would.
 */
export const SERIALIZER_CORE_VERSION = '0.15.4';
