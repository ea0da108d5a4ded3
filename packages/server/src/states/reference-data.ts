/**
 * `reference_data`: what Prefect Server derives from Prefect Core's state module, the class
 * hierarchy (each class with every class that descends from it, itself included, in the
 * module's definition order) and each class's display colour, as Prefect Core 1.4.1 defines
 * them. The private `_MetaState` and the base `State` are part of it, as Prefect Server walks
 * the whole module.
 */
import type { JsonObject } from './serialize.js';

interface StateClass {
  readonly name: string;
  readonly parent: string | null;
  /** Its own `color`, or none when it inherits its parent's. */
  readonly color?: string;
}

// Prefect Core 1.4.1's `prefect.engine.state`, in definition order.
const STATE_CLASSES: readonly StateClass[] = [
  { name: 'State', parent: null, color: '#696969' },
  { name: 'Pending', parent: 'State', color: '#7ebdff' },
  { name: 'Scheduled', parent: 'Pending', color: '#ffab00' },
  { name: 'Paused', parent: 'Scheduled', color: '#99a8e8' },
  { name: '_MetaState', parent: 'State' },
  { name: 'ClientFailed', parent: '_MetaState', color: '#eb0000' },
  { name: 'Submitted', parent: '_MetaState', color: '#ffdf5d' },
  { name: 'Queued', parent: '_MetaState', color: '#ffea7f' },
  { name: 'Resume', parent: 'Scheduled', color: '#f58c0c' },
  { name: 'Retrying', parent: 'Scheduled', color: '#f66a0a' },
  { name: 'Running', parent: 'State', color: '#3d67ff' },
  { name: 'Cancelling', parent: 'Running', color: '#E8E8E8' },
  { name: 'Finished', parent: 'State', color: '#003ccb' },
  { name: 'Looped', parent: 'Finished', color: '#003ccb' },
  { name: 'Success', parent: 'Finished', color: '#28a745' },
  { name: 'Cached', parent: 'Success', color: '#34d058' },
  { name: 'Mapped', parent: 'Success', color: '#003ccb' },
  { name: 'Cancelled', parent: 'Finished', color: '#bdbdbd' },
  { name: 'Failed', parent: 'Finished', color: '#eb0000' },
  { name: 'TimedOut', parent: 'Failed', color: '#ff4e33' },
  { name: 'TriggerFailed', parent: 'Failed', color: '#ff5131' },
  { name: 'ValidationFailed', parent: 'Failed', color: '#ff5131' },
  { name: 'Skipped', parent: 'Success', color: '#62757f' },
];

const byName = new Map(STATE_CLASSES.map((stateClass) => [stateClass.name, stateClass]));

/** The class and its ancestors, nearest first (Python's method resolution order). */
function lineage(stateClass: StateClass): StateClass[] {
  const chain: StateClass[] = [];
  for (let current: StateClass | undefined = stateClass; current !== undefined; current = current.parent === null ? undefined : byName.get(current.parent)) {
    chain.push(current);
  }
  return chain;
}

function buildReferenceData(): { state_hierarchy: JsonObject; state_info: JsonObject } {
  const hierarchy: Record<string, string[]> = {};
  const info: JsonObject = {};
  for (const stateClass of STATE_CLASSES) {
    const ancestors = lineage(stateClass);
    for (const ancestor of ancestors) (hierarchy[ancestor.name] ??= []).push(stateClass.name);
    const color = ancestors.find((ancestor) => ancestor.color !== undefined)?.color ?? null;
    info[stateClass.name] = { color };
  }
  return { state_hierarchy: hierarchy, state_info: info };
}

/** The `reference_data` payload: `{ state_hierarchy, state_info }`. */
export const REFERENCE_DATA = Object.freeze(buildReferenceData());
