/**
 * `reference_data`: what Prefect Server derives from Prefect Core's state module, the class
 * hierarchy (each class with every class that descends from it, itself included, in the
 * module's definition order) and each class's display colour, as Prefect Core 1.4.1 defines
 * them (`@runview/prefect`). The private `_MetaState` and the base `State` are part of it, as
 * Prefect Server walks the whole module.
 */
import { STATE_CLASSES, STATE_COLORS, stateLineage, type JsonObject } from '@runview/prefect';

function buildReferenceData(): { state_hierarchy: JsonObject; state_info: JsonObject } {
  const hierarchy: Record<string, string[]> = {};
  const info: JsonObject = {};
  for (const { name } of STATE_CLASSES) {
    for (const ancestor of stateLineage(name)) (hierarchy[ancestor] ??= []).push(name);
    info[name] = { color: STATE_COLORS[name] };
  }
  return { state_hierarchy: hierarchy, state_info: info };
}

/** The `reference_data` payload: `{ state_hierarchy, state_info }`. */
export const REFERENCE_DATA = Object.freeze(buildReferenceData());
