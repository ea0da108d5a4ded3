/** Ids: Prefect identifies everything by a hyphenated uuid, written in lower case. */

/** A hyphenated uuid of any version, in either case (`4c0101af-c6bb-4b96-8661-63a5bbfb5596`). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a hyphenated uuid (any version, any case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
