/**
 * Prefect states as the CLI shows them: the state's name in Prefect's colour for it.
 */
import { stateFromName, type TaskRunStateCounts } from '@runview/core';
import { STATE_TYPE_NAMES, type StateTypeName } from '@runview/prefect';
import type { Palette } from './color.js';

/** `stateColor`: the colour of a state name as the `state` column stores it; grey for a name Prefect does not have. */
export { stateColor } from '@runview/prefect';

/** A state (a view's `state`, with its own `color`) as its coloured name. */
export function paintState(palette: Palette, state: { readonly type: string; readonly color: string }): string {
  return palette.hex(state.color, state.type);
}

/** A state name from a list row (`Success`, `Running`...), coloured; a run without a state reads `Pending`, as the dashboard shows it. */
export function paintStateName(palette: Palette, name: string | null): string {
  return paintState(palette, stateFromName(name));
}

/** `Success: All reference tasks succeeded.` with the name coloured. */
export function paintStateWithMessage(palette: Palette, state: { readonly type: string; readonly color: string; readonly message: string | null }): string {
  return state.message ? `${paintState(palette, state)}: ${state.message}` : paintState(palette, state);
}

/** `48 Success, 2 Failed` in Prefect's state order, each name coloured. */
export function paintStateCounts(palette: Palette, counts: TaskRunStateCounts): string {
  const parts = STATE_TYPE_NAMES.filter((name) => counts.byState[name] > 0).map((name) => `${counts.byState[name]} ${paintStateName(palette, name)}`);
  if (counts.other > 0) parts.push(`${counts.other} without a known state`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** The canonical state name for a command-line value (`failed` → `Failed`), or null. */
export function parseStateName(text: string): StateTypeName | null {
  const lower = text.trim().toLowerCase();
  return STATE_TYPE_NAMES.find((name) => name.toLowerCase() === lower) ?? null;
}
