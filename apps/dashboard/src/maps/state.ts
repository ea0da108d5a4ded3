// The states a run can be filtered by. A state name's State (label, colour, predicates) is
// core's `stateFromName`, shared with the CLI.

/** Every state a run can be filtered by, in the order of Prefect's state tree. */
export { STATE_TYPE_NAMES as STATE_NAMES } from '@runview/prefect';
