/**
 * A list row's state column (a state name, or null) as a State: its name is the label, its
 * class gives Prefect's colour and the predicates. A run without a state reads as Prefect
 * Core reads it, `Pending`; a name this version does not know reads as an `UnknownState`.
 */
import { NO_FLOW_RUN_STATE_MESSAGE } from '../maps/models.js';
import { deserializeState } from '../states/serialize.js';
import { Pending, type State } from '../states/state.js';

const NO_STATE = new Pending({ message: NO_FLOW_RUN_STATE_MESSAGE });
const byName = new Map<string, State>();

/** The State for a state name (the label is its `type`, the colour its `color`). */
export function stateFromName(name: string | null | undefined): State {
  if (name === null || name === undefined || name === '') return NO_STATE;
  let state = byName.get(name);
  if (state === undefined) {
    state = deserializeState({ type: name });
    byName.set(name, state);
  }
  return state;
}
