// The one place the dashboard turns the API's `state` column (a class name) into @runview/core's
// State model: its class, Prefect's colour and the predicates. Everything else imports from here.
import { deserializeState, NO_FLOW_RUN_STATE_MESSAGE, Pending, type State } from '@runview/core';

/** Every state a run can be filtered by, in the order of Prefect's state tree. */
export { STATE_TYPE_NAMES as STATE_NAMES } from '@runview/prefect';

/** Prefect Core's reading of a run without a state. */
const NO_STATE = new Pending({ message: NO_FLOW_RUN_STATE_MESSAGE });
const byName = new Map<string, State>();

/**
 * The State for a state name: its class gives the colour (`state.color`), the name a badge
 * writes (`state.type`) and the predicates (`state.isFinished()`...). A name this version does
 * not know reads as an UnknownState, which is neither running nor finished.
 */
export function stateFromName(name: string | null | undefined): State {
  if (name == null) return NO_STATE;
  let state = byName.get(name);
  if (state === undefined) {
    state = deserializeState({ type: name });
    byName.set(name, state);
  }
  return state;
}
