import type { JsonValue } from '../db/tables.js';

/** A JSON object (not an array, not null), as stored settings, schedules and serialized flows are. */
export function isJsonObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
