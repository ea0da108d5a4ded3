/**
 * The names of Prefect 1's state classes, as they appear in `serialized_state.type` and in
 * the `state` column, with their colours.
 */

/** Every state type Prefect serializes, in the order of Prefect's state tree. */
export const STATE_TYPE_NAMES = [
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

/** A state type Prefect serializes (`serialized_state.type`). */
export type StateTypeName = (typeof STATE_TYPE_NAMES)[number];

/** The type names of the two bases that are never serialized: `State` and Prefect's private `_MetaState`. */
export type BaseStateTypeName = 'State' | '_MetaState';

/** True when `name` is a state type Prefect serializes. */
export function isStateTypeName(name: unknown): name is StateTypeName {
  return typeof name === 'string' && (STATE_TYPE_NAMES as readonly string[]).includes(name);
}

/** Prefect's colour of every state class (`State.color`), as its UI shows them. */
export const STATE_COLORS = {
  State: '#696969',
  Pending: '#7ebdff',
  Scheduled: '#ffab00',
  Paused: '#99a8e8',
  Resume: '#f58c0c',
  Retrying: '#f66a0a',
  _MetaState: '#696969',
  ClientFailed: '#eb0000',
  Submitted: '#ffdf5d',
  Queued: '#ffea7f',
  Running: '#3d67ff',
  Cancelling: '#E8E8E8',
  Finished: '#003ccb',
  Looped: '#003ccb',
  Success: '#28a745',
  Cached: '#34d058',
  Mapped: '#003ccb',
  Skipped: '#62757f',
  Cancelled: '#bdbdbd',
  Failed: '#eb0000',
  TimedOut: '#ff4e33',
  TriggerFailed: '#ff5131',
  ValidationFailed: '#ff5131',
} as const satisfies Record<StateTypeName | BaseStateTypeName, string>;
