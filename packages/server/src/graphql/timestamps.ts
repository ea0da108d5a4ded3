/**
 * Timestamps as Prefect clients send them (pendulum's isoformat, a `Z`, a space for the `T`, a
 * date alone, no offset at all: UTC, as Hasura assumes with Prefect Server's UTC database), read
 * by the one rule set of `@runview/prefect` that the client library shares.
 */
import { parseTimestamp } from '@runview/prefect';

/**
 * A timestamp normalized to `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM` (its offset kept, its
 * microseconds too), which PostgreSQL reads without loss whatever the session time zone; or
 * undefined when the text is not one (or names an impossible date or time).
 */
export function normalizeTimestamp(text: string): string | undefined {
  return parseTimestamp(text)?.normalized;
}
