/** Small helpers for the JSON values views hold: deep-frozen copies. */
import type { JsonValue } from '@runview/documents';

/** Freezes a JSON value and everything in it. */
export function deepFreeze<T extends JsonValue>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A deep-frozen copy of a JSON value, so a view never shares mutable state with its caller. */
export function frozenCopy<T extends JsonValue>(value: T): T {
  return deepFreeze(structuredClone(value));
}
