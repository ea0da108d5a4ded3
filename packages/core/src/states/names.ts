/**
 * The names of Prefect 1's state classes, as they appear in `serialized_state.type` and in
 * the `state` column, with their colours: `@runview/prefect`'s, part of this package's API.
 */
export {
  isStateTypeName,
  STATE_COLORS,
  STATE_TYPE_NAMES,
  stateColor,
  stateSubtypes,
  type BaseStateTypeName,
  type StateSubtypeName,
  type StateTypeName,
} from '@runview/prefect';
